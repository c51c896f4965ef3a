import { describe, expect, it } from 'vitest';
import { totp } from './totp.js';

describe('totp (test helper)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    expect(totp(secret, new Date(59_000))).toBe('287082');
    expect(totp(secret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totp(secret, new Date(2_000_000_000_000))).toBe('279037');
  });
});
