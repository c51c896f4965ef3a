import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../shared/clock.js';
import {
  codeOf,
  PASSWORD,
  signIn,
  signUp,
  useTestIdentity,
  uniqueEmail,
} from '../../testing/identity-harness.js';

const t = useTestIdentity({ signInIpLimit: 5, signInIpWindowSeconds: 60 });

let ipCounter = 0;
/** A fresh IP per call so the per-IP limit (5 here) does not interfere with lockout tests. */
function freshIp(): string {
  ipCounter += 1;
  return `10.9.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

async function failTimes(email: string, times: number): Promise<(string | undefined)[]> {
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < times; i += 1)
    codes.push(codeOf(await signIn(t, email, 'wrong password here', { ip: freshIp() })));
  return codes;
}

describe('lockout', () => {
  it('locks after 10 consecutive failures for 15 min, then 30 min on the next lock (doubling)', async () => {
    const email = uniqueEmail('lock');
    await signUp(t, email);

    const first = await failTimes(email, 10);
    expect(first.slice(0, 9)).toEqual(Array(9).fill('INVALID_CREDENTIALS'));
    expect(first[9]).toBe('ACCOUNT_LOCKED');
    // Locked: even the right password is refused.
    expect(codeOf(await signIn(t, email, PASSWORD, { ip: freshIp() }))).toBe('ACCOUNT_LOCKED');

    t.clock.advance(14 * MINUTE);
    expect(codeOf(await signIn(t, email, PASSWORD, { ip: freshIp() }))).toBe('ACCOUNT_LOCKED');
    t.clock.advance(1 * MINUTE + 1000);

    // Lock #2 doubles to 30 minutes.
    const second = await failTimes(email, 10);
    expect(second[9]).toBe('ACCOUNT_LOCKED');
    const locked = await signIn(t, email, PASSWORD, { ip: freshIp() });
    const until = new Date(String(locked.errors?.[0]?.extensions?.['lockedUntil']));
    expect(until.getTime() - t.clock.now().getTime()).toBe(30 * MINUTE);
    t.clock.advance(29 * MINUTE);
    expect(codeOf(await signIn(t, email, PASSWORD, { ip: freshIp() }))).toBe('ACCOUNT_LOCKED');
    t.clock.advance(1 * MINUTE + 1000);

    // Unlocked: the right password works and clears the history.
    const ok = await signIn(t, email, PASSWORD, { ip: freshIp() });
    expect(ok.errors).toBeUndefined();
    const rows: { failed_sign_in_count: number; lock_count: number; locked_until: Date | null }[] =
      await t.running.services.dataSource.query(
        `SELECT failed_sign_in_count, lock_count, locked_until FROM "identity".users WHERE email = $1`,
        [email],
      );
    expect(rows[0]).toMatchObject({ failed_sign_in_count: 0, lock_count: 0, locked_until: null });
  });

  it('a success in between resets the consecutive count', async () => {
    const email = uniqueEmail('reset');
    await signUp(t, email);
    await failTimes(email, 9);
    expect((await signIn(t, email, PASSWORD, { ip: freshIp() })).errors).toBeUndefined();
    const again = await failTimes(email, 9);
    expect(again.every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
  });

  it('unknown emails answer exactly like a real account: INVALID_CREDENTIALS, then ACCOUNT_LOCKED on the 10th', async () => {
    const ghost = uniqueEmail('ghost');
    const real = uniqueEmail('real');
    await signUp(t, real);
    const ghostCodes = await failTimes(ghost, 11);
    const realCodes = await failTimes(real, 11);
    expect(ghostCodes).toEqual(realCodes);
    expect(ghostCodes.slice(9)).toEqual(['ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
    const g = await signIn(t, ghost, PASSWORD, { ip: freshIp() });
    const r = await signIn(t, real, PASSWORD, { ip: freshIp() });
    expect(g.errors?.[0]?.message).toBe(r.errors?.[0]?.message);
    expect(g.errors?.[0]?.extensions?.['lockedUntil']).toBe(r.errors?.[0]?.extensions?.['lockedUntil']);
  });

  it('unknown emails cost a real argon2 verification (similar timing)', async () => {
    const hasher = t.running.services.hasher;
    let verifications = 0;
    const original = hasher.verify.bind(hasher);
    hasher.verify = async (hash, password) => {
      verifications += 1;
      return original(hash, password);
    };
    try {
      await signIn(t, uniqueEmail('timing'), 'some password', { ip: freshIp() });
      expect(verifications).toBe(1);
    } finally {
      hasher.verify = original;
    }
  });
});

describe('per-IP sign-in limit', () => {
  it('answers RATE_LIMITED after 5 attempts per minute from one IP, other IPs unaffected', async () => {
    const email = uniqueEmail('rate');
    await signUp(t, email);
    const ip = '192.0.2.77';
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i += 1) codes.push(codeOf(await signIn(t, email, 'wrong password here', { ip })));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(codes[5]).toBe('RATE_LIMITED');
    // Even the right password is refused from that IP, and the refused attempt is not a failure.
    const limited = await signIn(t, email, PASSWORD, { ip });
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.['retryAfterSeconds']).toBeGreaterThan(0);
    expect((await signIn(t, email, PASSWORD, { ip: '192.0.2.78' })).errors).toBeUndefined();
  });
});
