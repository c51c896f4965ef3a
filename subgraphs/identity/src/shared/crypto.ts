import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** High-entropy opaque token (base64url). 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time string comparison (compares sha256 digests, so lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** A uniformly random numeric code with `digits` digits. */
export function randomNumericCode(digits = 6): string {
  const max = 10 ** digits;
  let value: number;
  do {
    value = randomBytes(4).readUInt32BE(0);
  } while (value >= Math.floor(0x1_0000_0000 / max) * max);
  return String(value % max).padStart(digits, '0');
}

/**
 * Secrets at rest (private signing keys, TOTP secrets): AES-256-GCM with the data key from the
 * environment (`enc:v1:<iv>.<tag>.<ciphertext>`). Without a key (development/test only) values are
 * stored as `plain:<value>`.
 */
export class SecretBox {
  constructor(private readonly key: Buffer | null) {}

  seal(plaintext: string): string {
    if (!this.key) return `plain:${plaintext}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `enc:v1:${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    if (!sealed.startsWith('enc:v1:')) throw new Error('Unknown sealed secret format.');
    if (!this.key) throw new Error('IDENTITY_DATA_KEY is needed to decrypt stored secrets.');
    const [iv, tag, body] = sealed.slice('enc:v1:'.length).split('.');
    if (!iv || !tag || !body) throw new Error('Malformed sealed secret.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
