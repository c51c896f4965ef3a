import { randomBytes } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type FlattenedJWSInput,
} from 'jose';
import type { DataSource, EntityManager } from 'typeorm';
import { LessThanOrEqual } from 'typeorm';
import { addMs, SECOND, type Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/crypto.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export const ACCESS_TOKEN_TTL_SECONDS = 600;
/** A newly created key is published at least this long before it signs. */
export const MIN_PUBLISH_LEAD_SECONDS = 600;
/** Slack for clock skew between services when removing an old key. */
export const KEY_REMOVAL_SLACK_SECONDS = 60;
const CACHE_MS = 30 * SECOND;
const UNKNOWN_KID_RELOAD_MS = 5 * SECOND;

export type PublicJwk = JWK & { kid: string; alg: 'ES256'; use: 'sig' };

export type RotationReport = {
  created: { kid: string; activatesAt: Date } | null;
  pending: { kid: string; activatesAt: Date } | null;
  superseded: { kid: string; retiresAt: Date; removeAfter: Date }[];
  removed: string[];
};

export type SigningKey = { kid: string; privateKey: CryptoKey };

/**
 * ES256 signing keys kept in `identity.signing_keys` (private JWK sealed at rest). Keys are published
 * in JWKS from creation, sign from `activatesAt`, and leave JWKS after `removeAfter`.
 */
export class KeyStore {
  private cache: { loadedAt: number; keys: SigningKeyEntity[] } | null = null;
  private readonly privateKeys = new Map<string, CryptoKey>();
  private readonly publicKeys = new Map<string, CryptoKey>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly options: { publishLeadSeconds: number; accessTokenTtlSeconds?: number } = {
      publishLeadSeconds: MIN_PUBLISH_LEAD_SECONDS,
    },
  ) {
    if (options.publishLeadSeconds < MIN_PUBLISH_LEAD_SECONDS) {
      throw new Error(`Signing keys must be published at least ${MIN_PUBLISH_LEAD_SECONDS} s before use.`);
    }
  }

  private get ttlSeconds(): number {
    return this.options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  }

  invalidate(): void {
    this.cache = null;
  }

  private async keys(): Promise<SigningKeyEntity[]> {
    const now = this.clock.now().getTime();
    if (!this.cache || now - this.cache.loadedAt > CACHE_MS || now < this.cache.loadedAt) {
      const keys = await this.dataSource
        .getRepository(SigningKeyEntity)
        .find({ order: { activatesAt: 'ASC' } });
      this.cache = { loadedAt: now, keys };
    }
    return this.cache.keys;
  }

  private isPublished(key: SigningKeyEntity, now: Date): boolean {
    return (
      key.createdAt.getTime() <= now.getTime() &&
      (key.removeAfter === null || key.removeAfter.getTime() > now.getTime())
    );
  }

  /** Keys for `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    const now = this.clock.now();
    const keys = (await this.keys()).filter((k) => this.isPublished(k, now));
    return { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.id, alg: 'ES256', use: 'sig' })) };
  }

  /** The key that signs now: the published key with the latest `activatesAt` not in the future. */
  async signingKey(): Promise<SigningKey> {
    const now = this.clock.now();
    let keys = await this.keys();
    let candidates = keys.filter((k) => this.isPublished(k, now) && k.activatesAt.getTime() <= now.getTime());
    if (candidates.length === 0) {
      this.invalidate();
      keys = await this.keys();
      candidates = keys.filter((k) => this.isPublished(k, now) && k.activatesAt.getTime() <= now.getTime());
    }
    const key = candidates.at(-1);
    if (!key) throw new Error('No active signing key. Start the identity subgraph once or run rotate-keys.');
    let privateKey = this.privateKeys.get(key.id);
    if (!privateKey) {
      privateKey = (await importJWK(JSON.parse(this.box.open(key.privateJwk)) as JWK, 'ES256')) as CryptoKey;
      this.privateKeys.set(key.id, privateKey);
    }
    return { kid: key.id, privateKey };
  }

  /** jose key lookup for the local token verifier (no HTTP to ourselves). */
  readonly getKey = async (header: JWTHeaderParameters, _token?: FlattenedJWSInput): Promise<CryptoKey> => {
    const kid = header.kid;
    if (!kid) throw new Error('token has no kid');
    const now = this.clock.now();
    let key = (await this.keys()).find((k) => k.id === kid);
    // An unknown kid may be a key another instance just created: reload, but at most every 5 s, so
    // tokens with random kids cannot force a query each.
    if (!key && this.cache && now.getTime() - this.cache.loadedAt >= UNKNOWN_KID_RELOAD_MS) {
      this.invalidate();
      key = (await this.keys()).find((k) => k.id === kid);
    }
    if (!key || !this.isPublished(key, now)) throw new Error('unknown kid');
    let publicKey = this.publicKeys.get(kid);
    if (!publicKey) {
      publicKey = (await importJWK(key.publicJwk, 'ES256')) as CryptoKey;
      this.publicKeys.set(kid, publicKey);
    }
    return publicKey;
  };

  private async createKey(manager: EntityManager, activatesAt: Date): Promise<SigningKeyEntity> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `${this.clock.now().toISOString().slice(0, 10)}-${randomBytes(9).toString('base64url')}`;
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const entity = manager.create(SigningKeyEntity, {
      id: kid,
      algorithm: 'ES256',
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
      privateJwk: this.box.seal(JSON.stringify(privateJwk)),
      createdAt: this.clock.now(),
      activatesAt,
      retiresAt: null,
      removeAfter: null,
    });
    return manager.save(entity);
  }

  private async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))`);
  }

  /** On first start: creates a key that signs immediately when none can sign. Returns its kid if created. */
  async ensureActiveKey(): Promise<string | null> {
    const created = await this.dataSource.transaction(async (manager) => {
      await this.lock(manager);
      const now = this.clock.now();
      const usable = await manager
        .getRepository(SigningKeyEntity)
        .count({ where: { activatesAt: LessThanOrEqual(now) } });
      if (usable > 0) return null;
      return (await this.createKey(manager, now)).id;
    });
    this.invalidate();
    return created;
  }

  /**
   * Rotation: creates the next key (published now, signing after the lead time) unless one is already
   * pending, marks older keys as superseded at that moment (kept in JWKS until their last tokens
   * expire), and deletes keys past `removeAfter`. `onRotated` runs in the same transaction (audit).
   */
  async rotate(
    onRotated?: (manager: EntityManager, report: RotationReport) => Promise<void>,
  ): Promise<RotationReport> {
    const report = await this.dataSource.transaction(async (manager) => {
      await this.lock(manager);
      const repo = manager.getRepository(SigningKeyEntity);
      const now = this.clock.now();
      const all = await repo.find({ order: { activatesAt: 'ASC' } });
      const result: RotationReport = { created: null, pending: null, superseded: [], removed: [] };

      let next = all.find((k) => k.activatesAt.getTime() > now.getTime()) ?? null;
      if (next) {
        result.pending = { kid: next.id, activatesAt: next.activatesAt };
      } else {
        next = await this.createKey(manager, addMs(now, this.options.publishLeadSeconds * SECOND));
        result.created = { kid: next.id, activatesAt: next.activatesAt };
      }
      const removeAfter = addMs(next.activatesAt, (this.ttlSeconds + KEY_REMOVAL_SLACK_SECONDS) * SECOND);
      for (const key of all) {
        if (key.id === next.id || key.retiresAt !== null) continue;
        if (key.activatesAt.getTime() >= next.activatesAt.getTime()) continue;
        key.retiresAt = next.activatesAt;
        key.removeAfter = removeAfter;
        await repo.save(key);
        result.superseded.push({ kid: key.id, retiresAt: next.activatesAt, removeAfter });
      }
      for (const key of all) {
        if (key.removeAfter !== null && key.removeAfter.getTime() <= now.getTime()) {
          await repo.delete({ id: key.id });
          result.removed.push(key.id);
        }
      }
      await onRotated?.(manager, result);
      return result;
    });
    this.invalidate();
    return report;
  }
}
