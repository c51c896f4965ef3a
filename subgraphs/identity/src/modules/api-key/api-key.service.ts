import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  BadUserInputError,
  NotFoundError,
  paginate,
  type Connection,
  type ConnectionArgs,
} from '@edugraph/kit';
import { MINUTE, type Clock } from '../../shared/clock.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { recordAudit, type AuditActor } from '../audit/audit.js';
import { IdentityError } from '../auth/identity.errors.js';
import type { TokenIssuer } from '../signing-key/token-issuer.js';
import { UserEntity } from '../user/user.entity.js';
import { API_KEY_SCOPES } from './api-key-scope.enum.js';
import { ApiKeyEntity } from './api-key.entity.js';

export const API_KEY_PREFIX = 'egk_';
export const MAX_ACTIVE_API_KEYS = 20;
export const API_KEY_PAGE_MAX = 50;
export const LAST_USED_RESOLUTION_MS = MINUTE;

export type ApiKeyExchange = {
  accessToken: string;
  expiresAt: number;
  apiKeyId: string;
  ownerId: string;
  scopes: string[];
};

/** Third-party API keys: stored as sha256 of a 256-bit random key; the plaintext is shown once. */
export class ApiKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly tokens: TokenIssuer,
  ) {}

  async create(
    actor: AuditActor,
    ownerId: string,
    input: { name: string; scopes: string[] },
  ): Promise<{ key: ApiKeyEntity; plaintext: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 80)
      throw new BadUserInputError('The name must have 1 to 80 characters.', 'name');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw new BadUserInputError('Choose at least one scope.', 'scopes');
    const unknown = scopes.filter((s) => !API_KEY_SCOPES.includes(s));
    if (unknown.length > 0) throw new BadUserInputError(`Unknown scopes: ${unknown.join(', ')}.`, 'scopes');

    const plaintext = `${API_KEY_PREFIX}${randomToken(32)}`;
    const key = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM "identity".users WHERE id = $1 FOR UPDATE`, [ownerId]);
      const active = await manager
        .getRepository(ApiKeyEntity)
        .createQueryBuilder('k')
        .where('k.owner_id = :ownerId AND k.revoked_at IS NULL', { ownerId })
        .getCount();
      if (active >= MAX_ACTIVE_API_KEYS) {
        throw new IdentityError(
          'TOO_MANY_API_KEYS',
          `You can have at most ${MAX_ACTIVE_API_KEYS} active API keys.`,
        );
      }
      const key = manager.create(ApiKeyEntity, {
        id: randomUUID(),
        ownerId,
        name,
        prefix: plaintext.slice(0, API_KEY_PREFIX.length + 8),
        keyHash: sha256Hex(plaintext),
        scopes,
        createdAt: this.clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      });
      await manager.insert(ApiKeyEntity, key);
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.api_key.created',
        targetType: 'ApiKey',
        targetId: key.id,
        metadata: { ownerId, scopes, name },
      });
      return key;
    });
    return { key, plaintext };
  }

  /** The owner (or an ADMIN) revokes a key; other people's keys are NOT_FOUND. */
  async revoke(actor: AuditActor, viewerId: string, isAdmin: boolean, keyId: string): Promise<ApiKeyEntity> {
    return this.dataSource.transaction(async (manager) => {
      const key = await manager.findOneBy(ApiKeyEntity, { id: keyId });
      if (!key || (key.ownerId !== viewerId && !isAdmin)) throw new NotFoundError('API key');
      if (key.revokedAt) return key;
      key.revokedAt = this.clock.now();
      await manager.update(ApiKeyEntity, { id: key.id }, { revokedAt: key.revokedAt });
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.api_key.revoked',
        targetType: 'ApiKey',
        targetId: key.id,
        metadata: { ownerId: key.ownerId },
      });
      return key;
    });
  }

  /** The owner's keys, newest first, as a capped connection (one SQL query per page). */
  list(ownerId: string, args: ConnectionArgs): Promise<Connection<ApiKeyEntity>> {
    const qb = this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .where('k.owner_id = :ownerId', { ownerId });
    return paginate(qb, args, { alias: 'k', sortBy: 'createdAt', direction: 'DESC', max: API_KEY_PAGE_MAX });
  }

  /** Exchanges a plaintext key for a 10-minute access token; null when the key is unknown, revoked or its owner disabled. */
  async exchange(plaintext: string): Promise<ApiKeyExchange | null> {
    if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 200) return null;
    const key = await this.dataSource
      .getRepository(ApiKeyEntity)
      .findOneBy({ keyHash: sha256Hex(plaintext) });
    if (!key || key.revokedAt) return null;
    const owner = await this.dataSource.getRepository(UserEntity).findOneBy({ id: key.ownerId });
    if (!owner || owner.disabledAt) return null;
    const now = this.clock.now();
    await this.dataSource
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ lastUsedAt: now })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at <= :threshold)', {
        id: key.id,
        threshold: new Date(now.getTime() - LAST_USED_RESOLUTION_MS),
      })
      .execute();
    const issued = await this.tokens.issueForApiKey({
      ownerId: key.ownerId,
      apiKeyId: key.id,
      scopes: key.scopes,
    });
    return {
      accessToken: issued.token,
      expiresAt: Math.floor(issued.expiresAt.getTime() / 1000),
      apiKeyId: key.id,
      ownerId: key.ownerId,
      scopes: key.scopes,
    };
  }
}
