import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  consumerQueueName,
  createEventTables,
  createLogger,
  recordEvent,
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
  type EventConsumer,
  type EventOutcome,
  type OutboxRelay,
} from '@edugraph/kit';
import { Queue } from 'bullmq';
import express from 'express';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { communityEventHandlers } from '../../event-handlers.js';
import {
  codes,
  createCommunityHarness,
  TEST_REDIS_URL,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { COMMERCE_SELLER_RULE_PATH, commerceSellerRuleRoute } from './commerce-seller-rule.js';

/** Commerce's side, simulated: a schema with an outbox in the same database, and its relay. */
const COMMERCE = 'commerce_sim';
const prefix = `test-paywall-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'paywall-test', level: 'silent' });
const TOKEN = 'internal-test-token';

let h: CommunityHarness;
let owner: TestUser;
let admin: TestUser;
let moderator: TestUser;
let member: TestUser;
let communityId: string;
let consumer: EventConsumer;
let commerceRelay: OutboxRelay;
let ruleServer: Server;
let ruleUrl: string;
const deliveries: { event: DomainEvent; outcome: EventOutcome }[] = [];

beforeAll(async () => {
  h = await createCommunityHarness('paywall');
  const runner = h.dataSource.createQueryRunner();
  try {
    await runner.query(`CREATE SCHEMA ${COMMERCE}`);
    await createEventTables(runner, COMMERCE);
  } finally {
    await runner.release();
  }
  const events = { dataSource: h.dataSource, redisUrl: TEST_REDIS_URL, logger, prefix };
  consumer = await startEventConsumer({
    ...events,
    consumer: 'community',
    schema: 'community',
    handlers: communityEventHandlers(h.services),
    onProcessed: (event, outcome) => deliveries.push({ event, outcome }),
  });
  commerceRelay = startOutboxRelay({
    ...events,
    schema: COMMERCE,
    source: 'commerce',
    listen: false,
    pollIntervalMs: 600_000,
  });
  const app = express();
  commerceSellerRuleRoute({ tiers: h.services.paywall.tiers, token: TOKEN, logger })(app);
  ruleServer = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => ruleServer.once('listening', () => resolve()));
  ruleUrl = `http://127.0.0.1:${(ruleServer.address() as AddressInfo).port}${COMMERCE_SELLER_RULE_PATH}`;
  owner = await h.user();
  admin = await h.user();
  moderator = await h.user();
  member = await h.user();
  communityId = (await h.community(owner)).id;
  await h.member(communityId, admin, 'ADMIN');
  await h.member(communityId, moderator, 'MODERATOR');
  await h.member(communityId, member);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (ruleServer ? ruleServer.close(() => resolve()) : resolve()));
  await commerceRelay?.stop();
  await consumer?.stop();
  const keys = await h.redis.keys(`${prefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
  await h?.close();
});

const CREATE = `mutation($input: CreatePaywallTierInput!) {
  createPaywallTier(input: $input) { tier { id communityId name description rank benefits archivedAt } }
}`;
const UPDATE = `mutation($input: UpdatePaywallTierInput!) {
  updatePaywallTier(input: $input) { tier { id name description rank benefits } }
}`;
const ARCHIVE = `mutation($input: ArchivePaywallTierInput!) {
  archivePaywallTier(input: $input) { tier { id archivedAt } }
}`;
const TIERS = `query($id: ID!, $all: Boolean) {
  community(id: $id) { tiers(includeArchived: $all) { id name rank } viewerTiers { id } }
}`;

type Tier = { id: string; name: string; rank: number };

async function createTier(input: Record<string, unknown>, as = owner, id = communityId): Promise<Tier> {
  const data = await h.ok<{ createPaywallTier: { tier: Tier } }>(
    CREATE,
    { input: { communityId: id, name: `Tier ${randomUUID().slice(0, 6)}`, rank: 1, ...input } },
    as,
  );
  return data.createPaywallTier.tier;
}

/** Records a subscription event as commerce would, relays it and waits until the consumer handled it. */
async function publish(type: string, payload: Record<string, unknown>): Promise<string> {
  const id = await h.dataSource.transaction((manager) =>
    recordEvent(manager, COMMERCE, { type, aggregateId: String(payload['subscriptionId']), payload }),
  );
  await commerceRelay.flush();
  await vi.waitFor(() => expect(deliveries.some((d) => d.event.id === id)).toBe(true), {
    timeout: 15_000,
    interval: 20,
  });
  return id;
}

function subscription(tierId: string, userId: string, extra: Record<string, unknown> = {}) {
  return {
    subscriptionId: randomUUID(),
    userId,
    tierId,
    status: 'ACTIVE',
    billingInterval: 'MONTHLY',
    accessUntil: '2030-02-01T00:00:00.000Z',
    ...extra,
  };
}

async function grants(subscriptionId: string) {
  return (await h.dataSource.query(
    `SELECT status, revoke_reason, access_until, user_id, tier_id FROM "community".tier_grants WHERE subscription_id = $1`,
    [subscriptionId],
  )) as { status: string; revoke_reason: string | null; access_until: Date | null }[];
}

async function tierEvents(type: string, userId: string) {
  return (await h.outbox([type])).filter((e) => e.payload['userId'] === userId);
}

async function membershipStatus(userId: string, id = communityId): Promise<string | null> {
  const [row] = (await h.dataSource.query(
    `SELECT status FROM "community".memberships WHERE community_id = $1 AND user_id = $2`,
    [id, userId],
  )) as { status: string }[];
  return row?.status ?? null;
}

describe('paywall tiers (TIER_MANAGE)', () => {
  it('lets admins and the owner create, update and archive tiers; members and moderators are refused', async () => {
    const created = await createTier(
      { name: '  Gold ', description: 'Best', rank: 3, benefits: ['Q&A', 'Q&A', 'Office hours'] },
      admin,
    );
    expect(created).toMatchObject({
      communityId,
      name: 'Gold',
      description: 'Best',
      rank: 3,
      benefits: ['Q&A', 'Office hours'],
      archivedAt: null,
    });
    for (const who of [member, moderator]) {
      const refused = await h.gql(CREATE, { input: { communityId, name: 'Nope', rank: 1 } }, who);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        reason: 'MISSING_PERMISSION',
        permission: 'TIER_MANAGE',
      });
      expect(codes(await h.gql(UPDATE, { input: { tierId: created.id, name: 'Mine' } }, who))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await h.gql(ARCHIVE, { input: { tierId: created.id } }, who))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await h.gql(CREATE, { input: { communityId, name: 'Anon', rank: 1 } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    // Nothing changed by the refusals.
    const [row] = await h.dataSource.query(
      `SELECT name, archived_at FROM "community".paywall_tiers WHERE id = $1`,
      [created.id],
    );
    expect(row).toEqual({ name: 'Gold', archived_at: null });
    expect(
      (await h.dataSource.query(`SELECT 1 FROM "community".paywall_tiers WHERE name IN ('Nope', 'Anon')`))
        .length,
    ).toBe(0);

    expect(codes(await h.gql(CREATE, { input: { communityId, name: 'GOLD', rank: 1 } }, owner))).toEqual([
      'TIER_NAME_TAKEN',
    ]);
    expect(codes(await h.gql(CREATE, { input: { communityId, name: 'Zero', rank: 0 } }, owner))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const updated = await h.ok<{ updatePaywallTier: { tier: Tier & { description: string } } }>(
      UPDATE,
      { input: { tierId: created.id, name: 'Gold+', rank: 4 } },
      owner,
    );
    expect(updated.updatePaywallTier.tier).toMatchObject({ name: 'Gold+', rank: 4, description: 'Best' });
    await h.ok(ARCHIVE, { input: { tierId: created.id } }, owner);
    expect(codes(await h.gql(UPDATE, { input: { tierId: created.id, name: 'Again' } }, owner))).toEqual([
      'TIER_ARCHIVED',
    ]);
    // The name is free again once archived.
    await createTier({ name: 'Gold+' }, owner);
    expect(codes(await h.gql(UPDATE, { input: { tierId: randomUUID(), name: 'X' } }, owner))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('lists live tiers by rank to readers, archived ones to managers only, and hides private tiers', async () => {
    const other = (await h.community(owner)).id;
    const low = await createTier({ name: 'Bronze', rank: 1 }, owner, other);
    const high = await createTier({ name: 'Silver', rank: 2 }, owner, other);
    const old = await createTier({ name: 'Old', rank: 1 }, owner, other);
    await h.ok(ARCHIVE, { input: { tierId: old.id } }, owner);
    const anonymous = await h.ok<{ community: { tiers: Tier[]; viewerTiers: unknown[] } }>(
      TIERS,
      {
        id: other,
      },
      null,
    );
    expect(anonymous.community.tiers.map((t) => t.id)).toEqual([low.id, high.id]);
    expect(anonymous.community.viewerTiers).toEqual([]);
    const all = await h.ok<{ community: { tiers: Tier[] } }>(TIERS, { id: other, all: true }, owner);
    expect(all.community.tiers.map((t) => t.id).sort()).toEqual([low.id, high.id, old.id].sort());
    expect(codes(await h.gql(TIERS, { id: other, all: true }, member))).toEqual(['FORBIDDEN']);

    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    const secret = await createTier({ name: 'Secret' }, owner, hidden);
    const outsider = await h.user();
    expect(
      codes(await h.gql(CREATE, { input: { communityId: hidden, name: 'X', rank: 1 } }, outsider)),
    ).toEqual(['NOT_FOUND']);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunityTier { id name } } }`;
    const rep = { r: [{ __typename: 'CommunityTier', id: secret.id }] };
    expect((await h.ok<{ _entities: unknown[] }>(entities, rep, outsider))._entities).toEqual([null]);
    expect((await h.ok<{ _entities: unknown[] }>(entities, rep, owner))._entities).toEqual([
      { id: secret.id, name: 'Secret' },
    ]);
  });

  it('lists the tiers of a page of communities in a bounded number of statements', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await h.community(admin)).id;
      await createTier({ name: 'A', rank: 1 }, admin, id);
      ids.push(id);
    }
    const PAGE = `query($first: Int) { communities(first: $first, filter: { mine: true }) {
      edges { node { id tiers { id } viewerTiers { id } } } } }`;
    h.counter.reset();
    const one = await h.ok<{ communities: { edges: unknown[] } }>(PAGE, { first: 1 }, admin);
    const few = h.counter.count;
    h.counter.reset();
    const three = await h.ok<{ communities: { edges: unknown[] } }>(PAGE, { first: 3 }, admin);
    expect(one.communities.edges).toHaveLength(1);
    expect(three.communities.edges).toHaveLength(3);
    expect(h.counter.count).toBe(few);
  });
});

