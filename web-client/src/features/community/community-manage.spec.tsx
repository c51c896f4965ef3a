// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { GraphQLError } from 'graphql';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApproveCommunityMemberDocument,
  BanCommunityMemberDocument,
  CommunitiesDocument,
  CommunityFeedDocument,
  CommunityFeedUpdatedDocument,
  CommunityHomeDocument,
  CommunityInviteLinksDocument,
  CommunityInvitePreviewDocument,
  CommunityMembersByStatusDocument,
  CommunityMembersDocument,
  CreateCommunityDocument,
  CreateCommunityInviteLinkDocument,
  CommunitySettingsFormDocument,
  JoinCommunityWithInviteDocument,
  MyManagedCommunitiesDocument,
  RevokeCommunityInviteLinkDocument,
  SetCommunityMemberRoleDocument,
  TransferCommunityOwnershipDocument,
  UpdateCommunityDocument,
  ViewerDocument,
  type CommunityMemberRole,
  type CommunityPermission,
  type InviteLinkFragment,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { CommunitiesPage } from './communities-page.js';
import { CommunityPage } from './community-page.js';
import { CreateCommunityPage } from './create-community-page.js';
import { InvitePage } from './invite-page.js';

const OWNER_ID = 'u-owner';
const READ: CommunityPermission[] = ['CONTENT_READ', 'POST_CREATE', 'COMMENT_CREATE'];

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

const many = <T extends MockLink.MockedResponse>(mock: T): T => ({ ...mock, maxUsageCount: 5 });
const never = { delay: Infinity, result: { data: null } };

const viewerMock = many({
  request: { query: ViewerDocument },
  result: {
    data: {
      viewer: {
        __typename: 'User' as const,
        id: OWNER_ID,
        displayName: 'Olga Owner',
        email: 'olga@example.com',
        emailVerified: true,
        twoFactorEnabled: false,
        roles: ['LEARNER', 'INSTRUCTOR'],
      },
    },
  },
});

const home = (permissions: CommunityPermission[], role: CommunityMemberRole = 'OWNER') =>
  many({
    request: { query: CommunityHomeDocument, variables: { slug: 'book-club' } },
    result: {
      data: {
        community: {
          __typename: 'Community' as const,
          id: 'c1',
          name: 'Book Club',
          slug: 'book-club',
          description: 'We read.',
          memberCount: 3,
          visibility: 'PRIVATE' as const,
          joinPolicy: 'APPROVAL' as const,
          archivedAt: null,
          categories: [],
          calendarFeedUrl: null,
          viewerPermissions: permissions,
          cover: null,
          viewerMembership: {
            __typename: 'CommunityMembership' as const,
            id: 'm-owner',
            role,
            status: 'ACTIVE' as const,
            points: 0,
            level: 1,
            streak: { __typename: 'CommunityStreak' as const, current: 0, longest: 0 },
          },
        },
      },
    },
  });

const emptyFeed = many({
  request: { query: CommunityFeedDocument, variables: { communityId: 'c1' } },
  result: {
    data: {
      community: {
        __typename: 'Community',
        id: 'c1',
        feed: {
          __typename: 'PostConnection',
          edges: [],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      },
    },
  },
});
const feedUpdates = {
  request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } },
  ...never,
};

const managed = (
  id: string,
  name: string,
  status: 'PENDING' | 'ACTIVE' | 'BANNED' | 'LEFT',
  role: CommunityMemberRole = 'MEMBER',
) => ({
  __typename: 'CommunityMembership' as const,
  id,
  role,
  status,
  requestedAt: status === 'PENDING' ? '2026-12-01T10:00:00.000Z' : null,
  mutedUntil: null,
  banReason: null,
  user: { __typename: 'User' as const, id: `u-${id}`, displayName: name },
});

const routes = [
  { path: '/communities/:slug', element: <CommunityPage /> },
  { path: '/communities/:slug/:tab', element: <CommunityPage /> },
];

