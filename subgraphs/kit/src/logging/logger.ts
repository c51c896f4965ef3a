import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { name: string; level?: string; production?: boolean }): Logger {
  return pino({
    name: options.name,
    level: options.level ?? (options.production ? 'info' : 'warn'),
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.refreshToken'],
      remove: true,
    },
    base: { service: options.name },
  });
}
