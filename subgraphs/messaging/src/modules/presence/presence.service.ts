import { BadUserInputError, type Redis, type Viewer } from '@edugraph/kit';
import type { PresencePayload, PresenceStatusValue, RealtimePublisher } from '../realtime/realtime.topics.js';

export const MAX_PRESENCE_IDS = 100;

type Stored = { status: 'ONLINE' | 'AWAY'; at: string };

/**
 * Presence in Redis: `heartbeat` stores ONLINE/AWAY with a TTL (default 5 min); no heartbeat within the TTL
 * means OFFLINE. A change of status is published (`presenceChanged`); a silent expiry is not (clients treat
 * a missing heartbeat as offline when they next read presence).
 */
export class PresenceService {
  constructor(
    private readonly redis: Redis,
    private readonly publisher: RealtimePublisher,
    private readonly options: { keyPrefix: string; ttlSeconds: number },
  ) {}

  private key(userId: string): string {
    return `${this.options.keyPrefix}messaging:presence:${userId}`;
  }

  async heartbeat(viewer: Viewer, status: PresenceStatusValue): Promise<PresencePayload> {
    const key = this.key(viewer.userId);
    const now = new Date().toISOString();
    let previous: string | null;
    if (status === 'OFFLINE') {
      previous = await this.redis.getdel(key);
    } else {
      previous = await this.redis.set(
        key,
        JSON.stringify({ status, at: now } satisfies Stored),
        'EX',
        this.options.ttlSeconds,
        'GET',
      );
    }
    const before = previous ? (JSON.parse(previous) as Stored).status : 'OFFLINE';
    const payload: PresencePayload = { userId: viewer.userId, status, lastSeenAt: now };
    if (before !== status) this.publisher.presence(payload);
    return payload;
  }

  async of(userIds: readonly string[]): Promise<PresencePayload[]> {
    if (userIds.length > MAX_PRESENCE_IDS)
      throw new BadUserInputError(`At most ${MAX_PRESENCE_IDS} user ids.`, 'userIds');
    if (userIds.length === 0) return [];
    const values = await this.redis.mget(...userIds.map((id) => this.key(id)));
    return userIds.map((userId, i) => {
      const raw = values[i];
      if (!raw) return { userId, status: 'OFFLINE', lastSeenAt: null };
      const stored = JSON.parse(raw) as Stored;
      return { userId, status: stored.status, lastSeenAt: stored.at };
    });
  }
}
