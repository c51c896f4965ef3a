import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { SECOND } from '../../shared/clock.js';
import { codeOf, signUp, useTestIdentity } from '../../testing/identity-harness.js';

const t = useTestIdentity();

const CREATE = `mutation C($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { plaintextKey apiKey { id name prefix scopes createdAt lastUsedAt revokedAt } }
}`;
const REVOKE = `mutation R($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id revokedAt } }`;
const LIST = `query L($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) { edges { cursor node { id name scopes lastUsedAt revokedAt } } pageInfo { hasNextPage endCursor } }
}`;

type Created = {
  plaintextKey: string;
  apiKey: { id: string; name: string; prefix: string; scopes: string[] };
};

async function create(token: string, name = 'integration', scopes = ['READ_PUBLIC']): Promise<Created> {
  const result = await t.gql<{ createApiKey: Created }>(CREATE, { input: { name, scopes } }, { token });
  expect(result.errors).toBeUndefined();
  return result.data!.createApiKey;
}

async function exchange(apiKey: unknown, internalToken: string | null = 'test-internal-token') {
  const response = await fetch(`${t.baseUrl}/internal/api-keys/exchange`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(internalToken ? { 'x-internal-token': internalToken } : {}),
    },
    body: JSON.stringify({ apiKey }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('API keys', () => {
  it('returns the plaintext once and stores only a sha256 hash', async () => {
    const owner = await signUp(t);
    const created = await create(owner.accessToken, 'My integration', ['READ_PUBLIC', 'INTROSPECTION']);
    expect(created.plaintextKey).toMatch(/^egk_[A-Za-z0-9_-]{43}$/);
    expect(created.plaintextKey.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey.scopes).toEqual(['READ_PUBLIC', 'INTROSPECTION']);
    const rows: { key_hash: string }[] = await t.running.services.dataSource.query(
      `SELECT key_hash FROM "identity".api_keys WHERE id = $1`,
      [created.apiKey.id],
    );
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(created.plaintextKey.slice(4));
    const audit: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".outbox WHERE payload->>'action' = 'identity.api_key.created' AND aggregate_id = $1`,
      [created.apiKey.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('refuses bad input and anonymous callers, changing nothing', async () => {
    const owner = await signUp(t);
    expect(
      codeOf(await t.gql(CREATE, { input: { name: 'x', scopes: [] } }, { token: owner.accessToken })),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await t.gql(CREATE, { input: { name: '  ', scopes: ['READ_PUBLIC'] } }, { token: owner.accessToken }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await t.gql(
          CREATE,
          { input: { name: 'x', scopes: ['WRITE_EVERYTHING'] } },
          { token: owner.accessToken },
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(CREATE, { input: { name: 'x', scopes: ['READ_PUBLIC'] } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await t.gql(LIST))).toBe('UNAUTHENTICATED');
    const rows: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".api_keys WHERE owner_id = $1`,
      [owner.user.id],
    );
    expect(rows).toHaveLength(0);
  });

  it('lists own keys newest first as a capped connection with one SQL query per page', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    await create(other.accessToken, 'not mine');
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(SECOND);
      await create(owner.accessToken, `key ${i}`);
    }
    t.queries.reset();
    const page1 = await t.gql<{
      apiKeys: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(LIST, { first: 3 }, { token: owner.accessToken });
    expect(page1.data!.apiKeys.edges.map((e) => e.node.name)).toEqual(['key 4', 'key 3', 'key 2']);
    expect(page1.data!.apiKeys.pageInfo.hasNextPage).toBe(true);
    expect(t.queries.queries.filter((q) => q.includes('"identity"."api_keys"'))).toHaveLength(1);
    const page2 = await t.gql<{
      apiKeys: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean } };
    }>(LIST, { first: 3, after: page1.data!.apiKeys.pageInfo.endCursor }, { token: owner.accessToken });
    expect(page2.data!.apiKeys.edges.map((e) => e.node.name)).toEqual(['key 1', 'key 0']);
    expect(page2.data!.apiKeys.pageInfo.hasNextPage).toBe(false);
    expect(codeOf(await t.gql(LIST, { first: 51 }, { token: owner.accessToken }))).toBe('BAD_USER_INPUT');
  });

  it('caps active keys per user at 20 (TOO_MANY_API_KEYS)', async () => {
    const owner = await signUp(t);
    for (let i = 0; i < 20; i += 1) await create(owner.accessToken, `k${i}`);
    expect(
      codeOf(
        await t.gql(
          CREATE,
          { input: { name: 'one more', scopes: ['READ_PUBLIC'] } },
          { token: owner.accessToken },
        ),
      ),
    ).toBe('TOO_MANY_API_KEYS');
  });

  it('only the owner (or an ADMIN) can revoke; others get NOT_FOUND', async () => {
    const owner = await signUp(t);
    const mallory = await signUp(t);
    const created = await create(owner.accessToken);
    expect(
      codeOf(await t.gql(REVOKE, { input: { apiKeyId: created.apiKey.id } }, { token: mallory.accessToken })),
    ).toBe('NOT_FOUND');
    const ok = await t.gql<{ revokeApiKey: { revokedAt: string | null } }>(
      REVOKE,
      { input: { apiKeyId: created.apiKey.id } },
      { token: owner.accessToken },
    );
    expect(ok.data!.revokeApiKey.revokedAt).not.toBeNull();
    expect((await exchange(created.plaintextKey)).status).toBe(401);
    const audit: { actor: string }[] = await t.running.services.dataSource.query(
      `SELECT payload->>'actorId' AS actor FROM "identity".outbox WHERE payload->>'action' = 'identity.api_key.revoked' AND aggregate_id = $1`,
      [created.apiKey.id],
    );
    expect(audit).toEqual([{ actor: owner.user.id }]);
  });
});

describe('POST /internal/api-keys/exchange', () => {
  it('exchanges a key for a 10-minute ES256 token without sid, with akid and scope; updates lastUsedAt at most once a minute', async () => {
    const owner = await signUp(t);
    const created = await create(owner.accessToken, 'gateway test', ['READ_PUBLIC', 'INTROSPECTION']);
    const { status, body } = await exchange(created.plaintextKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      apiKeyId: created.apiKey.id,
      ownerId: owner.user.id,
      scopes: ['read:public', 'introspection'],
    });
    const token = String(body['accessToken']);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims['sid']).toBeUndefined();
    expect(claims).toMatchObject({
      sub: owner.user.id,
      akid: created.apiKey.id,
      scope: 'read:public introspection',
      roles: [],
    });
    expect(body['expiresAt']).toBe(claims['exp']);
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(600);
    const viewer = await t.running.services.tokens.verify(token);
    expect(viewer).toMatchObject({
      userId: owner.user.id,
      sessionId: null,
      apiKeyId: created.apiKey.id,
      scopes: ['read:public', 'introspection'],
    });

    const lastUsed = async () =>
      (
        (await t.running.services.dataSource.query(
          `SELECT last_used_at FROM "identity".api_keys WHERE id = $1`,
          [created.apiKey.id],
        )) as { last_used_at: Date }[]
      )[0]!.last_used_at.getTime();
    const first = await lastUsed();
    expect(first).toBe(t.clock.now().getTime());
    t.clock.advance(30 * SECOND);
    await exchange(created.plaintextKey);
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31 * SECOND);
    await exchange(created.plaintextKey);
    expect(await lastUsed()).toBe(t.clock.now().getTime());
  });

  it('API-key tokens cannot use session-only operations', async () => {
    const owner = await signUp(t);
    const created = await create(owner.accessToken);
    const token = String((await exchange(created.plaintextKey)).body['accessToken']);
    expect(codeOf(await t.gql('{ sessions { id } }', {}, { token }))).toBe('FORBIDDEN');
    expect(
      codeOf(await t.gql(CREATE, { input: { name: 'nested', scopes: ['READ_PUBLIC'] } }, { token })),
    ).toBe('FORBIDDEN');
    const viewer = await t.gql<{ viewer: { id: string; email: string | null } }>(
      '{ viewer { id email } }',
      {},
      { token },
    );
    expect(viewer.data!.viewer).toEqual({ id: owner.user.id, email: null });
  });

  it('401 invalid_api_key for unknown, malformed or missing keys', async () => {
    for (const key of ['egk_unknown', 'nope', '', 42]) {
      const { status, body } = await exchange(key);
      expect(status).toBe(401);
      expect(body).toEqual({ error: 'invalid_api_key' });
    }
  });

  it('401 without the right internal token; keys of disabled owners are refused', async () => {
    const owner = await signUp(t);
    const created = await create(owner.accessToken);
    expect((await exchange(created.plaintextKey, null)).status).toBe(401);
    expect((await exchange(created.plaintextKey, 'wrong-token')).status).toBe(401);
    await t.running.services.dataSource.query(
      `UPDATE "identity".users SET disabled_at = now() WHERE id = $1`,
      [owner.user.id],
    );
    expect((await exchange(created.plaintextKey)).body).toEqual({ error: 'invalid_api_key' });
  });
});
