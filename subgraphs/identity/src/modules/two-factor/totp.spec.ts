import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from './totp.js';

// RFC 6238 appendix B (SHA-1 seed "12345678901234567890"), 8-digit values truncated to 6.
const SEED = Buffer.from('12345678901234567890');
const SECRET = base32Encode(SEED);

describe('TOTP', () => {
  it('base32 round-trips', () => {
    expect(SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(SECRET).equals(SEED)).toBe(true);
    expect(base32Decode(generateTotpSecret())).toHaveLength(20);
  });

  it('matches the RFC 6238 test vectors', () => {
    expect(hotp(SEED, totpStep(new Date(59_000)), 8)).toBe('94287082');
    expect(hotp(SEED, totpStep(new Date(1_111_111_109_000)), 8)).toBe('07081804');
    expect(hotp(SEED, totpStep(new Date(1_234_567_890_000)), 8)).toBe('89005924');
    expect(totpCode(SECRET, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('accepts the previous and next 30 s step, not two steps away', () => {
    const at = new Date(1_700_000_000_000);
    const code = totpCode(SECRET, at);
    expect(verifyTotp(SECRET, code, at)).toBe(totpStep(at));
    expect(verifyTotp(SECRET, code, new Date(at.getTime() + 30_000))).toBe(totpStep(at));
    expect(verifyTotp(SECRET, code, new Date(at.getTime() - 30_000))).toBe(totpStep(at));
    expect(verifyTotp(SECRET, code, new Date(at.getTime() + 60_000))).toBeNull();
    expect(verifyTotp(SECRET, code, new Date(at.getTime() - 60_000))).toBeNull();
  });

  it('never accepts a step at or before the last used one (replay)', () => {
    const at = new Date(1_700_000_000_000);
    const code = totpCode(SECRET, at);
    expect(verifyTotp(SECRET, code, at, totpStep(at))).toBeNull();
    expect(verifyTotp(SECRET, code, at, totpStep(at) - 1)).toBe(totpStep(at));
  });

  it('refuses malformed codes', () => {
    expect(verifyTotp(SECRET, '12345', new Date())).toBeNull();
    expect(verifyTotp(SECRET, 'abcdef', new Date())).toBeNull();
  });

  it('builds an otpauth URI', () => {
    expect(otpauthUri({ secret: 'ABC', accountName: 'a@b.c', issuer: 'Edugraph' })).toBe(
      'otpauth://totp/Edugraph%3Aa%40b.c?secret=ABC&issuer=Edugraph&algorithm=SHA1&digits=6&period=30',
    );
  });
});
