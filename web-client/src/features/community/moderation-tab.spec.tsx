// @vitest-environment jsdom
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CommunityFeedDocument,
  CommunityFeedUpdatedDocument,
  CommunityHomeDocument,
  ModerateDocument,
  ModerationQueueDocument,
  ModerationSettingsDocument,
  ReportContentDocument,
  UndoModerationActionDocument,
  UpdateModerationSettingsDocument,
  type CommunityPermission,
  type FeedPostFragment,
  type ModerationActionEntryFragment,
  type ModerationCaseItemFragment,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { CommunityPage } from './community-page.js';
import { ModerationTab, undoableAction } from './moderation-tab.js';
import { parseBadWords } from './moderation-settings-form.js';
import { ReportButton } from './report-dialog.js';
import { FeedTab, reinsertPost } from './feed-tab.js';

const MEMBER: CommunityPermission[] = ['CONTENT_READ', 'POST_CREATE', 'CONTENT_REPORT'];
const MODERATOR: CommunityPermission[] = [...MEMBER, 'POST_MODERATE', 'REPORTS_HANDLE', 'MEMBER_BAN'];

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

const typed = (code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  errors: [new GraphQLError(message, { extensions: { code, ...extensions } })],
});

function textarea(container: HTMLElement, label: string): HTMLTextAreaElement {
  const found = [...container.querySelectorAll('label')].find(
    (l) => l.textContent?.trim() === label,
  )?.control;
  if (!(found instanceof HTMLTextAreaElement)) throw new Error(`no textarea labelled "${label}"`);
  return found;
}

async function typeInto(element: HTMLTextAreaElement, value: string) {
  const { act } = await import('react');
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function radio(container: HTMLElement, label: string): HTMLInputElement {
  const found = [...container.querySelectorAll('label')]
    .find((l) => l.textContent?.trim() === label)
    ?.querySelector('input');
  if (!found) throw new Error(`no radio "${label}"`);
  return found;
}

const status = (container: HTMLElement) =>
  [...container.querySelectorAll('[role="status"]')].map((s) => s.textContent).join(' ');

describe('ReportButton', () => {
  const reportMock = (result: object) => ({
    request: {
      query: ReportContentDocument,
      variables: {
        input: {
          communityId: 'c1',
          targetType: 'POST',
          targetId: 'p1',
          reason: 'SPAM',
          note: 'Selling things',
        },
      },
    },
    ...result,
  });

  const renderReport = (mocks: object[]) =>
    renderPage(
      [
        {
          path: '/',
          element: <ReportButton communityId="c1" targetType="POST" targetId="p1" subject="Cheap watches" />,
        },
      ],
      { mocks: mocks as never },
    );

  async function fillAndSend(container: HTMLElement) {
    await click(container.querySelector<HTMLButtonElement>('button[aria-label="Report Cheap watches"]')!);
    const dialog = container.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('h3')?.textContent).toBe('Report Cheap watches');
    expect(document.activeElement).toBe(dialog.querySelector('h3'));
    expect(
      [...dialog.querySelectorAll('input[type="radio"]')].map((r) => (r as HTMLInputElement).value),
    ).toEqual(['SPAM', 'HARASSMENT', 'HATE', 'VIOLENCE', 'SEXUAL', 'MISINFORMATION', 'OFF_TOPIC', 'OTHER']);
    expect(await axeViolations(container)).toEqual([]);
    // a reason is required
    await click(button(container, 'Send report'));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Choose a reason.');
    await click(radio(container, 'Spam'));
    await typeInto(textarea(container, 'Note for the moderators (optional)'), 'Selling things');
    await click(button(container, 'Send report'));
  }

  it('sends a report with a reason and a note and confirms it politely', async () => {
    rendered = await renderReport([
      reportMock({
        result: {
          data: {
            reportContent: {
              __typename: 'ReportContentPayload',
              report: { __typename: 'ModerationReport', id: 'r1', reason: 'SPAM', status: 'OPEN' },
            },
          },
        },
      }),
    ]);
    const { container } = rendered;
    await fillAndSend(container);
    await eventually(() => expect(container.querySelector('[role="dialog"]')).toBeNull());
    expect(status(container)).toContain(
      'Thank you — your report about this post was sent to the moderators.',
    );
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Report Cheap watches');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('tells a member who already reported it, without an error', async () => {
    rendered = await renderReport([
      reportMock({ result: typed('ALREADY_REPORTED', 'You already have an open report about this.') }),
    ]);
    const { container } = rendered;
    await fillAndSend(container);
    await eventually(() => expect(container.querySelector('[role="dialog"]')).toBeNull());
    expect(status(container)).toContain('You already reported this post; the moderators have your report.');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows other refusals in the dialog', async () => {
    rendered = await renderReport([
      reportMock({ result: typed('FORBIDDEN', 'You may not report in this community.') }),
    ]);
    const { container } = rendered;
    await fillAndSend(container);
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'The report was not sent: You may not report in this community.',
      ),
    );
    expect(container.querySelector('[role="dialog"]')).not.toBeNull();
  });
});