async function signIn(r: Rendered) {
  await act(async () => {
    r.session.establish({
      accessToken: 'token',
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
  });
}

function select(container: HTMLElement, label: string): HTMLSelectElement {
  const found = [...container.querySelectorAll('label')].find(
    (l) => l.textContent?.trim() === label,
  )?.control;
  if (!(found instanceof HTMLSelectElement)) throw new Error(`no select labelled "${label}"`);
  return found;
}

async function choose(element: HTMLSelectElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(element, value);
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const tabLabels = (container: HTMLElement) =>
  [...container.querySelectorAll('nav[aria-label="Community sections"] a')].map((a) => a.textContent);

describe('CreateCommunityPage', () => {
  const input = (slug: string) => ({
    name: 'Book Club',
    slug,
    description: 'We read.',
    visibility: 'PRIVATE',
    joinPolicy: 'APPROVAL',
    postingPolicy: 'ALL_MEMBERS',
    categories: ['books', 'reading'],
  });
  const created = (slug: string) => ({
    __typename: 'Community' as const,
    id: 'c1',
    name: 'Book Club',
    slug,
    description: 'We read.',
    visibility: 'PRIVATE' as const,
    joinPolicy: 'APPROVAL' as const,
    postingPolicy: 'ALL_MEMBERS' as const,
    categories: ['books', 'reading'],
  });

  it('derives the slug from the name, shows SLUG_TAKEN on the address field, and lands on the new community', async () => {
    rendered = await renderPage(
      [
        { path: '/communities/new', element: <CreateCommunityPage /> },
        { path: '/communities/:slug', element: <p>landed</p> },
      ],
      {
        mocks: [
          {
            request: { query: CreateCommunityDocument, variables: { input: input('book-club') } },
            result: {
              errors: [
                new GraphQLError('The slug "book-club" is already used by another community.', {
                  extensions: { code: 'SLUG_TAKEN', field: 'slug' },
                }),
              ],
            },
          },
          {
            request: { query: CreateCommunityDocument, variables: { input: input('book-club-2') } },
            result: {
              data: {
                createCommunity: { __typename: 'CommunityPayload', community: created('book-club-2') },
              },
            },
          },
        ],
      },
    );
    const { container } = rendered;
    expect(container.querySelector('h1')?.textContent).toBe('Create a community');
    await typeText(field(container, 'Name'), 'Book Club');
    expect(field(container, 'Address').value).toBe('book-club');
    const description = container.querySelector('textarea')!;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    await act(async () => {
      setter?.call(description, 'We read.');
      description.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(
      [...container.querySelectorAll<HTMLInputElement>('input[name="visibility"]')].find((r) =>
        r.parentElement?.textContent?.includes('Private'),
      )!,
    );
    // a private community cannot be open: the join policy moved to approval and "open" is not offered
    expect(select(container, 'Who may join').value).toBe('APPROVAL');
    expect([...select(container, 'Who may join').options].map((o) => o.value)).toEqual([
      'APPROVAL',
      'INVITE_ONLY',
    ]);
    await typeText(field(container, 'Categories'), 'books, reading, books');
    expect(await axeViolations(container)).toEqual([]);

    await click(button(container, 'Create community'));
    await eventually(() => expect(field(container, 'Address').getAttribute('aria-invalid')).toBe('true'));
    expect(container.textContent).toContain(
      'Another community already uses this address. Choose another one.',
    );
    expect(await axeViolations(container)).toEqual([]);

    // editing the address by hand stops it following the name
    await typeText(field(container, 'Address'), 'book-club-2');
    await typeText(field(container, 'Name'), 'Book Club');
    expect(field(container, 'Address').value).toBe('book-club-2');
    await click(button(container, 'Create community'));
    await eventually(() => expect(rendered!.router.state.location.pathname).toBe('/communities/book-club-2'));
  });

  it('checks the fields before calling the API', async () => {
    rendered = await renderPage([{ path: '/communities/new', element: <CreateCommunityPage /> }]);
    const { container } = rendered;
    await typeText(field(container, 'Name'), 'ab');
    await click(button(container, 'Create community'));
    expect(field(container, 'Name').getAttribute('aria-invalid')).toBe('true');
    expect(field(container, 'Address').getAttribute('aria-invalid')).toBe('true');
    expect(container.textContent).toContain('Use 3 to 80 characters.');
  });
});

describe('Manage tab', () => {
  it('is not offered to a member without managing permissions (nor reachable by URL)', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/manage',
      mocks: [home(READ, 'MEMBER'), emptyFeed, feedUpdates],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h1')?.textContent).toBe('Book Club'));
    expect(tabLabels(container)).not.toContain('Manage');
    // the URL falls back to the feed
    expect(container.querySelector('section[aria-label="Feed"]')).not.toBeNull();
    expect(container.textContent).not.toContain('Join requests');
  });

  it('lets an approver approve a join request, which leaves the list', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/manage',
      mocks: [
        home([...READ, 'MEMBER_APPROVE'], 'MODERATOR'),
        {
          request: {
            query: CommunityMembersByStatusDocument,
            variables: { communityId: 'c1', status: 'PENDING' },
          },
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
                      node: managed('m2', 'Ada', 'PENDING'),
                    },
                    {
                      __typename: 'CommunityMembershipEdge',
                      cursor: 'b',
                      node: managed('m3', 'Grace', 'PENDING'),
                    },
                  ],
                },
              },
            },
          },
        },
        {
          request: {
            query: ApproveCommunityMemberDocument,
            variables: { input: { communityId: 'c1', userId: 'u-m2' } },
          },
          result: {
            data: {
              approveCommunityMember: {
                __typename: 'CommunityMembershipPayload',
                membership: managed('m2', 'Ada', 'ACTIVE'),
                community: { __typename: 'Community', id: 'c1', memberCount: 4 },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(tabLabels(container)).toContain('Manage'));
    await eventually(() => expect(container.querySelector('ul[aria-label="Join requests"]')).not.toBeNull());
    // a moderator approves; settings and invite links need other permissions
    expect(container.textContent).not.toContain('Invite links');
    expect(container.textContent).not.toContain('Settings');
    expect(await axeViolations(container)).toEqual([]);
    await click(container.querySelector<HTMLButtonElement>('button[aria-label="Approve Ada"]')!);
    await eventually(() => expect(container.querySelector('button[aria-label="Approve Ada"]')).toBeNull());
    expect(container.querySelector('button[aria-label="Approve Grace"]')).not.toBeNull();
    expect(container.textContent).toContain('4 members');
  });

  it('creates an invite link (the URL shown once, to copy) and revokes one', async () => {
    const link = (id: string, overrides: Partial<InviteLinkFragment> = {}): InviteLinkFragment => ({
      __typename: 'CommunityInviteLink',
      id,
      tokenHint: `hint${id}`,
      expiresAt: '2026-12-12T10:00:00.000Z',
      maxUses: null,
      uses: 0,
      revokedAt: null,
      createdAt: '2026-12-05T10:00:00.000Z',
      state: 'ACTIVE',
      ...overrides,
    });
    rendered = await renderPage(routes, {
      at: '/communities/book-club/manage',
      mocks: [
        home([...READ, 'MEMBER_INVITE'], 'MODERATOR'),
        {
          request: { query: CommunityInviteLinksDocument, variables: { communityId: 'c1' } },
          result: {
            data: {
              community: {
                __typename: 'Community',
                id: 'c1',
                inviteLinks: {
                  __typename: 'CommunityInviteLinkConnection',
                  edges: [
                    { __typename: 'CommunityInviteLinkEdge', cursor: 'i1', node: link('i1', { uses: 2 }) },
                  ],
                },
              },
            },
          },
        },
        {
          request: {
            query: CreateCommunityInviteLinkDocument,
            variables: { input: { communityId: 'c1', expiresInHours: 24, maxUses: 1 } },
          },
          result: {
            data: {
              createCommunityInviteLink: {
                __typename: 'CreateCommunityInviteLinkPayload',
                token: 'tok_0123456789abcdefghij',
                invite: link('i2', { tokenHint: 'tok_01', maxUses: 1 }),
              },
            },
          },
        },
        {
          request: { query: RevokeCommunityInviteLinkDocument, variables: { input: { inviteId: 'i1' } } },
          result: {
            data: {
              revokeCommunityInviteLink: {
                __typename: 'CommunityInviteLinkPayload',
                invite: link('i1', { uses: 2, state: 'REVOKED', revokedAt: '2026-12-05T11:00:00.000Z' }),
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('table caption')?.textContent).toBe('Invite links'),
    );
    await choose(select(container, 'Expires after'), '24');
    await typeText(field(container, 'Maximum uses'), '1');
    await click(button(container, 'Create invite link'));
    await eventually(() =>
      expect(field(container, 'Invite link to share').value).toBe(
        `${window.location.origin}/communities/book-club/invite/tok_0123456789abcdefghij`,
      ),
    );
    const rows = () => [...container.querySelectorAll('tbody tr')].map((r) => r.textContent);
    await eventually(() => expect(rows()[0]).toContain('tok_01…Active0 of 1'));
    expect(button(container, 'Copy link')).toBeDefined();
    expect(await axeViolations(container)).toEqual([]);

    await click(container.querySelector<HTMLButtonElement>('button[aria-label="Revoke link hinti1"]')!);
    await eventually(() => expect(rows()[1]).toContain('hinti1…Revoked2'));
    expect(container.querySelector('button[aria-label="Revoke link hinti1"]')).toBeNull();
  });
});

describe('member actions', () => {
  const members = many({
    request: { query: CommunityMembersDocument, variables: { communityId: 'c1' } },
    result: {
      data: {
        community: {
          __typename: 'Community',
          id: 'c1',
          members: {
            __typename: 'CommunityMembershipConnection',
            edges: (
              [
                ['m-owner', OWNER_ID, 'Olga Owner', 'OWNER'],
                ['m2', 'u-m2', 'Ada', 'MEMBER'],
                ['m3', 'u-m3', 'Grace', 'MEMBER'],
              ] as const
            ).map(([id, userId, displayName, role]) => ({
              __typename: 'CommunityMembershipEdge',
              cursor: id,
              node: {
                __typename: 'CommunityMembership',
                id,
                role,
                joinedAt: null,
                level: 1,
                user: { __typename: 'User', id: userId, displayName },
                customRole: null,
              },
            })),
            pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
          },
        },
      },
    },
  });

  it('offers nothing to a plain member, but keeps "Message"', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/members',
      mocks: [viewerMock, home(READ, 'MEMBER'), members],
    });
    await signIn(rendered);
    const { container } = rendered;
    await eventually(() => expect(container.textContent).toContain('Message Ada'));
    expect(container.querySelector('details.eg-member-actions')).toBeNull();
  });

  it('lets the owner change a role and ban after confirming, never on the owner or themselves', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/members',
      mocks: [
        viewerMock,
        home([...READ, 'MEMBER_ROLE_SET', 'MEMBER_MUTE', 'MEMBER_BAN', 'MEMBER_REMOVE', 'COMMUNITY_UPDATE']),
        members,
        {
          request: {
            query: SetCommunityMemberRoleDocument,
            variables: { input: { communityId: 'c1', userId: 'u-m2', role: 'MODERATOR' } },
          },
          result: {
            data: {
              setCommunityMemberRole: {
                __typename: 'CommunityMembershipPayload',
                membership: managed('m2', 'Ada', 'ACTIVE', 'MODERATOR'),
              },
            },
          },
        },
        {
          request: {
            query: BanCommunityMemberDocument,
            variables: { input: { communityId: 'c1', userId: 'u-m3', reason: 'Spam' } },
          },
          result: {
            data: {
              banCommunityMember: {
                __typename: 'CommunityMembershipPayload',
                membership: managed('m3', 'Grace', 'BANNED'),
                community: { __typename: 'Community', id: 'c1', memberCount: 2 },
              },
            },
          },
        },
      ],
    });
    await signIn(rendered);
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('details.eg-member-actions')).not.toBeNull());
    const summaries = () => [...container.querySelectorAll('details summary')].map((s) => s.textContent);
    expect(summaries()).toEqual(['Manage Ada', 'Manage Grace']);
    expect(container.textContent).toContain('Message Ada');
    expect(container.textContent).not.toContain('Message Olga Owner');
    expect(await axeViolations(container)).toEqual([]);

    // role: the owner may give admin, moderator or member
    const role = select(container, 'Role of Ada');
    expect([...role.options].map((o) => o.value)).toEqual(['ADMIN', 'MODERATOR', 'MEMBER']);
    await choose(role, 'MODERATOR');
    await click(button(container, 'Change role'));
    await eventually(() => expect(container.textContent).toContain('Ada is now moderator.'));
    expect(container.querySelector('.eg-members__list li:nth-child(2)')?.textContent).toContain(
      'Ada · moderator',
    );

    // ban: nothing happens on the first click
    await click(button(container, 'Ban Grace'));
    const confirm = container.querySelector('[role="group"][aria-label^="Ban Grace?"]');
    expect(confirm).not.toBeNull();
    expect(container.textContent).toContain('Grace');
    await typeText(field(container, 'Reason (optional)'), 'Spam');
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Yes, ban Grace'));
    await eventually(() => expect(summaries()).toEqual(['Manage Ada']));
    expect(container.textContent).not.toContain('Message Grace');
  });

  it('lets the owner hand the community to a member after confirming', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/members',
      mocks: [
        viewerMock,
        home([...READ, 'OWNERSHIP_TRANSFER']),
        members,
        {
          request: {
            query: TransferCommunityOwnershipDocument,
            variables: { input: { communityId: 'c1', userId: 'u-m2' } },
          },
          result: {
            data: {
              transferCommunityOwnership: {
                __typename: 'CommunityPayload',
                community: {
                  __typename: 'Community',
                  id: 'c1',
                  viewerPermissions: READ,
                  viewerMembership: {
                    __typename: 'CommunityMembership',
                    id: 'm-owner',
                    role: 'ADMIN',
                    status: 'ACTIVE',
                  },
                },
              },
            },
          },
        },
      ],
    });
    await signIn(rendered);
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('details.eg-member-actions')).not.toBeNull());
    await click(button(container, 'Make Ada the owner'));
    expect(container.textContent).toContain(
      'Hand the community to Ada? You become an admin, and only they can hand it back.',
    );
    await click(button(container, 'Yes, make Ada the owner'));
    await eventually(() => expect(container.textContent).toContain('Ada is now the owner.'));
  });

  it('cancelling a ban does nothing', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/book-club/members',
      mocks: [viewerMock, home([...READ, 'MEMBER_BAN']), members],
    });
    await signIn(rendered);
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('details.eg-member-actions')).not.toBeNull());
    // without MEMBER_ROLE_SET there is no role control
    expect(container.querySelector('select')).toBeNull();
    await click(button(container, 'Ban Ada'));
    await click(button(container, 'Cancel'));
    expect(container.querySelector('[role="group"]')).toBeNull();
    expect(button(container, 'Ban Ada')).toBeDefined();
  });
});

