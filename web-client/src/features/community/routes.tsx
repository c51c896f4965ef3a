import type { RouteObject } from 'react-router';

/**
 * Community routes, each page lazy (its own chunk): the directory and a community's home with its tabs
 * (feed, events, leaderboard, members, classroom). Reading is open to everyone the API lets read; joining,
 * posting and answering ask the API, which decides.
 */
export const communityRoutes: RouteObject[] = [
  {
    path: 'communities',
    lazy: async () => ({ Component: (await import('./communities-page.js')).CommunitiesPage }),
  },
  ...['communities/:slug', 'communities/:slug/:tab'].map((path): RouteObject => ({
    path,
    lazy: async () => ({ Component: (await import('./community-page.js')).CommunityPage }),
  })),
];