const user = (id: string, displayName: string) => ({ __typename: 'User' as const, id, displayName });

const action = (
  id: string,
  kind: ModerationActionEntryFragment['action'],
  overrides: Partial<ModerationActionEntryFragment> = {},
): ModerationActionEntryFragment => ({
  __typename: 'ModerationAction',
  id,
  caseId: 'case1',
  action: kind,
  reason: null,
  createdAt: '2026-12-01T10:05:00.000Z',
  undoesActionId: null,
  undoneBy: null,
  actor: user('mod', 'Mo Moderator'),
  ...overrides,
});

const kase = (overrides: Partial<ModerationCaseItemFragment> = {}): ModerationCaseItemFragment => ({
  __typename: 'ModerationCase',
  id: 'case1',
  targetType: 'POST',
  targetId: 'p1',
  postId: 'p1',
  excerpt: 'Cheap watches, visit my shop',
  status: 'OPEN',
  resolution: null,
  riskScore: 60,
  severity: 'HIGH',
  reportCount: 1,
  openedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  resolvedAt: null,
  contentState: 'VISIBLE',
  targetUser: user('u2', 'Spammy Sam'),
  flags: [
    {
      __typename: 'ModerationFlag',
      kind: 'LINK_SPAM',
      score: 40,
      details: ['4 distinct links'],
    },
  ],
  reports: [
    {
      __typename: 'ModerationReport',
      id: 'r1',
      reason: 'SPAM',
      note: 'Selling things',
      createdAt: '2026-12-01T10:00:00.000Z',
      reporter: user('u3', 'Rita Reporter'),
    },
  ],
  actions: [],
  ...overrides,
});

