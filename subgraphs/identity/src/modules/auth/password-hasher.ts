import argon2 from 'argon2';
import type { PasswordHashParams } from '../../environment.js';

/** argon2id hashing with configurable cost; `needsRehash` tells when stored hashes use other parameters. */
export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(readonly params: PasswordHashParams) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.params });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, { ...this.params });
  }

  /** Burns the same work as a real verification, for unknown emails (similar timing). */
  async verifyDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash('dummy-password-for-timing');
    await this.verify(await this.dummyHash, password);
  }
}
