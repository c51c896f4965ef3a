import { createBrowserRouter, type RouteObject } from 'react-router';
import { Spinner } from '../components/index.js';
import { RequireAuth, RequireSignedOut } from './guards.js';
import { NotFoundPage } from './not-found-page.js';
import { RouteError } from './route-error.js';
import { Shell } from './shell.js';
import { learnerRoutes } from '../features/my-learning/routes.js';
import { staffAndChatRoutes } from '../features/instructor/routes.js';
import { communityRoutes } from '../features/community/routes.js';

/**
 * Routes, each page in its own chunk (`lazy`). Feature folders own their pages; later areas (checkout, player,
 * community, chat, admin) add routes here and entries in navigation.ts.
 */
export const routes: RouteObject[] = [
  {
    element: <Shell />,
    // shown while the first page's chunk loads
    hydrateFallbackElement: <Spinner />,
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        lazy: async () => ({
          Component: (await import('../features/catalogue/catalogue-page.js')).CataloguePage,
        }),
      },
      {
        path: 'courses/:slug',
        lazy: async () => ({ Component: (await import('../features/catalogue/course-page.js')).CoursePage }),
      },
      {
        path: 'sign-in',
        lazy: async () => {
          const { SignInPage } = await import('../features/auth/sign-in-page.js');
          return {
            Component: () => (
              <RequireSignedOut>
                <SignInPage />
              </RequireSignedOut>
            ),
          };
        },
      },
      {
        path: 'sign-up',
        lazy: async () => {
          const { SignUpPage } = await import('../features/auth/sign-up-page.js');
          return {
            Component: () => (
              <RequireSignedOut>
                <SignUpPage />
              </RequireSignedOut>
            ),
          };
        },
      },
      {
        path: 'account/sessions',
        lazy: async () => {
          const { SessionsPage } = await import('../features/sessions/sessions-page.js');
          return {
            Component: () => (
              <RequireAuth>
                <SessionsPage />
              </RequireAuth>
            ),
          };
        },
      },
      {
        path: 'account/security',
        lazy: async () => {
          const { SecurityPage } = await import('../features/security/security-page.js');
          return {
            Component: () => (
              <RequireAuth>
                <SecurityPage />
              </RequireAuth>
            ),
          };
        },
      },
      {
        path: 'teaching',
        lazy: async () => {
          const { TeachingPage } = await import('../features/teaching/teaching-page.js');
          return {
            Component: () => (
              <RequireAuth roles={['INSTRUCTOR', 'ADMIN']}>
                <TeachingPage />
              </RequireAuth>
            ),
          };
        },
      },
      {
        path: 'admin/review',
        lazy: async () => {
          const { ReviewQueuePage } = await import('../features/admin/review-queue-page.js');
          return {
            Component: () => (
              <RequireAuth roles={['ADMIN']}>
                <ReviewQueuePage />
              </RequireAuth>
            ),
          };
        },
      },
      ...learnerRoutes,
      ...staffAndChatRoutes,
      ...communityRoutes,
      { path: '*', Component: NotFoundPage },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
