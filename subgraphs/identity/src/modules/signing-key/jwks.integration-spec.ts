import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { MINUTE, SECOND } from '../../shared/clock.js';
import { SecretBox } from '../../shared/crypto.js';
import { codeOf, signUp, useTestIdentity, VIEWER } from '../../testing/identity-harness.js';
import { KeyStore } from './key-store.service.js';
import { rotateKeysCommand } from './rotate-keys.command.js';

const dataKey = randomBytes(32);
const t = useTestIdentity({ dataEncryptionKey: dataKey });

type Jwks = { keys: { kid: string; kty: string; crv: string; alg: string; use: string; d?: string }[] };

async function jwks(): Promise<{ status: number; cacheControl: string | null; body: Jwks }> {
  const response = await fetch(`${t.baseUrl}/.well-known/jwks.json`);
  return {
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    body: (await response.json()) as Jwks,
  };
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid!;

function rotate(lines: string[] = []) {
  return rotateKeysCommand({
    dataSource: t.running.services.dataSource,
    box: new SecretBox(dataKey),
    clock: t.clock,
    publishLeadSeconds: t.config.keyPublishLeadSeconds,
    print: (line) => lines.push(line),
  });
}

describe('JWKS', () => {
  it('creates one active key on first start and serves public keys only, cacheable 60 s', async () => {
    const rows: { id: string }[] = await t.running.services.dataSource.query(
      `SELECT id FROM "identity".signing_keys`,
    );
    expect(rows).toHaveLength(1);
    const auth = await signUp(t);
    const { status, cacheControl, body } = await jwks();
    expect(status).toBe(200);
    expect(cacheControl).toContain('max-age=60');
    expect(body.keys.map((k) => k.kid)).toEqual([kidOf(auth.accessToken)]);
    expect(
      body.keys.every(
        (k) =>
          k.kty === 'EC' && k.crv === 'P-256' && k.alg === 'ES256' && k.use === 'sig' && k.d === undefined,
      ),
    ).toBe(true);
    // A second start does not create another key.
    expect(await t.running.services.keys.ensureActiveKey()).toBeNull();
  });

  it('stores private keys encrypted with the data key', async () => {
    const rows: { private_jwk: string }[] = await t.running.services.dataSource.query(
      `SELECT private_jwk FROM "identity".signing_keys`,
    );
    expect(rows.every((r) => r.private_jwk.startsWith('enc:v1:') && !r.private_jwk.includes('"d"'))).toBe(
      true,
    );
  });

  it('refuses a publish lead under 10 minutes', () => {
    expect(
      () =>
        new KeyStore(t.running.services.dataSource, new SecretBox(dataKey), t.clock, {
          publishLeadSeconds: 599,
        }),
    ).toThrow();
  });

  it('rotation publishes the next key ≥ 10 min before it signs, keeps the old key until its tokens expire, then removes it', async () => {
    const before = await signUp(t);
    const oldKid = kidOf(before.accessToken);
    const lines: string[] = [];
    const report = await rotate(lines);
    const newKid = report.created!.kid;
    expect(report.created!.activatesAt.getTime() - t.clock.now().getTime()).toBeGreaterThanOrEqual(
      10 * MINUTE,
    );
    expect(report.superseded.map((s) => s.kid)).toEqual([oldKid]);
    expect(lines.join('\n')).toContain(`created key ${newKid}`);

    // The CLI runs in another process: the server reloads keys within 30 s. Published, but not used yet.
    t.clock.advance(31 * SECOND);
    expect((await jwks()).body.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect(kidOf((await signUp(t)).accessToken)).toBe(oldKid);
    t.clock.advance(10 * MINUTE);
    expect(kidOf((await signUp(t)).accessToken)).toBe(oldKid);

    // A second run while a key is pending creates nothing new.
    const again = await rotate();
    expect(again.created).toBeNull();
    expect(again.pending?.kid).toBe(newKid);

    // Once active, the new key signs; the old key stays published and old tokens still verify.
    t.clock.set(new Date(report.created!.activatesAt.getTime() + SECOND));
    const lastOld = await signUp(t); // signed just now → new key
    expect(kidOf(lastOld.accessToken)).toBe(newKid);
    expect((await jwks()).body.keys.map((k) => k.kid)).toContain(oldKid);
    expect((await t.running.services.tokens.verify(before.accessToken)).userId).toBe(before.user.id);

    // After the old key's last tokens have expired, the next rotation removes it from JWKS.
    t.clock.set(new Date(report.superseded[0]!.removeAfter.getTime() + SECOND));
    const third = await rotate();
    expect(third.removed).toEqual([oldKid]);
    t.running.services.keys.invalidate();
    expect((await jwks()).body.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(codeOf(await t.gql(VIEWER, {}, { token: before.accessToken }))).toBe('UNAUTHENTICATED');

    const audits: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".outbox WHERE payload->>'action' = 'identity.signing_key.rotated'`,
    );
    expect(audits).toHaveLength(3);
  });
});
