import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createLogger,
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
  type EventConsumer,
  type EventOutcome,
  type OutboxRelay,
} from '@edugraph/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { communityEventHandlers } from '../../event-handlers.js';
import {
  codes,
  createCommunityHarness,
  TEST_REDIS_URL,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { FeedModeration } from '../feed/feed-moderation.js';

const prefix = `test-moderation-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'moderation-test', level: 'silent' });
const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

let h: CommunityHarness;
let owner: TestUser;
let moderator: TestUser;
let communityId: string;
let consumer: EventConsumer;
let relay: OutboxRelay;
const deliveries: { event: DomainEvent; outcome: EventOutcome }[] = [];

beforeAll(async () => {
  h = await createCommunityHarness('moderation', { now: NOW });
  const events = { dataSource: h.dataSource, redisUrl: TEST_REDIS_URL, logger, prefix };
  consumer = await startEventConsumer({
    ...events,
    consumer: 'community',
    schema: 'community',
    handlers: communityEventHandlers(h.services),
    onProcessed: (event, outcome) => deliveries.push({ event, outcome }),
  });
  relay = startOutboxRelay({
    ...events,
    schema: 'community',
    source: 'community',
    listen: false,
    pollIntervalMs: 600_000,
  });
  owner = await h.user();
  moderator = await h.user();
  communityId = (await h.community(owner)).id;
  await h.member(communityId, moderator, 'MODERATOR');
});

afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  const keys = await h.redis.keys(`${prefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
  await h?.close();
});

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id moderationState } } }`;
const CREATE_COMMENT = `mutation($input: CreateCommentInput!) { createComment(input: $input) { comment { id } } }`;
const REPORT = `mutation($input: ReportContentInput!) { reportContent(input: $input) { report { id reason note status } } }`;
const CASE_FIELDS = `id targetType targetId postId excerpt status resolution riskScore severity reportCount contentState
  targetUser { id } flags { kind score details } reports { id reason reporter { id } status }
  actions { id action reason actor { id } before after undoesActionId undoneBy }`;
const CASE = `query($id: ID!) { moderationCase(id: $id) { ${CASE_FIELDS} } }`;
const MODERATE = `mutation($input: ModerateInput!) { moderate(input: $input) {
  action { id action reason before after } moderationCase { id status resolution } } }`;
const UNDO = `mutation($input: UndoModerationActionInput!) { undoModerationAction(input: $input) {
  action { id action undoesActionId before after } moderationCase { id status resolution } } }`;
const QUEUE = `query($id: ID!, $status: ModerationCaseStatus, $severity: ModerationSeverity, $first: Int, $after: String) {
  community(id: $id) { moderationQueue(status: $status, severity: $severity, first: $first, after: $after) {
    edges { cursor node { id riskScore severity targetId reportCount flags { kind } actions { id } reports { id } contentState targetUser { id } } }
    pageInfo { hasNextPage endCursor } } } }`;
const SETTINGS = `mutation($input: UpdateModerationSettingsInput!) { updateModerationSettings(input: $input) { badWords defaultBadWordCount } }`;

type Case = {
  id: string;
  targetType: string;
  targetId: string;
  status: string;
  resolution: string | null;
  riskScore: number;
  severity: string;
  reportCount: number;
  contentState: string | null;
  flags: { kind: string; score: number; details: string[] }[];
  reports: { id: string; status: string }[];
  actions: {
    id: string;
    action: string;
    actor: { id: string } | null;
    undoesActionId: string | null;
    undoneBy: string | null;
  }[];
};

async function member(id = communityId, joinedDaysAgo = 10): Promise<TestUser> {
  const user = await h.user();
  await h.member(id, user);
  await h.dataSource.query(
    `UPDATE "community".memberships SET joined_at = $3 WHERE community_id = $1 AND user_id = $2`,
    [id, user.id, new Date(NOW.getTime() - joinedDaysAgo * DAY)],
  );
  return user;
}

/** Waits until the consumer handled the outbox event `type` whose payload has `key` = `value`. */
async function handled(type: string, key: string, value: string): Promise<void> {
  await relay.flush();
  await vi.waitFor(
    () => expect(deliveries.some((d) => d.event.type === type && d.event.payload[key] === value)).toBe(true),
    { timeout: 15_000, interval: 20 },
  );
}

async function post(
  author: TestUser,
  body: string,
  title: string | null = null,
  id = communityId,
): Promise<string> {
  const data = await h.ok<{ createPost: { post: { id: string } } }>(
    CREATE_POST,
    { input: { communityId: id, body, ...(title ? { title } : {}) } },
    author,
  );
  const postId = data.createPost.post.id;
  await handled('community.post.created', 'postId', postId);
  return postId;
}

async function comment(author: TestUser, postId: string, body: string): Promise<string> {
  const data = await h.ok<{ createComment: { comment: { id: string } } }>(
    CREATE_COMMENT,
    { input: { postId, body } },
    author,
  );
  const commentId = data.createComment.comment.id;
  await handled('community.comment.created', 'commentId', commentId);
  return commentId;
}

async function caseOf(targetId: string): Promise<Case | null> {
  const [row] = (await h.dataSource.query(
    `SELECT id FROM "community".moderation_cases WHERE target_id = $1`,
    [targetId],
  )) as { id: string }[];
  if (!row) return null;
  return (await h.ok<{ moderationCase: Case }>(CASE, { id: row.id }, moderator)).moderationCase;
}

function report(as: TestUser, targetType: string, targetId: string, reason = 'SPAM', id = communityId) {
  return h.gql(REPORT, { input: { communityId: id, targetType, targetId, reason, note: 'please look' } }, as);
}

async function moderate(as: TestUser, caseId: string, action: string, extra: Record<string, unknown> = {}) {
  return h.gql<{ moderate: { action: { id: string; action: string } } }>(
    MODERATE,
    { input: { caseId, action, reason: `because ${action}`, ...extra } },
    as,
  );
}

async function stateOf(postId: string): Promise<string> {
  const [row] = (await h.dataSource.query(`SELECT moderation_state FROM "community".posts WHERE id = $1`, [
    postId,
  ])) as { moderation_state: string }[];
  return row!.moderation_state;
}

async function membershipRow(userId: string, id = communityId) {
  const [row] = (await h.dataSource.query(
    `SELECT status, role, custom_role_id, muted_until, joined_at, left_at, banned_at, ban_reason
     FROM "community".memberships WHERE community_id = $1 AND user_id = $2`,
    [id, userId],
  )) as Record<string, unknown>[];
  return row;
}

async function caseRow(caseId: string) {
  const [row] = (await h.dataSource.query(
    `SELECT status, resolution, resolved_at, resolved_by_id, approved_at, risk_score, severity, report_count, flag_score
     FROM "community".moderation_cases WHERE id = $1`,
    [caseId],
  )) as Record<string, unknown>[];
  return row;
}

async function memberCount(id = communityId): Promise<number> {
  const [row] = (await h.dataSource.query(`SELECT member_count FROM "community".communities WHERE id = $1`, [
    id,
  ])) as { member_count: number }[];
  return row!.member_count;
}

describe('reports', () => {
  it('lets members report posts, comments and members once per target; cases aggregate the reports', async () => {
    const author = await member();
    const reporters = [await member(), await member()];
    const postId = await post(author, '<p>A perfectly fine post</p>');
    const first = await report(reporters[0]!, 'POST', postId, 'SPAM');
    expect(first.errors).toBeUndefined();
    expect(codes(await report(reporters[0]!, 'POST', postId, 'HATE'))).toEqual(['ALREADY_REPORTED']);
    expect(codes(await report(author, 'POST', postId))).toEqual(['BAD_USER_INPUT']);
    await report(reporters[1]!, 'POST', postId, 'HARASSMENT');
    const kase = await caseOf(postId);
    expect(kase).toMatchObject({
      targetType: 'POST',
      status: 'OPEN',
      reportCount: 2,
      riskScore: 40,
      severity: 'MEDIUM',
      contentState: 'VISIBLE',
      flags: [],
    });
    expect(kase!.reports.map((r) => r.status)).toEqual(['OPEN', 'OPEN']);

    const commentId = await comment(author, postId, '<p>and a fine comment</p>');
    expect((await report(reporters[0]!, 'COMMENT', commentId)).errors).toBeUndefined();
    expect(await caseOf(commentId)).toMatchObject({
      targetType: 'COMMENT',
      postId,
      reportCount: 1,
      severity: 'LOW',
    });
    expect((await report(reporters[0]!, 'MEMBER', author.id, 'HARASSMENT')).errors).toBeUndefined();
    expect(await caseOf(author.id)).toMatchObject({ targetType: 'MEMBER', targetUser: { id: author.id } });
  });

  it('refuses outsiders, anonymous users, hidden and unknown targets — and changes nothing', async () => {
    const author = await member();
    const postId = await post(author, '<p>hello</p>');
    const outsider = await h.user();
    const refused = await report(outsider, 'POST', postId);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ permission: 'CONTENT_REPORT' });
    expect(
      codes(
        await h.gql(REPORT, { input: { communityId, targetType: 'POST', targetId: postId, reason: 'SPAM' } }),
      ),
    ).toEqual(['UNAUTHENTICATED']);
    const reporter = await member();
    expect(codes(await report(reporter, 'POST', randomUUID()))).toEqual(['NOT_FOUND']);
    expect(codes(await report(reporter, 'MEMBER', outsider.id))).toEqual(['NOT_FOUND']);
    // A post of another (private) community.
    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    const secret = await post(owner, '<p>secret</p>', null, hidden);
    expect(codes(await report(reporter, 'POST', secret))).toEqual(['NOT_FOUND']);
    expect(codes(await report(reporter, 'POST', secret, 'SPAM', hidden))).toEqual(['NOT_FOUND']);
    expect(await caseOf(postId)).toBeNull();
    expect(await caseOf(secret)).toBeNull();
  });
});

describe('automatic flags and severity', () => {
  it('scores bad words 40 / 60 / 80 (MEDIUM, HIGH, CRITICAL) and suppresses a CRITICAL post pending review', async () => {
    const author = await member();
    const one = await post(author, '<p>this is shit</p>');
    const two = await post(author, '<p>this is shit, fucking shit</p>');
    const three = await post(author, '<p>Sh1t</p>', 'You BITCH, fuck off');
    expect(await caseOf(one)).toMatchObject({ riskScore: 40, severity: 'MEDIUM', contentState: 'VISIBLE' });
    expect(await caseOf(two)).toMatchObject({ riskScore: 60, severity: 'HIGH', contentState: 'VISIBLE' });
    const critical = await caseOf(three);
    expect(critical).toMatchObject({
      riskScore: 80,
      severity: 'CRITICAL',
      status: 'OPEN',
      contentState: 'PENDING_REVIEW',
      flags: [{ kind: 'BAD_WORDS', score: 80, details: ['bitch', 'fuck', 'shit'] }],
    });
    expect(critical!.actions).toEqual([
      expect.objectContaining({ action: 'AUTO_SUPPRESS', actor: null, undoesActionId: null, undoneBy: null }),
    ]);
    expect(await stateOf(three)).toBe('PENDING_REVIEW');
    // One audit entry for the automatic suppression.
    const audit = await h.outbox(['audit.recorded']);
    expect(audit.filter((e) => e.aggregateId === three).map((e) => e.payload['action'])).toEqual([
      'community.moderation.auto_suppress',
    ]);
  });

  it('reaches CRITICAL from reports alone (4 reporters) and suppresses once', async () => {
    const author = await member();
    const postId = await post(author, '<p>borderline</p>');
    for (let i = 0; i < 3; i++) await report(await member(), 'POST', postId);
    expect(await caseOf(postId)).toMatchObject({ riskScore: 60, severity: 'HIGH', contentState: 'VISIBLE' });
    await report(await member(), 'POST', postId);
    const kase = await caseOf(postId);
    expect(kase).toMatchObject({ riskScore: 80, severity: 'CRITICAL', contentState: 'PENDING_REVIEW' });
    await report(await member(), 'POST', postId);
    expect((await caseOf(postId))!.actions.map((a) => a.action)).toEqual(['AUTO_SUPPRESS']);
  });

  it('uses the community’s bad-word additions, flags link spam and comments, and trusts moderators', async () => {
    const other = (await h.community(owner)).id;
    await h.member(other, moderator, 'MODERATOR');
    const settings = await h.ok<{
      updateModerationSettings: { badWords: string[]; defaultBadWordCount: number };
    }>(
      SETTINGS,
      { input: { communityId: other, badWords: ['Pineapple Pizza', 'pineapple pizza', ' durian '] } },
      moderator,
    );
    expect(settings.updateModerationSettings.badWords).toEqual(['durian', 'pineapple pizza']);
    const veteran = await member(other, 30);
    const added = await post(veteran, '<p>I love PINEAPPLE pizza</p>', null, other);
    expect(await caseOf(added)).toMatchObject({
      flags: [{ kind: 'BAD_WORDS', details: ['pineapple pizza'] }],
    });
    // Not in the first community.
    const elsewhere = await post(await member(), '<p>pineapple pizza</p>');
    expect(await caseOf(elsewhere)).toBeNull();

    const newcomer = await member(other, 1);
    const spam = await post(
      newcomer,
      '<p><a href="https://a.example/x">a</a> <a href="https://b.example">b</a> https://c.example https://d.example</p>',
      null,
      other,
    );
    expect(await caseOf(spam)).toMatchObject({
      riskScore: 60,
      severity: 'HIGH',
      flags: [{ kind: 'LINK_SPAM', score: 60, details: ['TOO_MANY_LINKS', 'NEW_MEMBER_LINKS'] }],
    });
    const oneLink = await post(veteran, '<p>see https://docs.example/guide</p>', null, other);
    expect(await caseOf(oneLink)).toBeNull();
    const repeated = await comment(veteran, oneLink, '<p>www.x.example www.x.example www.x.example</p>');
    expect(await caseOf(repeated)).toMatchObject({
      targetType: 'COMMENT',
      postId: oneLink,
      flags: [{ kind: 'LINK_SPAM', score: 30, details: ['REPEATED_LINKS'] }],
    });
    const trusted = await post(moderator, '<p>shit fuck bitch https://x.example</p>', null, other);
    expect(await caseOf(trusted)).toBeNull();
  });
});

describe('moderation actions', () => {
  it('refuses every action, undo and read to a plain member — and changes nothing', async () => {
    const author = await member();
    const plain = await member();
    const postId = await post(author, '<p>shit</p>');
    const kase = (await caseOf(postId))!;
    const before = await caseRow(kase.id);
    for (const action of ['APPROVE', 'REJECT', 'SUPPRESS', 'RESTORE', 'MUTE', 'BAN']) {
      const refused = await moderate(plain, kase.id, action);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        reason: 'MISSING_PERMISSION',
        permission: 'REPORTS_HANDLE',
      });
    }
    // A moderator's action the member then tries to undo.
    const acted = await moderate(moderator, kase.id, 'SUPPRESS');
    const actionId = acted.data!.moderate.action.id;
    expect(codes(await h.gql(UNDO, { input: { actionId } }, plain))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(CASE, { id: kase.id }, plain))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(QUEUE, { id: communityId }, plain))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(SETTINGS, { input: { communityId, badWords: ['x'] } }, plain))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.gql(CASE, { id: kase.id }, await h.user()))).toEqual(['FORBIDDEN']);
    expect(codes(await moderate(await h.user(), kase.id, 'APPROVE'))).toEqual(['FORBIDDEN']);
    expect(await stateOf(postId)).toBe('SUPPRESSED');
    expect((await caseOf(postId))!.actions.map((a) => [a.action, a.undoneBy])).toEqual([['SUPPRESS', null]]);
    expect(before).toMatchObject({ status: 'OPEN' });
    expect(await membershipRow(author.id)).toMatchObject({ status: 'ACTIVE', muted_until: null });
  });

  it('needs the action’s own permission and a higher rank than the target', async () => {
    const admin = await h.user();
    await h.member(communityId, admin, 'ADMIN');
    const custom = await h.ok<{ createCommunityRole: { role: { id: string } } }>(
      `mutation($input: CreateCommunityRoleInput!) { createCommunityRole(input: $input) { role { id } } }`,
      { input: { communityId, name: `Triage ${randomUUID().slice(0, 4)}`, permissions: ['REPORTS_HANDLE'] } },
      owner,
    );
    const triage = await h.user();
    await h.member(communityId, triage, 'MEMBER', { customRoleId: custom.createCommunityRole.role.id });
    const author = await member();
    const postId = await post(author, '<p>shit</p>');
    const kase = (await caseOf(postId))!;
    const refused = await moderate(triage, kase.id, 'REJECT');
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ permission: 'POST_MODERATE' });
    expect((await moderate(triage, kase.id, 'APPROVE')).errors).toBeUndefined();
    // A moderator cannot ban an admin reported as a member.
    await report(author, 'MEMBER', admin.id, 'HARASSMENT');
    const adminCase = (await caseOf(admin.id))!;
    const rank = await moderate(moderator, adminCase.id, 'BAN');
    expect(codes(rank)).toEqual(['FORBIDDEN']);
    expect(rank.errors?.[0]?.extensions).toMatchObject({ reason: 'RANK' });
    expect(codes(await moderate(moderator, adminCase.id, 'REJECT'))).toEqual(['INVALID_MODERATION_ACTION']);
    expect(await membershipRow(admin.id)).toMatchObject({ status: 'ACTIVE', role: 'ADMIN' });
  });

  it('rejects, approves and restores content, closing reports; undo restores content, case and reports exactly', async () => {
    const author = await member();
    const postId = await post(author, '<p>questionable</p>');
    const reporters = [await member(), await member()];
    for (const r of reporters) await report(r, 'POST', postId);
    const kase = (await caseOf(postId))!;
    const caseBefore = await caseRow(kase.id);
    const rejected = await h.ok<{
      moderate: { action: { id: string }; moderationCase: { status: string; resolution: string } };
    }>(MODERATE, { input: { caseId: kase.id, action: 'REJECT', reason: 'off topic' } }, moderator);
    expect(rejected.moderate.moderationCase).toMatchObject({ status: 'RESOLVED', resolution: 'REJECT' });
    expect(await stateOf(postId)).toBe('REMOVED');
    expect((await caseOf(postId))!.reports.map((r) => r.status)).toEqual(['CLOSED', 'CLOSED']);
    // The reporter may report again once the report is closed — but undo first.
    const undone = await h.ok<{
      undoModerationAction: { action: { action: string; undoesActionId: string } };
    }>(UNDO, { input: { actionId: rejected.moderate.action.id, reason: 'too quick' } }, moderator);
    expect(undone.undoModerationAction.action).toMatchObject({
      action: 'UNDO',
      undoesActionId: rejected.moderate.action.id,
    });
    expect(await stateOf(postId)).toBe('VISIBLE');
    expect(await caseRow(kase.id)).toEqual(caseBefore);
    const after = (await caseOf(postId))!;
    expect(after.reports.map((r) => r.status)).toEqual(['OPEN', 'OPEN']);
    expect(after.actions.map((a) => [a.action, a.undoneBy !== null])).toEqual([
      ['REJECT', true],
      ['UNDO', false],
    ]);
    const again = await h.gql(UNDO, { input: { actionId: rejected.moderate.action.id } }, moderator);
    expect(codes(again)).toEqual(['UNDO_NOT_ALLOWED']);
    expect(again.errors?.[0]?.extensions).toMatchObject({ reason: 'ALREADY_UNDONE' });
    const undoId = after.actions[1]!.id;
    expect(
      (await h.gql(UNDO, { input: { actionId: undoId } }, moderator)).errors?.[0]?.extensions,
    ).toMatchObject({
      reason: 'UNDO',
    });

    // SUPPRESS then RESTORE: the earlier one cannot be undone before the later one.
    const suppressed = (await moderate(moderator, kase.id, 'SUPPRESS')).data!.moderate.action.id;
    const restored = (await moderate(moderator, kase.id, 'RESTORE')).data!.moderate.action.id;
    const notLatest = await h.gql(UNDO, { input: { actionId: suppressed } }, moderator);
    expect(notLatest.errors?.[0]?.extensions).toMatchObject({
      code: 'UNDO_NOT_ALLOWED',
      reason: 'NOT_LATEST',
    });
    await h.ok(UNDO, { input: { actionId: restored } }, moderator);
    expect(await stateOf(postId)).toBe('SUPPRESSED');
    await h.ok(UNDO, { input: { actionId: suppressed } }, moderator);
    expect(await stateOf(postId)).toBe('VISIBLE');
    expect(await caseRow(kase.id)).toEqual(caseBefore);

    // The content changed outside moderation: the undo would not be exact.
    const removed = (await moderate(moderator, kase.id, 'SUPPRESS')).data!.moderate.action.id;
    await h.dataSource.transaction((m) =>
      FeedModeration.setState(m, { targetType: 'POST', targetId: postId }, 'VISIBLE'),
    );
    expect(codes(await h.gql(UNDO, { input: { actionId: removed } }, moderator))).toEqual([
      'MODERATION_STATE_CHANGED',
    ]);

    // Audit to the platform for each action, with before/after.
    const audit = (await h.outbox(['audit.recorded'])).filter((e) => e.aggregateId === postId);
    expect(audit.map((e) => e.payload['action'])).toEqual([
      'community.moderation.reject',
      'community.moderation.undo',
      'community.moderation.suppress',
      'community.moderation.restore',
      'community.moderation.undo',
      'community.moderation.undo',
      'community.moderation.suppress',
    ]);
    expect(audit[0]!.payload).toMatchObject({
      actorId: moderator.id,
      targetType: 'community.post',
      targetId: postId,
      metadata: {
        caseId: kase.id,
        reason: 'off topic',
        before: { content: { state: 'VISIBLE' } },
        after: { content: { state: 'REMOVED' } },
      },
    });
  });

  it('approving a suppressed post shows it again and it is not suppressed automatically again', async () => {
    const author = await member();
    const postId = await post(author, '<p>shit fuck bitch</p>');
    expect(await stateOf(postId)).toBe('PENDING_REVIEW');
    const kase = (await caseOf(postId))!;
    await moderate(moderator, kase.id, 'APPROVE');
    expect(await stateOf(postId)).toBe('VISIBLE');
    await report(await member(), 'POST', postId);
    expect(await caseOf(postId)).toMatchObject({
      status: 'OPEN',
      severity: 'CRITICAL',
      contentState: 'VISIBLE',
    });
  });

  it('bans through the membership model and an undo restores the membership exactly', async () => {
    const roleId = (
      await h.ok<{ createCommunityRole: { role: { id: string } } }>(
        `mutation($input: CreateCommunityRoleInput!) { createCommunityRole(input: $input) { role { id } } }`,
        { input: { communityId, name: `Helper ${randomUUID().slice(0, 4)}`, permissions: ['POST_PIN'] } },
        owner,
      )
    ).createCommunityRole.role.id;
    const target = await h.user();
    await h.member(communityId, target, 'MEMBER', {
      customRoleId: roleId,
      mutedUntil: new Date(NOW.getTime() + 2 * DAY),
    });
    await report(await member(), 'MEMBER', target.id, 'HARASSMENT');
    const kase = (await caseOf(target.id))!;
    const before = await membershipRow(target.id);
    const count = await memberCount();
    const banned = await moderate(owner, kase.id, 'BAN');
    expect(banned.errors).toBeUndefined();
    expect(await membershipRow(target.id)).toMatchObject({
      status: 'BANNED',
      ban_reason: 'because BAN',
      custom_role_id: null,
    });
    expect(await memberCount()).toBe(count - 1);
    const left = (await h.outbox(['community.member.left'])).filter((e) => e.payload['userId'] === target.id);
    expect(left.map((e) => e.payload['reason'])).toEqual(['BANNED']);
    // Banned: cannot report any more.
    const bannedReport = await report(target, 'MEMBER', owner.id);
    expect(bannedReport.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BANNED' });

    await h.ok(UNDO, { input: { actionId: banned.data!.moderate.action.id } }, owner);
    expect(await membershipRow(target.id)).toEqual(before);
    expect(await memberCount()).toBe(count);
    expect(
      (await h.outbox(['community.member.joined'])).filter((e) => e.payload['userId'] === target.id),
    ).toHaveLength(1);
  });

  it('mutes a member end to end: no posts or comments until the undo', async () => {
    const author = await member();
    const postId = await post(author, '<p>fine</p>');
    await report(await member(), 'MEMBER', author.id, 'SPAM');
    const kase = (await caseOf(author.id))!;
    const muted = await moderate(moderator, kase.id, 'MUTE', { muteHours: 48 });
    expect(muted.errors).toBeUndefined();
    expect(await membershipRow(author.id)).toMatchObject({ muted_until: new Date(NOW.getTime() + 2 * DAY) });
    const refusedPost = await h.gql(CREATE_POST, { input: { communityId, body: '<p>again</p>' } }, author);
    expect(codes(refusedPost)).toEqual(['FORBIDDEN']);
    expect(refusedPost.errors?.[0]?.extensions).toMatchObject({ reason: 'MUTED' });
    const refusedComment = await h.gql(CREATE_COMMENT, { input: { postId, body: '<p>hm</p>' } }, author);
    expect(codes(refusedComment)).toEqual(['FORBIDDEN']);
    expect(codes(await moderate(moderator, kase.id, 'MUTE', { muteHours: 0 }))).toEqual(['BAD_USER_INPUT']);
    await h.ok(UNDO, { input: { actionId: muted.data!.moderate.action.id } }, moderator);
    expect(await membershipRow(author.id)).toMatchObject({ muted_until: null, status: 'ACTIVE' });
    expect(
      (await h.gql(CREATE_POST, { input: { communityId, body: '<p>back</p>' } }, author)).errors,
    ).toBeUndefined();
  });
});

describe('the moderation queue', () => {
  it('lists open cases riskiest first with a severity filter and cursors, in bounded SQL', async () => {
    const other = (await h.community(owner)).id;
    await h.member(other, moderator, 'MODERATOR');
    const author = await member(other);
    const bodies = ['<p>shit</p>', '<p>shit fuck</p>', '<p>shit fuck bitch</p>', '<p>fine</p>'];
    const posts: string[] = [];
    for (const body of bodies) posts.push(await post(author, body, null, other));
    await report(await member(other), 'POST', posts[3]!, 'SPAM', other);
    type Page = {
      community: {
        moderationQueue: {
          edges: { cursor: string; node: { targetId: string; riskScore: number; severity: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    };
    const all = await h.ok<Page>(QUEUE, { id: other }, moderator);
    expect(all.community.moderationQueue.edges.map((e) => [e.node.targetId, e.node.riskScore])).toEqual([
      [posts[2], 80],
      [posts[1], 60],
      [posts[0], 40],
      [posts[3], 20],
    ]);
    const high = await h.ok<Page>(QUEUE, { id: other, severity: 'HIGH' }, moderator);
    expect(high.community.moderationQueue.edges.map((e) => e.node.targetId)).toEqual([posts[1]]);
    const first = await h.ok<Page>(QUEUE, { id: other, first: 2 }, moderator);
    expect(first.community.moderationQueue.pageInfo.hasNextPage).toBe(true);
    const next = await h.ok<Page>(
      QUEUE,
      { id: other, first: 2, after: first.community.moderationQueue.pageInfo.endCursor },
      moderator,
    );
    expect(next.community.moderationQueue.edges.map((e) => e.node.targetId)).toEqual([posts[0], posts[3]]);
    expect(codes(await h.gql(QUEUE, { id: other, first: 51 }, moderator))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(QUEUE, { id: other, after: 'nope' }, moderator))).toEqual(['BAD_USER_INPUT']);
    const resolved = await h.ok<Page>(QUEUE, { id: other, status: 'RESOLVED' }, moderator);
    expect(resolved.community.moderationQueue.edges).toEqual([]);

    h.counter.reset();
    await h.ok(QUEUE, { id: other, first: 1 }, moderator);
    const one = h.counter.count;
    h.counter.reset();
    await h.ok(QUEUE, { id: other, first: 4 }, moderator);
    expect(h.counter.count).toBe(one);
  });
});
