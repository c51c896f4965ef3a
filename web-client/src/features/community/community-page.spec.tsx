// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AddCommunityReactionDocument,
  CommunitiesDocument,
  CommunityEventsDocument,
  CommunityFeedDocument,
  CommunityFeedUpdatedDocument,
  CommunityHomeDocument,
  CommunityLeaderboardDocument,
  CommunityMembersDocument,
  JoinCommunityDocument,
  RsvpCommunityEventDocument,
  VotePollDocument,
  type CommunityPermission,
  type EventOccurrenceFragment,
  type FeedPostFragment,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { CommunitiesPage } from './communities-page.js';
import { CommunityPage } from './community-page.js';

const MEMBER_PERMISSIONS: CommunityPermission[] = [
  'CONTENT_READ',
  'POST_CREATE',
  'COMMENT_CREATE',
  'REACTION_CREATE',
  'POLL_VOTE',
  'EVENT_RSVP',
];

const streak = { __typename: 'CommunityStreak' as const, current: 3, longest: 5 };
const membership = (status: 'ACTIVE' | 'PENDING', role: 'MEMBER' | 'MODERATOR' = 'MEMBER') => ({
  __typename: 'CommunityMembership' as const,
  id: 'm1',
  role,
  status,
  points: 120,
  level: 1,
  streak,
});

const community = (
  viewerMembership: ReturnType<typeof membership> | null,
  viewerPermissions: CommunityPermission[],
) => ({
  __typename: 'Community' as const,
  id: 'c1',
  name: 'Edugraph learners',
  slug: 'edugraph-learners',
  description: 'Learners helping learners.',
  memberCount: 12,
  visibility: 'PUBLIC' as const,
  joinPolicy: 'OPEN' as const,
  archivedAt: null,
  categories: [],
  calendarFeedUrl: 'https://edugraph.test/calendar/c1.ics?sig=abc',
  viewerPermissions,
  cover: null,
  viewerMembership,
});

const post = (id: string, overrides: Partial<FeedPostFragment> = {}): FeedPostFragment => ({
  __typename: 'Post',
  id,
  title: `Post ${id}`,
  excerpt: `Body of ${id}`,
  body: `<p>Body of ${id}</p>`,
  tags: ['intro'],
  pinned: false,
  announcement: false,
  locked: false,
  requiredTierId: null,
  publishAt: '2026-11-28T09:00:00.000Z',
  createdAt: '2026-11-28T09:00:00.000Z',
  commentCount: 0,
  reactionCount: 0,
  reactions: [],
  viewerReactions: [],
  viewerCanDelete: false,
  viewerCanEdit: false,
  moderationState: 'VISIBLE',
  author: { __typename: 'User', id: 'u2', displayName: 'Ada' },
  poll: null,
  ...overrides,
});