describe('commerce seller rule (POST /internal/commerce/seller)', () => {
  function ask(body: unknown, token: string | null = TOKEN, url = ruleUrl) {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  it('names the community owner as the only seller of a live tier', async () => {
    const tier = await createTier({ name: 'Sold' }, admin);
    const response = await ask({ kind: 'COMMUNITY_TIER', refId: tier.id });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ownerIds: string[]; title: string };
    expect(answer.ownerIds).toEqual([owner.id]);
    expect(answer.title).toMatch(/ — Sold$/);
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: randomUUID() })).status).toBe(404);
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: 'nope' })).status).toBe(404);
    await h.ok(ARCHIVE, { input: { tierId: tier.id } }, owner);
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: tier.id })).status).toBe(404);
    expect((await ask({ kind: 'COURSE', refId: tier.id })).status).toBe(400);
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: tier.id }, 'wrong')).status).toBe(401);
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: tier.id }, null)).status).toBe(401);
    // The subgraph's own server (no INTERNAL_API_TOKEN configured in tests) refuses every call.
    const served = new URL(COMMERCE_SELLER_RULE_PATH, h.server.url).toString();
    expect((await ask({ kind: 'COMMUNITY_TIER', refId: tier.id }, TOKEN, served)).status).toBe(401);
  });
});

