import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';
import { totp } from '../src/harness/totp.js';

type Auth = { accessToken: string; refreshToken: string; user: { id: string; roles: string[] } };

const AUTH_FIELDS = 'accessToken refreshToken user { id roles }';
let platform: TestPlatform;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signUp(email: string): Promise<Auth> {
  const result = await platform.graphql<{ signUp: Auth }>(
    `mutation($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password: 'a perfectly fine passphrase', displayName: email.split('@')[0] } },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.signUp;
}

async function signIn(email: string, totpCode?: string) {
  return platform.graphql<{ signIn: Auth & { twoFactorEnrollmentRequired: boolean } }>(
    `mutation($input: SignInInput!) { signIn(input: $input) { ${AUTH_FIELDS} twoFactorEnrollmentRequired } }`,
    { input: { email, password: 'a perfectly fine passphrase', ...(totpCode ? { totpCode } : {}) } },
  );
}

/** An admin as in production: the role set by an operator, then 2FA enrolled in a limited session. */
async function makeAdmin(email: string): Promise<Auth> {
  const user = await signUp(email);
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  await client.query(`UPDATE identity.users SET roles = '{LEARNER,ADMIN}' WHERE id = $1`, [user.user.id]);
  await client.end();

  const limited = await signIn(email);
  expect(limited.errors).toBeUndefined();
  expect(limited.data!.signIn.twoFactorEnrollmentRequired).toBe(true);
  expect(limited.data!.signIn.user.roles).toContain('ADMIN');
  const limitedToken = limited.data!.signIn.accessToken;
  const tokenRoles = (
    JSON.parse(Buffer.from(limitedToken.split('.')[1]!, 'base64url').toString()) as { roles: string[] }
  ).roles;
  expect(tokenRoles).not.toContain('ADMIN');

  const enrollment = await platform.graphql<{ beginTwoFactorEnrollment: { secret: string } }>(
    'mutation { beginTwoFactorEnrollment { secret otpauthUri } }',
    {},
    bearer(limitedToken),
  );
  expect(enrollment.errors).toBeUndefined();
  const secret = enrollment.data!.beginTwoFactorEnrollment.secret;
  const confirmed = await platform.graphql(
    'mutation($input: ConfirmTwoFactorEnrollmentInput!) { confirmTwoFactorEnrollment(input: $input) }',
    { input: { code: totp(secret) } },
    bearer(limitedToken),
  );
  expect(confirmed.errors).toBeUndefined();
  const full = await platform.graphql<{ refreshSession: Auth }>(
    `mutation($input: RefreshSessionInput!) { refreshSession(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { refreshToken: limited.data!.signIn.refreshToken } },
  );
  expect(full.errors).toBeUndefined();
  return full.data!.refreshSession;
}

const GRANT = 'mutation($input: GrantRoleInput!) { grantRole(input: $input) { id roles } }';
const AUDIT = `query($filter: AuditEventFilter) {
  auditEvents(first: 10, filter: $filter) { edges { node { action targetId actorId actor { id displayName } } } }
}`;

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

describe('an admin journey across identity and platform', () => {
  it('grants a role; the audit event travels identity → outbox → BullMQ → platform, with the actor resolved by identity', async () => {
    const admin = await makeAdmin('root@example.com');
    const learner = await signUp('teacher@example.com');

    const denied = await platform.graphql(
      GRANT,
      { input: { userId: admin.user.id, role: 'ADMIN' } },
      bearer(learner.accessToken),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await platform.graphql(GRANT, {
      input: { userId: learner.user.id, role: 'INSTRUCTOR' },
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const granted = await platform.graphql<{ grantRole: { roles: string[] } }>(
      GRANT,
      { input: { userId: learner.user.id, role: 'INSTRUCTOR' } },
      bearer(admin.accessToken),
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantRole.roles).toEqual(expect.arrayContaining(['LEARNER', 'INSTRUCTOR']));

    type AuditPage = {
      auditEvents: {
        edges: { node: { action: string; targetId: string; actor: { displayName: string } | null } }[];
      };
    };
    let page: AuditPage | null = null;
    for (let attempt = 0; attempt < 100; attempt++) {
      const result = await platform.graphql<AuditPage>(
        AUDIT,
        { filter: { targetId: learner.user.id } },
        bearer(admin.accessToken),
      );
      expect(result.errors).toBeUndefined();
      page = result.data;
      if (page?.auditEvents.edges.some((e) => e.node.action === 'identity.role.granted')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const event = page?.auditEvents.edges.find((e) => e.node.action === 'identity.role.granted')?.node;
    expect(event).toMatchObject({ targetId: learner.user.id, actor: { displayName: 'root' } });

    const learnerAudit = await platform.graphql(AUDIT, {}, bearer(learner.accessToken));
    expect(learnerAudit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves one User across subgraphs: identity fields and platform feature flags in one query', async () => {
    const user = await signUp('flags@example.com');
    const result = await platform.graphql<{
      viewer: { id: string; displayName: string; featureFlags: unknown[] };
    }>('{ viewer { id displayName featureFlags { key enabled reason } } }', {}, bearer(user.accessToken));
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toMatchObject({ id: user.user.id, displayName: 'flags' });
    expect(Array.isArray(result.data?.viewer.featureFlags)).toBe(true);
  });

  it('locks an account after 10 failures, even for the right password', async () => {
    await signUp('locked@example.com');
    const wrong = { input: { email: 'locked@example.com', password: 'definitely wrong pass' } };
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await platform.graphql(
        'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
        wrong,
      );
      codes.push(result.errors?.[0]?.extensions?.code);
    }
    expect(codes.slice(0, 9).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    const right = await signIn('locked@example.com');
    expect(right.errors?.[0]?.extensions?.code).toBe('ACCOUNT_LOCKED');
  });

  it('lets a third-party integrator call the graph with an API key, and refuses a bad key', async () => {
    const owner = await signUp('integrator@example.com');
    const created = await platform.graphql<{ createApiKey: { plaintextKey: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { plaintextKey apiKey { id scopes } } }',
      { input: { name: 'ci', scopes: ['READ_PUBLIC'] } },
      bearer(owner.accessToken),
    );
    expect(created.errors).toBeUndefined();
    const key = created.data!.createApiKey.plaintextKey;
    const ok = await platform.graphql<{ viewer: { id: string }; publicConfig: unknown[] }>(
      '{ viewer { id } publicConfig { key } }',
      {},
      { 'x-api-key': key },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.viewer.id).toBe(owner.user.id);
    expect(Array.isArray(ok.data?.publicConfig)).toBe(true);
    const bad = await platform.graphql('{ publicConfig { key } }', {}, { 'x-api-key': `${key}x` });
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
