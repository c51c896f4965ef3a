import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@edugraph/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';
import { ProductService } from './product.service.js';
import { SellerRules } from './seller-rules.js';

const TOKEN = 'internal-test-token';
const SET_PRICE = `mutation($input: SetProductPriceInput!) {
  setProductPrice(input: $input) { product { id seller { id } price { amount } } } }`;

type Priced = {
  setProductPrice: { product: { id: string; seller: { id: string }; price: { amount: number } } };
};

/**
 * A stand-in for an owning subgraph's `POST /internal/commerce/seller`: checks the bearer token, knows
 * the owners of some ids, answers 404 for the others — or misbehaves on request.
 */
class RuleServer {
  readonly owners = new Map<string, string[]>();
  readonly received: { authorization: string | undefined; body: unknown }[] = [];
  mode: 'answer' | 'fail' | 'garbage' | 'hang' = 'answer';
  private readonly server: Server = createServer((req, res) => {
    void this.answer(req).then(
      (reply) => {
        if (!reply) return; // hang: never answers (the client times out)
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      },
      () => {
        res.writeHead(500).end();
      },
    );
  });

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown } | null> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as { kind: string; refId: string };
    this.received.push({ authorization: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: {} };
    if (this.mode === 'hang') return null;
    if (this.mode === 'fail') return { status: 500, body: { error: 'boom' } };
    if (this.mode === 'garbage') return { status: 200, body: { ownerIds: 'everyone' } };
    const owners = this.owners.get(body.refId);
    return owners
      ? { status: 200, body: { ownerIds: owners, title: 'Owned thing' } }
      : { status: 404, body: {} };
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/internal/commerce/seller`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL nothing listens on (a server that was started and stopped). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/internal/commerce/seller`;
}

