import { Redis } from 'ioredis';

export { Redis };

/** A Redis connection for commands. BullMQ workers need `maxRetriesPerRequest: null`. */
export function createRedis(url: string, options: { forBullmq?: boolean; name?: string } = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    ...(options.forBullmq ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 }),
    ...(options.name ? { connectionName: options.name } : {}),
  });
}
