import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/guards.js';

const staff = (page: ReactNode) => <RequireAuth roles={['INSTRUCTOR', 'ADMIN']}>{page}</RequireAuth>;
const admin = (page: ReactNode) => <RequireAuth roles={['ADMIN']}>{page}</RequireAuth>;
const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

/**
 * Instructor (course builder, grading inbox, sales), admin (flags, audit, review) and chat routes, each page lazy.
 * Spread into the shell's children in app/router.tsx.
 */
export const staffAndChatRoutes: RouteObject[] = [
  {
    path: 'teaching/courses/:courseId',
    lazy: async () => {
      const { CourseBuilderPage } = await import('./course-builder-page.js');
      return { Component: () => staff(<CourseBuilderPage />) };
    },
  },
  {
    path: 'teaching/grading',
    lazy: async () => {
      const { GradingInboxPage } = await import('../grading/grading-inbox-page.js');
      return { Component: () => staff(<GradingInboxPage />) };
    },
  },
  {
    path: 'teaching/sales',
    lazy: async () => {
      const { SalesPage } = await import('../sales/sales-page.js');
      return { Component: () => staff(<SalesPage />) };
    },
  },
  {
    path: 'admin',
    lazy: async () => {
      const { AdminPage } = await import('../admin/admin-page.js');
      return { Component: () => admin(<AdminPage />) };
    },
  },
  ...['chat', 'chat/:conversationId'].map((path): RouteObject => ({
    path,
    lazy: async () => {
      const { ChatPage } = await import('../chat/chat-page.js');
      return { Component: () => signedIn(<ChatPage />) };
    },
  })),
];
