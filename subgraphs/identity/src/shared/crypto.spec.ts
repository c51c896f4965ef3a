import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomNumericCode, randomToken, safeEqual, SecretBox } from './crypto.js';

describe('crypto helpers', () => {
  it('seals and opens secrets with AES-256-GCM; tampering is detected', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('top secret');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('top secret');
    expect(box.open(sealed)).toBe('top secret');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('without a key (development) stores plainly marked values', () => {
    const box = new SecretBox(null);
    expect(box.open(box.seal('x'))).toBe('x');
    expect(() => box.open(new SecretBox(randomBytes(32)).seal('x'))).toThrow(/IDENTITY_DATA_KEY/);
  });

  it('tokens have 256 bits, codes 6 digits', () => {
    expect(Buffer.from(randomToken(), 'base64url')).toHaveLength(32);
    for (let i = 0; i < 50; i += 1) expect(randomNumericCode()).toMatch(/^\d{6}$/);
  });

  it('compares in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