const queue = (
  cases: ModerationCaseItemFragment[],
  status: 'OPEN' | 'RESOLVED' = 'OPEN',
  severity?: 'CRITICAL',
) => ({
  request: {
    query: ModerationQueueDocument,
    variables: { communityId: 'c1', status, ...(severity ? { severity } : {}) },
  },
  result: {
    data: {
      community: {
        __typename: 'Community',
        id: 'c1',
        moderationQueue: {
          __typename: 'ModerationCaseConnection',
          edges: cases.map((node) => ({ __typename: 'ModerationCaseEdge', cursor: `cur-${node.id}`, node })),
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      },
    },
  },
});

const settings = (badWords: string[]) => ({
  request: { query: ModerationSettingsDocument, variables: { communityId: 'c1' } },
  result: {
    data: {
      community: {
        __typename: 'Community',
        id: 'c1',
        moderationSettings: {
          __typename: 'CommunityModerationSettings',
          badWords,
          defaultBadWordCount: 16,
          updatedAt: null,
        },
      },
    },
  },
});

const acted = (field: 'moderate' | 'undoModerationAction', a: ModerationActionEntryFragment, c: object) => ({
  data: { [field]: { __typename: 'ModerationActionPayload', action: a, moderationCase: c } },
});

const tab = (permissions: CommunityPermission[]) => [
  { path: '/', element: <ModerationTab communityId="c1" permissions={permissions} /> },
];

describe('ModerationTab', () => {
  it('shows an open case, suppresses it, undoes the suppression and keeps the audit trail', async () => {
    const suppress = action('a1', 'SUPPRESS', { reason: 'Spam links' });
    const suppressed = kase({
      status: 'RESOLVED',
      resolution: 'SUPPRESS',
      contentState: 'SUPPRESSED',
      actions: [suppress],
    });
    const undo = action('a2', 'UNDO', { undoesActionId: 'a1', createdAt: '2026-12-01T10:06:00.000Z' });
    const reopened = kase({ actions: [{ ...suppress, undoneBy: 'a2' }, undo] });
    rendered = await renderPage(tab(MODERATOR), {
      mocks: [
        queue([kase()]),
        settings(['scam']),
        {
          request: {
            query: ModerateDocument,
            variables: { input: { caseId: 'case1', action: 'SUPPRESS', reason: 'Spam links' } },
          },
          result: acted('moderate', suppress, suppressed),
        },
        {
          request: { query: UndoModerationActionDocument, variables: { input: { actionId: 'a1' } } },
          result: acted('undoModerationAction', undo, reopened),
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('.eg-case h2')?.textContent).toBe('Post by Spammy Sam'),
    );
    const card = container.querySelector<HTMLElement>('.eg-case')!;
    expect(card.textContent).toContain('Severity: High');
    expect(card.textContent).toContain('risk 60/100 · Open');
    expect(card.querySelector('blockquote')?.textContent).toBe('Cheap watches, visit my shop');
    expect(card.querySelector('ul[aria-label="Reasons"]')?.textContent).toBe(
      'Spam — Rita Reporter: “Selling things”',
    );
    expect(card.querySelector('ul[aria-label="Automatic flags"]')?.textContent).toBe(
      'Link spam (+40): 4 distinct links',
    );
    expect(card.textContent).toContain('1 report');
    expect([...card.querySelectorAll('[role="group"] button')].map((b) => b.textContent)).toEqual([
      'Approve',
      'Reject',
      'Suppress',
      'Ban',
    ]);
    expect(card.textContent).toContain('Audit trail (0)');
    await eventually(() => expect(textarea(container, 'Blocked words (one a line)').value).toBe('scam'));
    expect(await axeViolations(container)).toEqual([]);

    const { typeText, field } = await import('../../testing/render.js');
    await typeText(field(container, 'Reason for the audit (optional)'), 'Spam links');
    await click(button(card, 'Suppress'));
    await eventually(() => expect(card.textContent).toContain('Resolved (Suppress)'));
    expect(status(card)).toContain('Suppress: done. The case is resolved.');
    expect(card.textContent).toContain('Suppressed');
    expect(card.textContent).toContain('Audit trail (1)');
    expect(card.querySelector('.eg-case__audit li')?.textContent).toContain('Suppress by Mo Moderator');
    expect([...card.querySelectorAll('[role="group"] button')].map((b) => b.textContent)).toEqual([
      'Approve',
      'Reject',
      'Restore',
      'Ban',
      'Undo suppress',
    ]);

    await click(button(card, 'Undo suppress'));
    await eventually(() => expect(status(card)).toContain('Suppress undone.'));
    expect(card.textContent).toContain('risk 60/100 · Open');
    expect([...card.querySelectorAll('.eg-case__audit li')].map((li) => li.textContent)).toEqual([
      expect.stringContaining('Suppress by Mo Moderator'),
      expect.stringContaining('Undo by Mo Moderator'),
    ]);
    expect(card.querySelector('.eg-case__audit li')?.textContent).toContain('(undone)');
    // nothing left to undo: the suppression was undone and an undo is final
    expect(card.textContent).not.toContain('Undo suppress');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('asks before banning, and shows a typed refusal clearly', async () => {
    rendered = await renderPage(tab(MODERATOR), {
      mocks: [
        queue([kase()]),
        settings([]),
        {
          request: { query: ModerateDocument, variables: { input: { caseId: 'case1', action: 'BAN' } } },
          result: typed('INVALID_MEMBERSHIP_STATE', 'A LEFT membership cannot be banned.'),
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-case')).not.toBeNull());
    const card = container.querySelector<HTMLElement>('.eg-case')!;
    await click(button(card, 'Ban'));
    const confirm = card.querySelector<HTMLElement>('[role="alertdialog"]')!;
    expect(confirm.getAttribute('aria-label')).toBe('Ban Spammy Sam?');
    expect(document.activeElement?.textContent).toBe('Keep Spammy Sam');
    await click(button(confirm, 'Keep Spammy Sam'));
    expect(card.querySelector('[role="alertdialog"]')).toBeNull();
    await click(button(card, 'Ban'));
    await click(button(card.querySelector<HTMLElement>('[role="alertdialog"]')!, 'Ban Spammy Sam'));
    await eventually(() =>
      expect(card.querySelector('[role="alert"]')?.textContent).toBe(
        'The member’s standing does not allow it: A LEFT membership cannot be banned.',
      ),
    );
  });

  it('mutes the author for a chosen time', async () => {
    const mute = action('a1', 'MUTE');
    rendered = await renderPage(tab([...MODERATOR, 'MEMBER_MUTE']), {
      mocks: [
        queue([kase()]),
        settings([]),
        {
          request: {
            query: ModerateDocument,
            variables: { input: { caseId: 'case1', action: 'MUTE', muteHours: 168 } },
          },
          result: acted('moderate', mute, kase({ status: 'RESOLVED', resolution: 'MUTE', actions: [mute] })),
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-case')).not.toBeNull());
    const card = container.querySelector<HTMLElement>('.eg-case')!;
    expect([...card.querySelectorAll('[aria-label^="Actions on"] button')].map((b) => b.textContent)).toEqual(
      ['Approve', 'Reject', 'Suppress', 'Mute', 'Ban'],
    );
    await click(button(card, 'Mute'));
    const group = card.querySelector<HTMLElement>('[role="group"][aria-label="Mute Spammy Sam"]')!;
    const select = [...group.querySelectorAll('label')].find((l) => l.textContent === 'Mute for')!
      .control as HTMLSelectElement;
    expect(document.activeElement).toBe(select);
    const { act } = await import('react');
    await act(async () => {
      select.value = '168';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(await axeViolations(container)).toEqual([]);
    await click(button(group, 'Mute Spammy Sam'));
    await eventually(() => expect(status(card)).toContain('Mute: done. The case is resolved.'));
    expect(card.textContent).toContain('Undo mute');
  });

  it('explains an undo the API refuses', async () => {
    const reject = action('a1', 'REJECT');
    rendered = await renderPage(tab(MODERATOR), {
      mocks: [
        queue([
          kase({ status: 'RESOLVED', resolution: 'REJECT', contentState: 'REMOVED', actions: [reject] }),
        ]),
        settings([]),
        {
          request: { query: UndoModerationActionDocument, variables: { input: { actionId: 'a1' } } },
          result: typed('MODERATION_STATE_CHANGED', 'The target changed since this action.'),
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-case')).not.toBeNull());
    await click(button(container, 'Undo reject'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'The content changed since this action (edited, deleted or moderated elsewhere): The target changed since this action.',
      ),
    );
  });

  it('offers only the actions the viewer’s permissions allow, and switches to resolved cases', async () => {
    rendered = await renderPage(tab(['CONTENT_READ', 'REPORTS_HANDLE']), {
      mocks: [queue([kase()]), settings([]), queue([], 'RESOLVED')],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-case')).not.toBeNull());
    expect(
      [...container.querySelectorAll('.eg-case [role="group"] button')].map((b) => b.textContent),
    ).toEqual(['Approve']);
    await click(button(container, 'Resolved cases'));
    await eventually(() => expect(container.textContent).toContain('No resolved cases yet.'));
    expect(button(container, 'Resolved cases').getAttribute('aria-pressed')).toBe('true');
  });

  it('filters the queue by severity', async () => {
    rendered = await renderPage(tab(MODERATOR), {
      mocks: [queue([kase()]), settings([]), queue([], 'OPEN', 'CRITICAL')],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-case')).not.toBeNull());
    const select = [...container.querySelectorAll('label')].find((l) => l.textContent === 'Severity')!
      .control as HTMLSelectElement;
    const { act } = await import('react');
    await act(async () => {
      select.value = 'CRITICAL';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await eventually(() => expect(container.textContent).toContain('No open cases of critical severity.'));
    expect(container.querySelector('.eg-case')).toBeNull();
  });

  it('saves the bad-word list', async () => {
    rendered = await renderPage(tab(MODERATOR), {
      mocks: [
        queue([]),
        settings([]),
        {
          request: {
            query: UpdateModerationSettingsDocument,
            variables: { input: { communityId: 'c1', badWords: ['scam', 'crypto giveaway'] } },
          },
          result: {
            data: {
              updateModerationSettings: {
                __typename: 'CommunityModerationSettings',
                badWords: ['scam', 'crypto giveaway'],
                defaultBadWordCount: 16,
                updatedAt: '2026-12-01T11:00:00.000Z',
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.textContent).toContain('No open cases.'));
    await eventually(() => expect(button(container, 'Save settings').disabled).toBe(false));
    await typeInto(textarea(container, 'Blocked words (one a line)'), 'scam\n\n crypto giveaway \nSCAM');
    await click(button(container, 'Save settings'));
    await eventually(() => expect(status(container)).toContain('Saved: 2 words added to the built-in list.'));
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('moderation helpers', () => {
  it('undoes the latest standing action only', () => {
    expect(undoableAction([])).toBeNull();
    expect(undoableAction([action('a1', 'AUTO_SUPPRESS'), action('a2', 'APPROVE')])?.id).toBe('a2');
    expect(
      undoableAction([
        action('a1', 'AUTO_SUPPRESS'),
        action('a2', 'APPROVE', { undoneBy: 'a3' }),
        action('a3', 'UNDO', { undoesActionId: 'a2' }),
      ])?.id,
    ).toBe('a1');
  });

  it('parses the bad-word list one a line without blanks or repeats', () => {
    expect(parseBadWords(' scam \n\nScam\ncrypto giveaway\n')).toEqual(['scam', 'crypto giveaway']);
  });

  it('puts a restored post back in its place, not past the loaded pages', () => {
    const edge = (id: string, publishAt: string, pinned = false) =>
      ({ __typename: 'PostEdge', cursor: id, node: { id, publishAt, pinned } }) as never;
    const edges = [edge('pin', '2026-01-01T00:00:00Z', true), edge('b', '2026-03-01T00:00:00Z')];
    const ids = (list: { node: { id: string } }[]) => list.map((e) => e.node.id);
    expect(ids(reinsertPost(edges, edge('c', '2026-04-01T00:00:00Z'), true))).toEqual(['pin', 'c', 'b']);
    expect(ids(reinsertPost(edges, edge('a', '2026-02-01T00:00:00Z'), false))).toEqual(['pin', 'b', 'a']);
    expect(ids(reinsertPost(edges, edge('a', '2026-02-01T00:00:00Z'), true))).toEqual(['pin', 'b']);
  });
});

describe('CommunityPage moderation tab', () => {
  const home = (permissions: CommunityPermission[]) => ({
    request: { query: CommunityHomeDocument, variables: { slug: 'edugraph-learners' } },
    result: {
      data: {
        community: {
          __typename: 'Community',
          id: 'c1',
          name: 'Edugraph learners',
          slug: 'edugraph-learners',
          description: 'Learners helping learners.',
          memberCount: 12,
          visibility: 'PUBLIC',
          joinPolicy: 'OPEN',
          archivedAt: null,
          categories: [],
          calendarFeedUrl: null,
          viewerPermissions: permissions,
          cover: null,
          viewerMembership: {
            __typename: 'CommunityMembership',
            id: 'm1',
            role: 'MEMBER',
            status: 'ACTIVE',
            points: 0,
            level: 1,
            streak: { __typename: 'CommunityStreak', current: 0, longest: 0 },
          },
        },
      },
    },
  });
  const emptyFeed = {
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
  };
  const never = {
    request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } },
    delay: Infinity,
    result: { data: null },
  };
  const routes = [{ path: '/communities/:slug/:tab', element: <CommunityPage /> }];
  const tabs = (container: HTMLElement) =>
    [...container.querySelectorAll('nav[aria-label="Community sections"] a')].map((a) => a.textContent);

  it('hides the Moderation tab from members, and its address shows the feed', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/moderation',
      mocks: [home(MEMBER), emptyFeed, never],
    });
    const { container } = rendered;
    await eventually(() => expect(container.textContent).toContain('No posts yet.'));
    expect(tabs(container)).not.toContain('Moderation');
    expect(container.querySelector('section[aria-label="Feed"]')).not.toBeNull();
  });

  it('shows the Moderation tab to those who handle reports', async () => {
    rendered = await renderPage(routes, {
      at: '/communities/edugraph-learners/moderation',
      mocks: [home(MODERATOR), queue([kase()]), settings([])],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('.eg-case h2')?.textContent).toBe('Post by Spammy Sam'),
    );
    expect(tabs(container)).toContain('Moderation');
    expect(container.querySelector('section[aria-label="Moderation"]')).not.toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('FeedTab and moderation', () => {
  const feedPost = (id: string, overrides: Partial<FeedPostFragment> = {}): FeedPostFragment => ({
    __typename: 'Post',
    id,
    title: `Post ${id}`,
    excerpt: `Body of ${id}`,
    body: `<p>Body of ${id}</p>`,
    tags: [],
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
    author: user('u2', 'Ada'),
    poll: null,
    ...overrides,
  });
  const feedOf = (posts: FeedPostFragment[]) => ({
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
  const event = (kind: 'DELETED' | 'UPDATED', postId: string, post: FeedPostFragment | null) => ({
    request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } },
    delay: 300,
    result: {
      data: {
        communityFeedUpdated: {
          __typename: 'CommunityFeedEvent',
          kind,
          postId,
          at: '2026-11-28T10:00:00.000Z',
          post,
        },
      },
    },
  });
  const feedTab = (permissions: CommunityPermission[]) => [
    { path: '/', element: <FeedTab communityId="c1" permissions={permissions} /> },
  ];
  const titles = (container: HTMLElement) =>
    [...container.querySelectorAll('.eg-post h2')].map((h) => h.textContent);

  it('drops a post a moderator suppressed (DELETED for members)', async () => {
    rendered = await renderPage(feedTab(MEMBER), {
      mocks: [
        feedOf([feedPost('p2', { publishAt: '2026-11-28T10:00:00.000Z' }), feedPost('p1')]),
        event('DELETED', 'p2', null),
      ],
    });
    const { container } = rendered;
    // the post is shown first (the event comes later), then goes
    const seen = new Set<string | null>();
    await eventually(() => {
      for (const t of titles(container)) seen.add(t);
      expect(seen).toContain('Post p2');
      expect(titles(container)).toEqual(['Post p1']);
    });
  });

  it('puts a restored post back in its place (UPDATED for a post not shown)', async () => {
    const restored = feedPost('p2', { publishAt: '2026-11-28T10:00:00.000Z' });
    rendered = await renderPage(feedTab(MEMBER), {
      mocks: [
        feedOf([feedPost('p3', { publishAt: '2026-11-28T11:00:00.000Z' }), feedPost('p1')]),
        event('UPDATED', 'p2', restored),
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(titles(container)).toEqual(['Post p3', 'Post p2', 'Post p1']));
  });

  it('marks suppressed posts for moderators, and offers Report only on others’ posts', async () => {
    rendered = await renderPage(feedTab(MODERATOR), {
      mocks: [
        feedOf([
          feedPost('p2', { moderationState: 'SUPPRESSED', publishAt: '2026-11-28T10:00:00.000Z' }),
          feedPost('p1', { viewerCanEdit: true, viewerCanDelete: true }),
        ]),
        {
          request: { query: CommunityFeedUpdatedDocument, variables: { communityId: 'c1' } },
          delay: Infinity,
          result: { data: null },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(titles(container)).toEqual(['Post p2', 'Post p1']));
    const [suppressed, own] = [...container.querySelectorAll<HTMLElement>('.eg-post')];
    expect(suppressed!.querySelector('.eg-post__moderation')?.textContent).toBe(
      'Suppressed — hidden from members',
    );
    expect(own!.querySelector('.eg-post__moderation')).toBeNull();
    expect(suppressed!.querySelector('button[aria-label="Report Post p2"]')).not.toBeNull();
    expect(own!.querySelector('button[aria-label^="Report"]')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });
});