describe('InvitePage', () => {
  const preview = (state: 'ACTIVE' | 'EXHAUSTED') =>
    many({
      request: { query: CommunityInvitePreviewDocument, variables: { token: 'tok_0123456789abcdefghij' } },
      result: {
        data: {
          communityInvite: {
            __typename: 'CommunityInvitePreview',
            state,
            expiresAt: '2026-12-12T10:00:00.000Z',
            community: {
              __typename: 'Community',
              id: 'c1',
              name: 'Book Club',
              slug: 'book-club',
              description: 'We read.',
              memberCount: 3,
              visibility: 'PRIVATE',
              joinPolicy: 'APPROVAL',
              viewerMembership: null,
            },
          },
        },
      },
    });
  const inviteRoutes = [
    { path: '/communities/:slug/invite/:token', element: <InvitePage /> },
    { path: '/communities/:slug', element: <p>landed</p> },
  ];

  it('joins a private community through a working link and lands on it', async () => {
    rendered = await renderPage(inviteRoutes, {
      at: '/communities/book-club/invite/tok_0123456789abcdefghij',
      mocks: [
        preview('ACTIVE'),
        {
          request: {
            query: JoinCommunityWithInviteDocument,
            variables: {
              input: {
                token: 'tok_0123456789abcdefghij',
                timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
              },
            },
          },
          result: {
            data: {
              joinCommunityWithInvite: {
                __typename: 'CommunityMembershipPayload',
                membership: { __typename: 'CommunityMembership', id: 'm9', role: 'MEMBER', status: 'ACTIVE' },
                community: {
                  __typename: 'Community',
                  id: 'c1',
                  slug: 'book-club',
                  memberCount: 4,
                  viewerPermissions: READ,
                  viewerMembership: {
                    __typename: 'CommunityMembership',
                    id: 'm9',
                    role: 'MEMBER',
                    status: 'ACTIVE',
                  },
                },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('h1')?.textContent).toBe('You are invited to Book Club'),
    );
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Join Book Club'));
    await eventually(() => expect(rendered!.router.state.location.pathname).toBe('/communities/book-club'));
  });

  it('shows MEMBER_BANNED when a banned person tries the link', async () => {
    rendered = await renderPage(inviteRoutes, {
      at: '/communities/book-club/invite/tok_0123456789abcdefghij',
      mocks: [
        preview('ACTIVE'),
        {
          request: {
            query: JoinCommunityWithInviteDocument,
            variables: {
              input: {
                token: 'tok_0123456789abcdefghij',
                timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
              },
            },
          },
          result: {
            errors: [
              new GraphQLError('You are banned from this community.', {
                extensions: { code: 'MEMBER_BANNED' },
              }),
            ],
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('h1')?.textContent).toBe('You are invited to Book Club'),
    );
    await click(button(container, 'Join Book Club'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'You are banned from this community.',
      ),
    );
    expect(rendered.router.state.location.pathname).toBe(
      '/communities/book-club/invite/tok_0123456789abcdefghij',
    );
  });

  it('offers a request to join when a used-up link leads to a community that takes requests', async () => {
    rendered = await renderPage(inviteRoutes, {
      at: '/communities/book-club/invite/tok_0123456789abcdefghij',
      mocks: [viewerMock, preview('EXHAUSTED')],
    });
    await signIn(rendered);
    const { container } = rendered;
    await eventually(() =>
      expect(container.textContent).toContain('This invite link has been used as many times as it allows.'),
    );
    expect(container.querySelector('button[aria-label="Request to join Book Club"]')).not.toBeNull();
  });
});

describe('CommunitiesPage for people who run communities', () => {
  it('offers "Create a community" and lists the communities the viewer runs, each with Manage', async () => {
    const membership = (id: string, role: CommunityMemberRole, name: string) => ({
      __typename: 'CommunityMembershipEdge' as const,
      cursor: id,
      node: {
        __typename: 'CommunityMembership' as const,
        id,
        role,
        status: 'ACTIVE' as const,
        community: {
          __typename: 'Community' as const,
          id: `c-${id}`,
          name,
          slug: name.toLowerCase().replace(/ /g, '-'),
        },
      },
    });
    rendered = await renderPage([{ path: '/communities', element: <CommunitiesPage /> }], {
      mocks: [
        viewerMock,
        many({
          request: { query: CommunitiesDocument, variables: { search: null, mine: null } },
          result: {
            data: {
              communities: {
                __typename: 'CommunityConnection',
                edges: [],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
              },
            },
          },
        }),
        many({
          request: { query: MyManagedCommunitiesDocument },
          result: {
            data: {
              viewer: {
                __typename: 'User',
                id: OWNER_ID,
                memberships: {
                  __typename: 'CommunityMembershipConnection',
                  edges: [
                    membership('m1', 'OWNER', 'Book Club'),
                    membership('m2', 'MEMBER', 'Chess Fans'),
                    membership('m3', 'MODERATOR', 'Night Owls'),
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    const { container } = rendered;
    expect(container.textContent).not.toContain('Create a community');
    await signIn(rendered);
    await eventually(() => expect(container.querySelector('#eg-your-communities')).not.toBeNull());
    const link = [...container.querySelectorAll('a')].find((a) => a.textContent === 'Create a community');
    expect(link?.getAttribute('href')).toBe('/communities/new');
    const items = [...container.querySelectorAll('.eg-your-communities li')].map((li) => li.textContent);
    expect(items).toEqual(['Book Club · you are owner · Manage', 'Night Owls · you are moderator · Manage']);
    expect(container.querySelector('a[aria-label="Manage Book Club"]')?.getAttribute('href')).toBe(
      '/communities/book-club/manage',
    );
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('Manage tab settings', () => {
  it('saves the settings with updateCommunity', async () => {
    const settings = {
      __typename: 'Community' as const,
      id: 'c1',
      name: 'Book Club',
      slug: 'book-club',
      description: 'We read.',
      visibility: 'PRIVATE' as const,
      joinPolicy: 'APPROVAL' as const,
      postingPolicy: 'ALL_MEMBERS' as const,
      categories: ['books'],
    };
    rendered = await renderPage(routes, {
      at: '/communities/book-club/manage',
      mocks: [
        home([...READ, 'COMMUNITY_UPDATE'], 'ADMIN'),
        {
          request: { query: CommunitySettingsFormDocument, variables: { communityId: 'c1' } },
          result: { data: { community: settings } },
        },
        {
          request: {
            query: UpdateCommunityDocument,
            variables: {
              input: {
                communityId: 'c1',
                name: 'Book Club',
                slug: 'book-club',
                description: 'We read.',
                visibility: 'PRIVATE',
                joinPolicy: 'INVITE_ONLY',
                postingPolicy: 'MODERATORS_ONLY',
                categories: ['books'],
              },
            },
          },
          result: {
            data: {
              updateCommunity: {
                __typename: 'CommunityPayload',
                community: { ...settings, joinPolicy: 'INVITE_ONLY', postingPolicy: 'MODERATORS_ONLY' },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(field(container, 'Name').value).toBe('Book Club'));
    // the address was chosen: it no longer follows the name
    await typeText(field(container, 'Name'), 'Book Club');
    expect(field(container, 'Address').value).toBe('book-club');
    await choose(select(container, 'Who may join'), 'INVITE_ONLY');
    await choose(select(container, 'Who may post'), 'MODERATORS_ONLY');
    await click(button(container, 'Save settings'));
    await eventually(() => expect(container.textContent).toContain('Settings saved.'));
    expect(await axeViolations(container)).toEqual([]);
  });
});