const feed = (posts: FeedPostFragment[]) => ({
  request: { query: CommunityFeedDocument, variables: { communityId: 'c1' } },
  result: {
    data: {
      community: {
        __typename: 'Community',
        id: 'c1',
        feed: {
          __typename: 'PostConnection',
          edges: posts.map((node) => ({ __typename: 'PostEdge', cursor: `cur-${node.id}`, node })),
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      },
    },
  },
});

const home = (m: ReturnType<typeof membership> | null, permissions: CommunityPermission[]) => ({
  request: { query: CommunityHomeDocument, variables: { slug: 'edugraph-learners' } },
  result: { data: { community: community(m, permissions) } },
});

const never = { delay: Infinity, result: { data: null } };

const routes = [
  { path: '/communities/:slug', element: <CommunityPage /> },
  { path: '/communities/:slug/:tab', element: <CommunityPage /> },
];

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('CommunitiesPage', () => {
  it('lists communities with member counts and the viewer’s role', async () => {
    rendered = await renderPage([{ path: '/communities', element: <CommunitiesPage /> }], {
      mocks: [
        {
          request: { query: CommunitiesDocument, variables: { search: null, mine: null } },
          result: {
            data: {
              communities: {
                __typename: 'CommunityConnection',
                edges: [
                  {
                    __typename: 'CommunityEdge',
                    cursor: 'a',
                    node: {
                      ...community({ ...membership('ACTIVE'), role: 'MODERATOR' }, []),
                    },
                  },
                ],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('.eg-community-card h2 a')?.textContent).toBe('Edugraph learners'),
    );
    expect(container.querySelector('.eg-community-card a')?.getAttribute('href')).toBe(
      '/communities/edugraph-learners',
    );
    expect(container.querySelector('.eg-community__meta')?.textContent).toBe(
      '12 members · Public · You are moderator',
    );
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('CommunityPage', () => {
  it('asks an outsider to sign in and join, and hides the feed until they may read', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners',
      mocks: [home(null, [])],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h1')?.textContent).toBe('Edugraph learners'));
    expect(container.textContent).toContain('Sign in to join this community.');
    expect(container.textContent).toContain('Join this community to see its posts.');
    expect(container.querySelector('form[aria-label="New post"]')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('lets a signed-in visitor join an open community', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners',
      mocks: [
        home(null, []),
        {
          request: {
            query: JoinCommunityDocument,
            variables: {
              input: { communityId: 'c1', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
            },
          },
          result: {
            data: {
              joinCommunity: {
                __typename: 'CommunityMembershipPayload',
                membership: { __typename: 'CommunityMembership', id: 'm1', role: 'MEMBER', status: 'ACTIVE' },
                community: {
                  __typename: 'Community',
                  id: 'c1',
                  memberCount: 13,
                  viewerPermissions: MEMBER_PERMISSIONS,
                  viewerMembership: membership('ACTIVE'),
                },
              },
            },
          },
        },
        feed([]),
        { request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } }, ...never },
      ],
    });
    await act(async () => {
      rendered!.session.establish({
        accessToken: 'token',
        accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('button[aria-label="Join Edugraph learners"]')).not.toBeNull(),
    );
    await click(container.querySelector<HTMLButtonElement>('button[aria-label="Join Edugraph learners"]')!);
    await eventually(() =>
      expect(container.querySelector('[data-testid="viewer-role"]')?.textContent).toBe('You are member'),
    );
    expect(container.textContent).toContain('13 members');
    expect(container.querySelector('[aria-label="Your standing"]')?.textContent).toBe(
      '120 points · level 1 · streak 3 days (longest 5)',
    );
    await eventually(() => expect(container.querySelector('form[aria-label="New post"]')).not.toBeNull());
    expect(container.querySelector('button[aria-label="Leave Edugraph learners"]')).not.toBeNull();
  });

  it('shows the feed pinned first, adds a post from communityFeedUpdated, toggles a reaction and votes', async () => {
    const live = post('p3', {
      title: 'Live one',
      author: { __typename: 'User', id: 'u3', displayName: 'Grace' },
    });
    const withPoll = post('p2', {
      title: 'Which day?',
      poll: {
        __typename: 'Poll',
        mode: 'SINGLE',
        closed: false,
        closesAt: null,
        resultsVisible: false,
        voterCount: null,
        viewerVoteOptionIds: [],
        options: [
          { __typename: 'PollOption', id: 'o1', position: 0, label: 'Monday', voteCount: null },
          { __typename: 'PollOption', id: 'o2', position: 1, label: 'Friday', voteCount: null },
        ],
      },
    });
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/feed',
      mocks: [
        home(membership('ACTIVE'), MEMBER_PERMISSIONS),
        feed([withPoll, post('p1', { pinned: true, title: 'Welcome' })]),
        {
          request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } },
          delay: 60,
          result: {
            data: {
              communityFeedUpdated: {
                __typename: 'CommunityFeedEvent',
                kind: 'CREATED',
                postId: 'p3',
                at: '2026-11-28T10:00:00.000Z',
                post: live,
              },
            },
          },
        },
        {
          request: {
            query: AddCommunityReactionDocument,
            variables: { input: { targetType: 'POST', targetId: 'p1', emoji: '👍' } },
          },
          result: {
            data: {
              addCommunityReaction: {
                __typename: 'CommunityReactionPayload',
                post: {
                  __typename: 'Post',
                  id: 'p1',
                  reactionCount: 1,
                  reactions: [{ __typename: 'ReactionCount', emoji: '👍', count: 1 }],
                  viewerReactions: ['👍'],
                },
              },
            },
          },
        },
        {
          request: { query: VotePollDocument, variables: { input: { postId: 'p2', optionIds: ['o2'] } } },
          result: {
            data: {
              votePoll: {
                __typename: 'PostPayload',
                post: {
                  __typename: 'Post',
                  id: 'p2',
                  poll: {
                    ...withPoll.poll,
                    resultsVisible: true,
                    voterCount: 4,
                    viewerVoteOptionIds: ['o2'],
                    options: [
                      { __typename: 'PollOption', id: 'o1', position: 0, label: 'Monday', voteCount: 1 },
                      { __typename: 'PollOption', id: 'o2', position: 1, label: 'Friday', voteCount: 3 },
                    ],
                  },
                },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    const titles = () => [...container.querySelectorAll('.eg-post h2')].map((h) => h.textContent);
    // the API answers [poll post, pinned post]: the pinned one is shown first; a post created elsewhere arrives
    // over the subscription (no reload) and goes on top of the unpinned ones
    await eventually(() => expect(titles()).toEqual(['Pinned · Welcome', 'Live one', 'Which day?']));
    expect(container.querySelector('[role="status"].eg-community-sr')?.textContent).toBe(
      'New post by Grace: Live one',
    );

    const like = container.querySelector<HTMLButtonElement>('.eg-post button[aria-label^="👍 0"]')!;
    expect(like.getAttribute('aria-pressed')).toBe('false');
    await click(like);
    await eventually(() =>
      expect(
        container
          .querySelector('.eg-post button[aria-label="👍 1 reaction, yours"]')
          ?.getAttribute('aria-pressed'),
      ).toBe('true'),
    );

    const pollPost = [...container.querySelectorAll('.eg-post')].find((p) =>
      p.textContent?.includes('Which day?'),
    )!;
    expect(pollPost.textContent).toContain('Results are shown after you vote.');
    await click([...pollPost.querySelectorAll<HTMLInputElement>('input[type="radio"]')][1]!);
    await click(button(pollPost as HTMLElement, 'Vote'));
    await eventually(() => expect(pollPost.textContent).toContain('3 votes'));
    expect(pollPost.textContent).toContain('4 voters');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows moderator controls only with POST_PIN', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/feed',
      mocks: [
        home(membership('ACTIVE', 'MODERATOR'), [...MEMBER_PERMISSIONS, 'POST_PIN', 'POST_MODERATE']),
        feed([post('p1', { viewerCanDelete: true })]),
        { request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } }, ...never },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-post')).not.toBeNull());
    expect(button(container, 'Pin')).toBeTruthy();
    expect(container.querySelector('button[aria-label="Delete Post p1"]')).not.toBeNull();
    expect(container.textContent).toContain('Pin to the top');
  });

  it('lists upcoming events and RSVPs, showing the waitlist position', async () => {
    const occurrence = (
      viewerRsvp: EventOccurrenceFragment['viewerRsvp'],
      spotsLeft: number,
    ): EventOccurrenceFragment => ({
      __typename: 'CommunityEventOccurrence',
      id: 'occ1',
      startsAt: '2026-12-02T17:00:00.000Z',
      endsAt: '2026-12-02T18:00:00.000Z',
      cancelledAt: null,
      localStartsAt: '2026-12-02T18:00',
      spotsLeft,
      counts: {
        __typename: 'CommunityEventRsvpCounts',
        going: 10,
        interested: 2,
        waitlisted: viewerRsvp ? 1 : 0,
      },
      viewerRsvp,
      event: {
        __typename: 'CommunityEvent',
        id: 'e1',
        title: 'Study hall',
        description: '<p>Bring questions.</p>',
        format: 'ONLINE',
        timeZone: 'Europe/Berlin',
        capacity: 10,
        recurrence: null,
        meetingUrl: 'https://meet.example/abc',
      },
    });
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/events',
      mocks: [
        home(membership('ACTIVE'), MEMBER_PERMISSIONS),
        {
          request: { query: CommunityEventsDocument, variables: { communityId: 'c1', from: null, to: null } },
          result: {
            data: {
              community: {
                __typename: 'Community',
                id: 'c1',
                calendarFeedUrl: 'https://edugraph.test/calendar/c1.ics?sig=abc',
                events: {
                  __typename: 'CommunityEventOccurrenceConnection',
                  edges: [{ __typename: 'CommunityEventOccurrenceEdge', node: occurrence(null, 0) }],
                },
              },
            },
          },
        },
        {
          request: {
            query: RsvpCommunityEventDocument,
            variables: { input: { occurrenceId: 'occ1', status: 'GOING' } },
          },
          result: {
            data: {
              rsvpCommunityEvent: {
                __typename: 'CommunityEventRsvpPayload',
                rsvp: {
                  __typename: 'CommunityEventRsvp',
                  id: 'r1',
                  status: 'WAITLISTED',
                  waitlistPosition: 1,
                },
                occurrence: occurrence(
                  { __typename: 'CommunityEventRsvp', id: 'r1', status: 'WAITLISTED', waitlistPosition: 1 },
                  0,
                ),
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-event h2')?.textContent).toBe('Study hall'));
    expect(container.textContent).toContain('10 going · 2 interested · 0 spots left');
    expect(container.querySelector('a[href^="webcal:"]')?.getAttribute('href')).toBe(
      'webcal://edugraph.test/calendar/c1.ics?sig=abc',
    );
    expect(container.querySelector('[data-testid="rsvp-status"]')?.textContent).toBe(
      'You have not answered.',
    );
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Going'));
    await eventually(() =>
      expect(container.querySelector('[data-testid="rsvp-status"]')?.textContent).toBe(
        'You are on the waitlist (position 1).',
      ),
    );
    await click(button(container, 'Month'));
    await eventually(() => expect(container.querySelector('table.eg-month__grid')).not.toBeNull());
  });

  it('shows the leaderboard and the members with their roles', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/leaderboard',
      mocks: [
        home(membership('ACTIVE'), MEMBER_PERMISSIONS),
        {
          request: {
            query: CommunityLeaderboardDocument,
            variables: { communityId: 'c1', period: 'LAST_30_DAYS', metric: 'POINTS' },
          },
          result: {
            data: {
              community: {
                __typename: 'Community',
                id: 'c1',
                leaderboard: {
                  __typename: 'CommunityLeaderboard',
                  period: 'LAST_30_DAYS',
                  metric: 'POINTS',
                  entries: [
                    {
                      __typename: 'LeaderboardEntry',
                      rank: 1,
                      score: 340,
                      user: { __typename: 'User', id: 'u2', displayName: 'Ada' },
                      membership: { __typename: 'CommunityMembership', id: 'm2', level: 2 },
                    },
                  ],
                },
              },
            },
          },
        },
        {
          request: { query: CommunityMembersDocument, variables: { communityId: 'c1' } },
          result: {
            data: {
              community: {
                __typename: 'Community',
                id: 'c1',
                members: {
                  __typename: 'CommunityMembershipConnection',
                  edges: [
                    {
                      __typename: 'CommunityMembershipEdge',
                      cursor: 'a',
                      node: {
                        __typename: 'CommunityMembership',
                        id: 'm2',
                        role: 'OWNER',
                        joinedAt: null,
                        level: 2,
                        user: { __typename: 'User', id: 'u2', displayName: 'Ada' },
                        customRole: null,
                      },
                    },
                  ],
                  pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
                },
              },
            },
          },
        },
      ],
    });
    const { container, router } = rendered;
    await eventually(() => expect(container.querySelector('table tbody tr')?.textContent).toBe('1Ada3402'));
    expect(container.querySelector('caption')?.textContent).toBe('Leaderboard — Last 30 days, points');
    expect(container.querySelector('a[aria-current="page"]')?.textContent).toBe('Leaderboard');
    expect(await axeViolations(container)).toEqual([]);
    await router.navigate('/communities/edugraph-learners/members');
    await eventually(() =>
      expect(container.querySelector('ul[aria-label="Members"] li')?.textContent).toBe(
        'Ada · owner · level 2',
      ),
    );
  });
});
