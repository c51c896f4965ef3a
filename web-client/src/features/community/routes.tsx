import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../../app/guards.js';

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

/**
 * Community routes, each page lazy (its own chunk): the directory, creating a community, an invite link, and a
 * community's home with its tabs (feed, events, leaderboard, members, classroom, manage). Reading is open to
 * everyone the API lets read; joining, posting, answering and managing ask the API, which decides.
 */
export const communityRoutes: RouteObject[] = [
  {
    path: 'communities',
    lazy: async () => ({ Component: (await import('./communities-page.js')).CommunitiesPage }),
  },
  {
    path: 'communities/new',
    lazy: async () => {
      const { CreateCommunityPage } = await import('./create-community-page.js');
      return { Component: () => signedIn(<CreateCommunityPage />) };
    },
  },
  {
    path: 'communities/:slug/invite/:token',
    lazy: async () => {
      const { InvitePage } = await import('./invite-page.js');
      return { Component: () => signedIn(<InvitePage />) };
    },
  },
  ...['communities/:slug', 'communities/:slug/:tab'].map((path): RouteObject => ({
    path,
    lazy: async () => ({ Component: (await import('./community-page.js')).CommunityPage }),
  })),
];
