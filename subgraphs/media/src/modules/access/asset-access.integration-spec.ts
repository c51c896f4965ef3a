import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createMediaHarness,
  sha256,
  type MediaHarness,
  type TestUser,
} from '../../testing/media-harness.js';
import { makePdf } from '../../testing/pdf.js';

const ASSET = `query($id: ID!) { asset(id: $id) { id visibility url renditions { url } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id url } } }`;
const MY_ASSETS = `query($first: Int, $after: String, $status: AssetStatus) { myAssets(first: $first, after: $after, status: $status) {
  edges { node { id status owner { id } } } pageInfo { hasNextPage endCursor } } }`;

describe('delivery: who gets a signed URL', () => {
  let h: MediaHarness;
  let owner: TestUser;
  let learner: TestUser;
  let outsider: TestUser;
  let admin: TestUser;
  let ruleServer: http.Server;
  let ruleCalls: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
  const enrolled = new Set<string>();
  const lesson = `Lesson:${randomUUID()}`;

  beforeAll(async () => {
    h = await createMediaHarness('access');
    [owner, learner, outsider, admin] = await Promise.all([
      h.user(['INSTRUCTOR']),
      h.user(),
      h.user(),
      h.user(['ADMIN']),
    ]);
    enrolled.add(learner.id);
    // learning's rule, in process: an enrolled learner may view a lesson asset.
    h.views.register(
      'learning',
      async ({ viewer, asset }) => asset.subjectRef === lesson && enrolled.has(viewer.userId),
    );
    h.views.register('broken', async () => {
      throw new Error('rule crashed');
    });
    // community's rule, over HTTP with the internal token.
    ruleServer = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { viewer: { userId: string } };
        ruleCalls.push({ authorization: req.headers.authorization, body });
        if (req.url === '/slow') return void setTimeout(() => res.end('{"allow":true}'), 3000);
        if (req.url === '/error') return void res.writeHead(500).end('{"allow":true}');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ allow: body.viewer.userId === learner.id }));
      });
    });
    await new Promise<void>((resolve) => ruleServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(ruleServer.address() as AddressInfo).port}`;
    h.views.registerHttp('community', `${base}/may-view`, { token: 'internal-secret' });
    h.views.registerHttp('community-down', `${base}/error`, { token: 'internal-secret' });
    h.views.registerHttp('community-slow', `${base}/slow`, { token: 'internal-secret', timeoutMs: 200 });
  });
  afterAll(async () => {
    await new Promise((resolve) => ruleServer?.close(resolve));
    await h?.close();
  });

  /** A READY asset straight in the store and the table (the upload pipeline has its own tests). */
  async function readyAsset(values: {
    visibility: string;
    ownerDomain?: string;
    subjectRef?: string;
    ownerId?: string;
  }) {
    const id = randomUUID();
    const bytes = makePdf([`asset ${id}`]);
    const storageKey = `assets/${id}/file`;
    await h.storage.put(storageKey, bytes, 'application/pdf');
    await h.dataSource.query(
      `INSERT INTO "media".assets (id, owner_id, kind, status, visibility, owner_domain, subject_ref, file_name, mime_type,
         size, sha256, upload_key, storage_key, upload_expires_at, uploaded_at, scanned_at)
       VALUES ($1, $2, 'DOCUMENT', 'READY', $3, $4, $5, 'a.pdf', 'application/pdf', $6, $7, $8, $9, now() + interval '7 days', now(), now())`,
      [
        id,
        values.ownerId ?? owner.id,
        values.visibility,
        values.ownerDomain ?? null,
        values.subjectRef ?? null,
        bytes.length,
        sha256(bytes),
        `incoming/${id.replace(/-/g, '')}`,
        storageKey,
      ],
    );
    return id;
  }

  async function urlFor(id: string, as: TestUser | null) {
    const result = await h.gql<{ asset: { url: string | null } }>(ASSET, { id }, as);
    return { code: codes(result)[0] ?? null, url: result.data?.asset.url ?? null };
  }

  it('PRIVATE: the owner and admins only; everyone else FORBIDDEN', async () => {
    const id = await readyAsset({ visibility: 'PRIVATE' });
    const mine = await urlFor(id, owner);
    expect(mine.code).toBeNull();
    expect((await fetch(mine.url!)).status).toBe(200);
    expect((await urlFor(id, admin)).url).toMatch(/^http/);
    expect(await urlFor(id, learner)).toEqual({ code: 'FORBIDDEN', url: null });
    expect(await urlFor(id, outsider)).toEqual({ code: 'FORBIDDEN', url: null });
    expect(await urlFor(id, null)).toEqual({ code: 'FORBIDDEN', url: null });
  });

  it('PUBLIC: anyone, signed in or not', async () => {
    const id = await readyAsset({ visibility: 'PUBLIC' });
    const anonymous = await urlFor(id, null);
    expect(anonymous.code).toBeNull();
    expect((await fetch(anonymous.url!)).status).toBe(200);
  });

  it('RESTRICTED: the owning domain’s in-process rule decides; a crashing rule denies', async () => {
    const id = await readyAsset({ visibility: 'RESTRICTED', ownerDomain: 'learning', subjectRef: lesson });
    expect((await urlFor(id, learner)).url).toMatch(/^http/);
    expect(await urlFor(id, outsider)).toEqual({ code: 'FORBIDDEN', url: null });
    expect(await urlFor(id, null)).toEqual({ code: 'FORBIDDEN', url: null });
    const other = await readyAsset({
      visibility: 'RESTRICTED',
      ownerDomain: 'learning',
      subjectRef: 'Lesson:other',
    });
    expect((await urlFor(other, learner)).code).toBe('FORBIDDEN');
    const broken = await readyAsset({ visibility: 'RESTRICTED', ownerDomain: 'broken' });
    expect((await urlFor(broken, learner)).code).toBe('FORBIDDEN');
    expect((await urlFor(broken, owner)).code).toBeNull();
  });

  it('RESTRICTED over HTTP: token sent, allow only on 200 {allow: true}; errors and timeouts deny', async () => {
    ruleCalls = [];
    const id = await readyAsset({
      visibility: 'RESTRICTED',
      ownerDomain: 'community',
      subjectRef: 'Post:p1',
    });
    expect((await urlFor(id, learner)).url).toMatch(/^http/);
    expect((await urlFor(id, outsider)).code).toBe('FORBIDDEN');
    expect(ruleCalls).toHaveLength(2);
    expect(ruleCalls[0]).toEqual({
      authorization: 'Bearer internal-secret',
      body: {
        viewer: { userId: learner.id, roles: ['LEARNER'] },
        asset: { id, ownerId: owner.id, ownerDomain: 'community', subjectRef: 'Post:p1' },
      },
    });
    const down = await readyAsset({ visibility: 'RESTRICTED', ownerDomain: 'community-down' });
    expect((await urlFor(down, learner)).code).toBe('FORBIDDEN');
    const slow = await readyAsset({ visibility: 'RESTRICTED', ownerDomain: 'community-slow' });
    expect((await urlFor(slow, learner)).code).toBe('FORBIDDEN');
  });

  it('a PRIVATE asset is not opened by a domain rule', async () => {
    const id = await readyAsset({ visibility: 'PRIVATE', ownerDomain: 'learning', subjectRef: lesson });
    expect((await urlFor(id, learner)).code).toBe('FORBIDDEN');
  });

  it('references resolve only for allowed viewers (Lesson.asset elsewhere cannot leak a file)', async () => {
    const privateId = await readyAsset({ visibility: 'PRIVATE' });
    const restricted = await readyAsset({
      visibility: 'RESTRICTED',
      ownerDomain: 'learning',
      subjectRef: lesson,
    });
    const representations = [
      { __typename: 'Asset', id: privateId },
      { __typename: 'Asset', id: restricted },
      { __typename: 'Asset', id: randomUUID() },
      { __typename: 'Asset', id: 'not-a-uuid' },
    ];
    const asLearner = await h.gql<{ _entities: ({ id: string; url: string } | null)[] }>(
      ENTITIES,
      { r: representations },
      learner,
    );
    expect(asLearner.errors).toBeUndefined();
    expect(asLearner.data!._entities.map((e) => e?.id ?? null)).toEqual([null, restricted, null, null]);
    expect(asLearner.data!._entities[1]!.url).toMatch(/^http/);
    const asOwner = await h.gql<{ _entities: ({ id: string } | null)[] }>(
      ENTITIES,
      { r: representations },
      owner,
    );
    expect(asOwner.data!._entities.map((e) => e?.id ?? null)).toEqual([privateId, restricted, null, null]);
  });

  it('asset(id): NOT_FOUND for an unknown id, BAD_USER_INPUT for a malformed one', async () => {
    expect(codes(await h.gql(ASSET, { id: randomUUID() }, owner))).toEqual(['NOT_FOUND']);
    expect(codes(await h.gql(ASSET, { id: 'nope' }, owner))).toEqual(['BAD_USER_INPUT']);
  });

  it('myAssets lists the viewer’s own assets, newest first, in one query per page', async () => {
    const someone = await h.user();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(await readyAsset({ visibility: 'PRIVATE', ownerId: someone.id }));
    await readyAsset({ visibility: 'PRIVATE' });
    h.counter.reset();
    const page = await h.gql<{
      myAssets: {
        edges: { node: { id: string; owner: { id: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(MY_ASSETS, { first: 2 }, someone);
    expect(page.errors).toBeUndefined();
    expect(page.data!.myAssets.edges).toHaveLength(2);
    expect(page.data!.myAssets.pageInfo.hasNextPage).toBe(true);
    expect(h.counter.count).toBe(1);
    const next = await h.gql<{ myAssets: { edges: { node: { id: string } }[] } }>(
      MY_ASSETS,
      { first: 2, after: page.data!.myAssets.pageInfo.endCursor },
      someone,
    );
    const seen = [...page.data!.myAssets.edges, ...next.data!.myAssets.edges].map((e) => e.node.id);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(codes(await h.gql(MY_ASSETS, { first: 500 }, someone))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(MY_ASSETS, {}, null))).toEqual(['UNAUTHENTICATED']);
  });
});