describe('grants from commerce subscriptions (consumer community, exactly once)', () => {
  it('grants once when activated is delivered three times, two of them concurrently', async () => {
    const tier = await createTier({ name: 'Once', rank: 2 });
    const buyer = await h.user();
    const sub = subscription(tier.id, buyer.id);
    const before = await h.ok<{ community: { memberCount: number } }>(
      `query($id: ID!) { community(id: $id) { memberCount } }`,
      { id: communityId },
      null,
    );
    const eventId = await publish('subscription.activated', sub);
    const first = deliveries.find((d) => d.event.id === eventId)!.event;
    // Redelivered twice at once (a lost acknowledgement) — and republished as new events twice at once.
    const queue = new Queue(consumerQueueName('community'), { connection: h.redis, prefix });
    try {
      await Promise.all([
        queue.add(first.type, first, { jobId: `${eventId}-again-1` }),
        queue.add(first.type, first, { jobId: `${eventId}-again-2` }),
      ]);
    } finally {
      await queue.close();
    }
    await vi.waitFor(() => expect(deliveries.filter((d) => d.event.id === eventId)).toHaveLength(3), {
      timeout: 15_000,
      interval: 20,
    });
    expect(deliveries.filter((d) => d.event.id === eventId).map((d) => d.outcome)).toEqual([
      'handled',
      'duplicate',
      'duplicate',
    ]);
    await Promise.all([publish('subscription.activated', sub), publish('subscription.activated', sub)]);

    expect(await grants(sub.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'ACTIVE', access_until: new Date(sub.accessUntil) }),
    ]);
    const granted = await tierEvents('community.tier.granted', buyer.id);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.payload).toMatchObject({ communityId, tierId: tier.id, userId: buyer.id });
    // The buyer became an ACTIVE member, counted once.
    expect(await membershipStatus(buyer.id)).toBe('ACTIVE');
    expect(
      (await h.outbox(['community.member.joined'])).filter((e) => e.payload['userId'] === buyer.id),
    ).toHaveLength(1);
    const after = await h.ok<{ community: { memberCount: number; viewerTiers: { id: string }[] } }>(
      `query($id: ID!) { community(id: $id) { memberCount viewerTiers { id } } }`,
      { id: communityId },
      buyer,
    );
    expect(after.community.memberCount).toBe(before.community.memberCount + 1);
    expect(after.community.viewerTiers).toEqual([{ id: tier.id }]);
  });

  it('leaves no grant when expired arrives before activated', async () => {
    const tier = await createTier({ name: 'Late' });
    const buyer = await h.user();
    const sub = subscription(tier.id, buyer.id);
    await publish('subscription.expired', { ...sub, status: 'EXPIRED', accessUntil: null });
    await publish('subscription.activated', sub);
    expect(await grants(sub.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'REVOKED', revoke_reason: 'EXPIRED' }),
    ]);
    expect(await tierEvents('community.tier.granted', buyer.id)).toEqual([]);
    expect(await tierEvents('community.tier.revoked', buyer.id)).toEqual([]);
    expect(await h.services.tierAccess.grantedTierIds(communityId, buyer.id)).toEqual(new Set());
    expect(await membershipStatus(buyer.id)).not.toBe('ACTIVE');
    // An immediate cancel before activation works the same way.
    const other = subscription(tier.id, buyer.id);
    await publish('subscription.canceled', { ...other, status: 'CANCELED' });
    await publish('subscription.activated', other);
    expect(await grants(other.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'REVOKED', revoke_reason: 'CANCELED' }),
    ]);
  });

  it('keeps access when canceled at the period end until expired; revokes on an immediate cancel', async () => {
    const tier = await createTier({ name: 'Cancel' });
    const buyer = await h.user();
    const sub = subscription(tier.id, buyer.id);
    await publish('subscription.activated', sub);
    await publish('subscription.canceled', { ...sub, accessUntil: '2030-03-01T00:00:00.000Z' });
    expect(await grants(sub.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'ACTIVE', access_until: new Date('2030-03-01T00:00:00.000Z') }),
    ]);
    expect((await h.services.tierAccess.grantedTierIds(communityId, buyer.id)).has(tier.id)).toBe(true);
    await publish('subscription.expired', { ...sub, status: 'EXPIRED', accessUntil: null });
    expect(await grants(sub.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'REVOKED', revoke_reason: 'EXPIRED' }),
    ]);
    const revoked = await tierEvents('community.tier.revoked', buyer.id);
    expect(revoked.map((e) => e.payload['reason'])).toEqual(['EXPIRED']);
    expect(await h.services.tierAccess.grantedTierIds(communityId, buyer.id)).toEqual(new Set());
    // The membership stays.
    expect(await membershipStatus(buyer.id)).toBe('ACTIVE');

    const again = subscription(tier.id, buyer.id);
    await publish('subscription.activated', again);
    await publish('subscription.renewed', { ...again, accessUntil: '2030-04-01T00:00:00.000Z' });
    expect(await grants(again.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'ACTIVE', access_until: new Date('2030-04-01T00:00:00.000Z') }),
    ]);
    await publish('subscription.canceled', { ...again, status: 'CANCELED' });
    expect(await grants(again.subscriptionId)).toEqual([
      expect.objectContaining({ status: 'REVOKED', revoke_reason: 'CANCELED' }),
    ]);
    expect((await tierEvents('community.tier.revoked', buyer.id)).map((e) => e.payload['reason'])).toEqual([
      'EXPIRED',
      'CANCELED',
    ]);
    expect(await tierEvents('community.tier.granted', buyer.id)).toHaveLength(2);
  });

  it('records but does not grant a banned buyer, who stays banned', async () => {
    const tier = await createTier({ name: 'Banned' });
    const buyer = await h.user();
    await h.member(communityId, buyer);
    await h.ok(
      `mutation($input: BanCommunityMemberInput!) { banCommunityMember(input: $input) { membership { status } } }`,
      { input: { communityId, userId: buyer.id, reason: 'spam' } },
      owner,
    );
    const sub = subscription(tier.id, buyer.id);
    await publish('subscription.activated', sub);
    expect(await grants(sub.subscriptionId)).toEqual([expect.objectContaining({ status: 'HELD' })]);
    expect(await membershipStatus(buyer.id)).toBe('BANNED');
    expect(await tierEvents('community.tier.granted', buyer.id)).toEqual([]);
    expect(await h.services.tierAccess.grantedTierIds(communityId, buyer.id)).toEqual(new Set());
    await publish('subscription.expired', { ...sub, status: 'EXPIRED' });
    expect(await grants(sub.subscriptionId)).toEqual([expect.objectContaining({ status: 'REVOKED' })]);
    expect(await tierEvents('community.tier.revoked', buyer.id)).toEqual([]);
  });

  it('opens tiers ranked at or below a held tier; shows a member’s tiers to them and to managers only', async () => {
    const other = (await h.community(owner)).id;
    const bronze = await createTier({ name: 'Bronze', rank: 1 }, owner, other);
    const silver = await createTier({ name: 'Silver', rank: 2 }, owner, other);
    const gold = await createTier({ name: 'Gold', rank: 3 }, owner, other);
    const buyer = await h.user();
    const cheap = await h.user();
    await publish('subscription.activated', subscription(silver.id, buyer.id));
    await publish('subscription.activated', subscription(bronze.id, cheap.id));
    const opened = await h.services.tierAccess.grantedTierIdsForUsers(other, [buyer.id, cheap.id, member.id]);
    expect(opened.get(buyer.id)).toEqual(new Set([bronze.id, silver.id]));
    expect(opened.get(cheap.id)).toEqual(new Set([bronze.id]));
    expect(opened.get(member.id)).toEqual(new Set());
    expect(opened.get(buyer.id)?.has(gold.id)).toBe(false);

    const Q = `query($id: ID!) { community(id: $id) { members(first: 10) { edges { node { id tiers { id } } } } } }`;
    const MY = `query($id: ID!) { myCommunityMembership(communityId: $id) { tiers { id name } } }`;
    expect(
      (await h.ok<{ myCommunityMembership: { tiers: unknown[] } }>(MY, { id: other }, buyer))
        .myCommunityMembership.tiers,
    ).toEqual([{ id: silver.id, name: 'Silver' }]);
    const asOwner = await h.ok<{
      community: { members: { edges: { node: { tiers: { id: string }[] | null } }[] } };
    }>(Q, { id: other }, owner);
    const held = asOwner.community.members.edges.map((e) => e.node.tiers?.map((t) => t.id) ?? null);
    expect(held).toEqual(expect.arrayContaining([[silver.id], [bronze.id], []]));
    const asMember = await h.ok<{ community: { members: { edges: { node: { tiers: unknown } }[] } } }>(
      Q,
      { id: other },
      cheap,
    );
    // Another member sees only their own tiers; others' are null.
    expect(asMember.community.members.edges.map((e) => e.node.tiers)).toEqual(
      expect.arrayContaining([null, [{ id: bronze.id }]]),
    );
    expect(asMember.community.members.edges.filter((e) => e.node.tiers !== null)).toHaveLength(1);
  });
});
