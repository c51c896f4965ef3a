import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/guards.js';

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

/**
 * The learner's routes (checkout, orders, my learning, the course player, the ebook library and reader,
 * certificates), each page lazy so it is its own chunk. Spread into the shell's children in app/router.tsx.
 */
export const learnerRoutes: RouteObject[] = [
  {
    path: 'checkout',
    lazy: async () => {
      const { CheckoutPage } = await import('../checkout/checkout-page.js');
      return { Component: () => signedIn(<CheckoutPage />) };
    },
  },
  {
    path: 'orders/:orderId',
    lazy: async () => {
      const { OrderPage } = await import('../checkout/order-page.js');
      return { Component: () => signedIn(<OrderPage />) };
    },
  },
  {
    path: 'my-learning',
    lazy: async () => {
      const { MyLearningPage } = await import('./my-learning-page.js');
      return { Component: () => signedIn(<MyLearningPage />) };
    },
  },
  ...['learn/:slug', 'learn/:slug/:kind/:itemId'].map((path): RouteObject => ({
    path,
    lazy: async () => {
      const { CoursePlayerPage } = await import('../player/course-player-page.js');
      return { Component: () => signedIn(<CoursePlayerPage />) };
    },
  })),
  {
    path: 'certificates/:verificationId',
    lazy: async () => ({
      Component: (await import('../player/certificate-page.js')).CertificatePage,
    }),
  },
  {
    path: 'library',
    lazy: async () => {
      const { LibraryPage } = await import('../ebook-reader/library-page.js');
      return { Component: () => signedIn(<LibraryPage />) };
    },
  },
  {
    path: 'library/:ebookId',
    lazy: async () => {
      const { ReaderPage } = await import('../ebook-reader/reader-page.js');
      return { Component: () => signedIn(<ReaderPage />) };
    },
  },
];
