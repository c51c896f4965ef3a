import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
  codeOf,
  REFRESH,
  signIn,
  signUp,
  useTestIdentity,
  uniqueEmail,
  VIEWER,
  type AuthPayloadResult,
} from '../../testing/identity-harness.js';

const t = useTestIdentity();

const SESSIONS = `{ sessions { id createdAt lastUsedAt expiresAt ipAddress userAgent current } }`;
type SessionRow = { id: string; current: boolean; ipAddress: string | null };

async function sessionsOf(token: string) {
  return t.gql<{ sessions: SessionRow[] }>(SESSIONS, {}, { token });
}

describe('sessions', () => {
  it('lists own active sessions with the current one marked', async () => {
    const email = uniqueEmail('list');
    const first = await signUp(t, email);
    const second = (await signIn(t, email)).data!.signIn;
    const result = await sessionsOf(second.accessToken);
    expect(result.errors).toBeUndefined();
    expect(result.data!.sessions).toHaveLength(2);
    expect(result.data!.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(result.data!.sessions[0]!.ipAddress).toBe('203.0.113.1');
    // The other user sees only their own.
    const other = await signUp(t);
    expect((await sessionsOf(other.accessToken)).data!.sessions).toHaveLength(1);
    expect(first.accessToken).not.toBe(second.accessToken);
  });

  it('denies anonymous callers', async () => {
    expect(codeOf(await t.gql(SESSIONS))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql('mutation { signOut }'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql('mutation { signOutEverywhere(input: { scope: ALL }) }'))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('keeps at most 10 active sessions: the 11th sign-in revokes the oldest', async () => {
    const email = uniqueEmail('cap');
    const first = await signUp(t, email);
    const later: AuthPayloadResult[] = [];
    for (let i = 0; i < 10; i += 1) {
      t.clock.advance(1000);
      later.push((await signIn(t, email)).data!.signIn);
    }
    const list = await sessionsOf(later.at(-1)!.accessToken);
    expect(list.data!.sessions).toHaveLength(10);
    // The first session was the oldest: its refresh token no longer works.
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: first.refreshToken } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await t.gql(REFRESH, { input: { refreshToken: later[0]!.refreshToken } })).errors,
    ).toBeUndefined();
  });

  it('signOut ends the current session only', async () => {
    const email = uniqueEmail('out');
    const a = await signUp(t, email);
    const b = (await signIn(t, email)).data!.signIn;
    const out = await t.gql<{ signOut: boolean }>('mutation { signOut }', {}, { token: a.accessToken });
    expect(out.data?.signOut).toBe(true);
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: a.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect((await sessionsOf(b.accessToken)).data!.sessions).toHaveLength(1);
    // The ended session's access token is refused by identity's own session check.
    expect(codeOf(await sessionsOf(a.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('signOutEverywhere ALL_OTHERS keeps the current session and returns the count; ALL ends everything', async () => {
    const email = uniqueEmail('everywhere');
    const a = await signUp(t, email);
    await signIn(t, email);
    await signIn(t, email);
    const others = await t.gql<{ signOutEverywhere: number }>(
      'mutation { signOutEverywhere(input: { scope: ALL_OTHERS }) }',
      {},
      { token: a.accessToken },
    );
    expect(others.data?.signOutEverywhere).toBe(2);
    expect((await sessionsOf(a.accessToken)).data!.sessions).toHaveLength(1);
    const b = (await signIn(t, email)).data!.signIn;
    const all = await t.gql<{ signOutEverywhere: number }>(
      'mutation { signOutEverywhere(input: { scope: ALL }) }',
      {},
      { token: b.accessToken },
    );
    expect(all.data?.signOutEverywhere).toBe(2);
    expect(codeOf(await sessionsOf(b.accessToken))).toBe('UNAUTHENTICATED');
  });

  it("revokeSession ends one own session; another user's session is NOT_FOUND and stays active", async () => {
    const email = uniqueEmail('revoke');
    const a = await signUp(t, email);
    const b = (await signIn(t, email)).data!.signIn;
    const list = (await sessionsOf(a.accessToken)).data!.sessions;
    const other = list.find((s) => !s.current)!;
    const REVOKE = `mutation R($input: RevokeSessionInput!) { revokeSession(input: $input) }`;

    const mallory = await signUp(t);
    const denied = await t.gql(REVOKE, { input: { sessionId: other.id } }, { token: mallory.accessToken });
    expect(codeOf(denied)).toBe('NOT_FOUND');
    expect((await sessionsOf(b.accessToken)).errors).toBeUndefined();

    const ok = await t.gql<{ revokeSession: boolean }>(
      REVOKE,
      { input: { sessionId: other.id } },
      { token: a.accessToken },
    );
    expect(ok.data?.revokeSession).toBe(true);
    expect(codeOf(await sessionsOf(b.accessToken))).toBe('UNAUTHENTICATED');
    expect(
      codeOf(await t.gql(REVOKE, { input: { sessionId: 'not-a-uuid' } }, { token: a.accessToken })),
    ).toBe('BAD_USER_INPUT');
  });

  it('the viewer query keeps working statelessly for a revoked session until its token expires (documented)', async () => {
    const a = await signUp(t);
    await t.gql('mutation { signOut }', {}, { token: a.accessToken });
    const viewer = await t.gql<{ viewer: { id: string } }>(VIEWER, {}, { token: a.accessToken });
    expect(viewer.data?.viewer?.id).toBe(a.user.id);
  });
});

describe('User entity', () => {
  const ENTITIES = `query E($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id displayName roles email } } }`;

  it('resolves references through one batched query; email only for self and ADMIN/SUPPORT', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const reps = [alice, bob].map((u) => ({ __typename: 'User', id: u.user.id }));
    reps.push({ __typename: 'User', id: '00000000-0000-4000-8000-000000000000' });

    const asAlice = await t.gql<{ _entities: ({ id: string; email: string | null } | null)[] }>(
      ENTITIES,
      { reps },
      { token: alice.accessToken },
    );
    expect(asAlice.errors).toBeUndefined();
    expect(asAlice.data!._entities[0]).toMatchObject({ id: alice.user.id, email: alice.user.email });
    expect(asAlice.data!._entities[1]).toMatchObject({ id: bob.user.id, email: null });
    expect(asAlice.data!._entities[2]).toBeNull();

    const anonymous = await t.gql<{ _entities: { email: string | null }[] }>(ENTITIES, { reps });
    expect(anonymous.data!._entities[0]!.email).toBeNull();

    const support = await signUp(t);
    await t.running.services.dataSource.query(
      `UPDATE "identity".users SET roles = '{LEARNER,SUPPORT}' WHERE id = $1`,
      [support.user.id],
    );
    const supportToken = (
      await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
        input: { refreshToken: support.refreshToken },
      })
    ).data!.refreshSession.accessToken;
    const asSupport = await t.gql<{ _entities: { email: string | null }[] }>(
      ENTITIES,
      { reps },
      { token: supportToken },
    );
    expect(asSupport.data!._entities[1]!.email).toBe(bob.user.email);
  });

  it('marks answers with only public user fields shareable (public, 30 s); private fields and the viewer never', async () => {
    const alice = await signUp(t);
    const reps = [{ __typename: 'User', id: alice.user.id }];
    const query = (fields: string) =>
      `query E($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { ${fields} } } }`;
    const asAlice = { token: alice.accessToken };
    expect((await t.gql(query('id displayName roles createdAt'), { reps }, asAlice)).cacheControl).toBe(
      'max-age=30, public',
    );
    expect((await t.gql(query('id displayName'), { reps })).cacheControl).toBe('max-age=30, public');
    for (const field of ['email', 'emailVerified', 'twoFactorEnabled', 'disabled']) {
      const result = await t.gql(query(`id ${field}`), { reps }, asAlice);
      expect({ field, cacheControl: result.cacheControl }).toEqual({
        field,
        cacheControl: 'max-age=30, private',
      });
    }
    expect((await t.gql(VIEWER, {}, asAlice)).cacheControl).toBe('no-store');
  });

  it('loads many references with one SQL statement on users', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => signUp(t)));
    const reps = users.map((u) => ({ __typename: 'User', id: u.user.id }));
    t.queries.reset();
    const result = await t.gql<{ _entities: { id: string }[] }>(ENTITIES, { reps });
    expect(result.data!._entities).toHaveLength(12);
    expect(t.queries.queries.filter((q) => q.includes('"identity"."users"'))).toHaveLength(1);
  });
});
