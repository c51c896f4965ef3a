import pg from 'pg';
import { bearer, signUp, type TestPlatform } from './test-platform.js';
import { totp } from './totp.js';

/** Everything e2e helpers need of a running test platform. */
type Platform = Pick<TestPlatform, 'graphql' | 'databaseUrl'>;

export const TEST_PASSWORD = 'a perfectly fine passphrase';

export type Actor = { id: string; token: string; refreshToken: string };

/** Runs SQL against the platform's database (for what only an operator can do, and for checks). */
export async function sql<T>(platform: Platform, query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A GraphQL call that must succeed; returns its data. */
export async function ok<T>(
  platform: Platform,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await platform.graphql<T>(query, variables, token ? bearer(token) : {});
  if (result.errors || !result.data)
    throw new Error(`GraphQL call failed: ${JSON.stringify(result.errors)}\n${query}`);
  return result.data;
}

/** A new account holding extra platform roles (set by an operator), signed in again so the token carries them. */
export async function withRoles(
  platform: Platform,
  email: string,
  displayName: string,
  roles: string[],
): Promise<Actor> {
  const user = await signUp(platform, email, displayName);
  await sql(platform, `UPDATE identity.users SET roles = $2 WHERE id = $1`, [user.user.id, roles]);
  const signedIn = await ok<{ signIn: { accessToken: string; refreshToken: string } }>(
    platform,
    'mutation($input: SignInInput!) { signIn(input: $input) { accessToken refreshToken } }',
    { input: { email, password: TEST_PASSWORD } },
  );
  return { id: user.user.id, token: signedIn.signIn.accessToken, refreshToken: signedIn.signIn.refreshToken };
}

/** An admin as in production: the role set by an operator, then two-factor enrolled in the limited session. */
export async function makeAdmin(
  platform: Platform,
  email: string,
  displayName = 'Ada Admin',
): Promise<Actor> {
  const limited = await withRoles(platform, email, displayName, ['LEARNER', 'ADMIN']);
  const enrollment = await ok<{ beginTwoFactorEnrollment: { secret: string } }>(
    platform,
    'mutation { beginTwoFactorEnrollment { secret } }',
    {},
    limited.token,
  );
  await ok(
    platform,
    'mutation($input: ConfirmTwoFactorEnrollmentInput!) { confirmTwoFactorEnrollment(input: $input) }',
    { input: { code: totp(enrollment.beginTwoFactorEnrollment.secret) } },
    limited.token,
  );
  const full = await ok<{ refreshSession: { accessToken: string; refreshToken: string } }>(
    platform,
    'mutation($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken refreshToken } }',
    { input: { refreshToken: limited.refreshToken } },
  );
  return {
    id: limited.id,
    token: full.refreshSession.accessToken,
    refreshToken: full.refreshSession.refreshToken,
  };
}

/**
 * Polls `read` until `done` holds, every 100 ms for up to `timeoutMs` (default 30 s: domain events
 * cross the outbox relay, BullMQ and the consumer's inbox).
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A tiny valid one-page PDF showing `text`. */
export function pdf(text: string): Buffer {
  const stream = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