describe('seller rules: only an owner (or an admin, for an owner) prices a course or an ebook', () => {
  let h: CommerceHarness;
  let rule: RuleServer;
  let owner: TestUser;
  let coOwner: TestUser;
  let stranger: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    rule = new RuleServer();
    const url = await rule.start();
    const sellerRules = new SellerRules(createLogger({ name: 'seller-rule-test', level: 'silent' }))
      .registerHttp('COURSE', url, { token: TOKEN, timeoutMs: 1000 })
      .registerHttp('EBOOK', url, { token: TOKEN, timeoutMs: 1000 })
      .registerHttp('TUTOR_HOURS', await deadUrl(), { token: TOKEN })
      .registerHttp('LIVE_TICKET', url, { token: 'not-the-token' });
    h = await createCommerceHarness('seller_rule', { sellerRules });
    [owner, coOwner, stranger, admin] = await Promise.all([
      h.user(['INSTRUCTOR']),
      h.user(['INSTRUCTOR']),
      h.user(['INSTRUCTOR']),
      h.user(['ADMIN']),
    ]);
  });
  afterAll(async () => {
    await rule?.stop();
    await h?.close();
  });
  beforeEach(() => {
    rule.mode = 'answer';
  });

  /** A course (or other thing) its domain says `owners` own. */
  function owned(...owners: TestUser[]): string {
    const refId = randomUUID();
    rule.owners.set(
      refId,
      owners.map((o) => o.id),
    );
    return refId;
  }

  const price = (as: TestUser, input: Record<string, unknown>) =>
    h.gql<Priced>(
      SET_PRICE,
      { input: { kind: 'COURSE', title: 'Graphs', amount: 4_900, currency: 'EUR', ...input } },
      as,
    );

  async function stored(refId: string): Promise<{ seller_id: string; price_minor: string }[]> {
    return h.dataSource.query(`SELECT seller_id, price_minor FROM "commerce".products WHERE ref_id = $1`, [
      refId,
    ]);
  }

  it('an owner prices her course and her ebook; commerce asks with the internal token', async () => {
    const courseId = owned(owner);
    const before = rule.received.length;
    const course = await price(owner, { refId: courseId });
    expect(course.errors).toBeUndefined();
    expect(course.data!.setProductPrice.product).toMatchObject({
      seller: { id: owner.id },
      price: { amount: 4_900 },
    });
    expect(rule.received.slice(before)).toEqual([
      { authorization: `Bearer ${TOKEN}`, body: { kind: 'COURSE', refId: courseId } },
    ]);
    const ebookId = owned(owner);
    const ebook = await price(owner, { kind: 'EBOOK', refId: ebookId, amount: 900 });
    expect(ebook.data?.setProductPrice.product.seller.id).toBe(owner.id);
    // Repricing her own product is asked again and allowed.
    expect(
      (await price(owner, { refId: courseId, amount: 5_900 })).data?.setProductPrice.product.price,
    ).toEqual({
      amount: 5_900,
    });
  });

  it('someone who does not own the course is FORBIDDEN and nothing is written', async () => {
    const courseId = owned(owner);
    expect(codes(await price(stranger, { refId: courseId }))).toEqual(['FORBIDDEN']);
    expect(await stored(courseId)).toEqual([]);
    // Nor may the stranger reprice the owner's product once it exists.
    await price(owner, { refId: courseId });
    expect(codes(await price(stranger, { refId: courseId, amount: 50 }))).toEqual(['FORBIDDEN']);
    expect(await stored(courseId)).toEqual([{ seller_id: owner.id, price_minor: '4900' }]);
  });

  it("a co-owner may not take over another owner's product; an owner takes one over from a non-owner", async () => {
    const shared = owned(owner, coOwner);
    await price(owner, { refId: shared });
    expect(codes(await price(coOwner, { refId: shared, amount: 100 }))).toEqual(['FORBIDDEN']);
    expect(await stored(shared)).toEqual([{ seller_id: owner.id, price_minor: '4900' }]);

    // Priced by a squatter before the rule existed: the owner's price makes her its seller.
    const squatted = owned(owner);
    await new ProductService(h.dataSource, h.clock).setPrice(
      {
        userId: stranger.id,
        sessionId: null,
        roles: ['INSTRUCTOR'],
        scopes: [],
        apiKeyId: null,
        expiresAt: 0,
      },
      { kind: 'COURSE', refId: squatted, title: 'Mine', amount: 100, currency: 'EUR' },
    );
    expect(codes(await price(stranger, { refId: squatted, amount: 200 }))).toEqual(['FORBIDDEN']);
    const taken = await price(owner, { refId: squatted });
    expect(taken.data?.setProductPrice.product.seller.id).toBe(owner.id);
    expect(await stored(squatted)).toEqual([{ seller_id: owner.id, price_minor: '4900' }]);
  });

  it('an admin prices for an owner (named, or the only owner), never for someone who does not own it', async () => {
    const named = owned(owner, coOwner);
    const forCoOwner = await price(admin, { refId: named, sellerId: coOwner.id });
    expect(forCoOwner.data?.setProductPrice.product.seller.id).toBe(coOwner.id);
    // Repricing without naming anyone keeps the owner who sells it.
    const repriced = await price(admin, { refId: named, amount: 6_000 });
    expect(repriced.data?.setProductPrice.product).toMatchObject({
      seller: { id: coOwner.id },
      price: { amount: 6_000 },
    });

    const single = owned(owner);
    expect((await price(admin, { refId: single })).data?.setProductPrice.product.seller.id).toBe(owner.id);

    const refused = owned(owner);
    const byStranger = await price(admin, { refId: refused, sellerId: stranger.id });
    expect(codes(byStranger)).toEqual(['BAD_USER_INPUT']);
    expect(byStranger.errors?.[0]?.extensions?.['field']).toBe('sellerId');
    expect(codes(await price(admin, { refId: named, sellerId: stranger.id }))).toEqual(['BAD_USER_INPUT']);
    // Two owners and none named: the admin must say which.
    const ambiguous = owned(owner, coOwner);
    expect(codes(await price(admin, { refId: ambiguous }))).toEqual(['BAD_USER_INPUT']);
    expect(await stored(refused)).toEqual([]);
    expect(await stored(ambiguous)).toEqual([]);
    expect(await stored(named)).toEqual([{ seller_id: coOwner.id, price_minor: '6000' }]);
  });

  it('a course its domain does not know is NOT_FOUND ("Course was not found.") and nothing is written', async () => {
    const unknown = randomUUID();
    const result = await price(owner, { refId: unknown });
    expect(codes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors?.[0]?.message).toBe('Course was not found.');
    expect(codes(await price(admin, { refId: unknown, kind: 'EBOOK' }))).toEqual(['NOT_FOUND']);
    expect(await stored(unknown)).toEqual([]);
  });

  it('a rule that is down, fails, answers nonsense, refuses the token or times out: SERVICE_UNAVAILABLE, nothing changes', async () => {
    const down = randomUUID();
    const result = await price(owner, { kind: 'TUTOR_HOURS', refId: down });
    expect(codes(result)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors?.[0]?.extensions?.['kind']).toBe('TUTOR_HOURS');
    expect(codes(await price(admin, { kind: 'TUTOR_HOURS', refId: down }))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(await stored(down)).toEqual([]);

    const courseId = owned(owner);
    await price(owner, { refId: courseId });
    for (const mode of ['fail', 'garbage', 'hang'] as const) {
      rule.mode = mode;
      expect(codes(await price(owner, { refId: courseId, amount: 100 }))).toEqual(['SERVICE_UNAVAILABLE']);
    }
    rule.mode = 'answer';
    const wrongToken = owned(owner);
    expect(codes(await price(owner, { kind: 'LIVE_TICKET', refId: wrongToken }))).toEqual([
      'SERVICE_UNAVAILABLE',
    ]);
    expect(await stored(wrongToken)).toEqual([]);
    expect(await stored(courseId)).toEqual([{ seller_id: owner.id, price_minor: '4900' }]);
  });

  it('kinds without a rule keep the old behaviour: the first instructor to price it is its seller', async () => {
    const tier = randomUUID();
    const before = rule.received.length;
    const priced = await price(stranger, { kind: 'COMMUNITY_TIER', refId: tier });
    expect(priced.data?.setProductPrice.product.seller.id).toBe(stranger.id);
    expect(codes(await price(owner, { kind: 'COMMUNITY_TIER', refId: tier }))).toEqual(['FORBIDDEN']);
    expect(rule.received.length).toBe(before);
  });

  it('a learner may not price at all (the rule is not even asked)', async () => {
    const learner = await h.user();
    const before = rule.received.length;
    expect(codes(await price(learner, { refId: owned(learner) }))).toEqual(['FORBIDDEN']);
    expect(rule.received.length).toBe(before);
  });
});
