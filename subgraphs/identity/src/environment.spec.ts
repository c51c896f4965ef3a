import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { DEFAULT_HASH_PARAMS, PRODUCTION_MIN_HASH_PARAMS, readIdentityConfig } from './environment.js';

const prodKey = randomBytes(32).toString('base64');

describe('identity configuration', () => {
  it('production argon2id parameters meet m ≥ 19456 KiB, t ≥ 2, p = 1', () => {
    const config = readIdentityConfig({ NODE_ENV: 'production', IDENTITY_DATA_KEY: prodKey });
    expect(config.passwordHash.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(config.passwordHash.timeCost).toBeGreaterThanOrEqual(2);
    expect(config.passwordHash.parallelism).toBe(1);
    expect(DEFAULT_HASH_PARAMS.memoryCost).toBeGreaterThanOrEqual(PRODUCTION_MIN_HASH_PARAMS.memoryCost);
  });

  it('refuses weaker parameters in production but allows them in tests', () => {
    expect(() =>
      readIdentityConfig({
        NODE_ENV: 'production',
        IDENTITY_DATA_KEY: prodKey,
        PASSWORD_HASH_MEMORY_KIB: '1024',
      }),
    ).toThrow(/minimum/);
    expect(() =>
      readIdentityConfig({
        NODE_ENV: 'production',
        IDENTITY_DATA_KEY: prodKey,
        PASSWORD_HASH_TIME_COST: '1',
      }),
    ).toThrow(/minimum/);
    expect(
      readIdentityConfig({ NODE_ENV: 'test', PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_TIME_COST: '1' })
        .passwordHash,
    ).toEqual({
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
    });
  });

  it('requires a 32-byte data key in production', () => {
    expect(() => readIdentityConfig({ NODE_ENV: 'production' })).toThrow(/IDENTITY_DATA_KEY/);
    expect(() => readIdentityConfig({ NODE_ENV: 'production', IDENTITY_DATA_KEY: 'c2hvcnQ=' })).toThrow(
      /32 bytes/,
    );
  });

  it('rotates signing keys every 30 days by default; 0 disables; negative values are refused', () => {
    expect(readIdentityConfig({}).keyRotationDays).toBe(30);
    expect(readIdentityConfig({ SIGNING_KEY_ROTATION_DAYS: '0' }).keyRotationDays).toBe(0);
    expect(readIdentityConfig({ SIGNING_KEY_ROTATION_DAYS: '7' }).keyRotationDays).toBe(7);
    expect(() => readIdentityConfig({ SIGNING_KEY_ROTATION_DAYS: '-1' })).toThrow();
  });

  it('refuses a signing key publish lead under 10 minutes', () => {
    expect(() => readIdentityConfig({ SIGNING_KEY_PUBLISH_LEAD_SECONDS: '300' })).toThrow();
  });

  it('hashes with the production parameters it is given', async () => {
    const hasher = new PasswordHasher(PRODUCTION_MIN_HASH_PARAMS);
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'wrong')).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
    expect(new PasswordHasher({ ...PRODUCTION_MIN_HASH_PARAMS, timeCost: 3 }).needsRehash(hash)).toBe(true);
  });
});

describe('sign-in rate limit defaults', () => {
  it('30 attempts per 5 minutes per IP, higher only for test platforms', () => {
    expect(readIdentityConfig({ NODE_ENV: 'development' })).toMatchObject({
      signInIpLimit: 30,
      signInIpWindowSeconds: 300,
    });
    expect(readIdentityConfig({ NODE_ENV: 'test' }).signInIpLimit).toBe(1000);
    expect(readIdentityConfig({ NODE_ENV: 'test', SIGN_IN_IP_LIMIT: '5' }).signInIpLimit).toBe(5);
  });
});
