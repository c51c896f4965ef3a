import type { Express } from 'express';
import type { Logger } from '@edugraph/kit';
import type { KeyStore } from './key-store.service.js';

/** `GET /.well-known/jwks.json`: every published public key (current, upcoming and retiring). */
export function mountJwks(app: Express, options: { keys: KeyStore; logger: Logger }): void {
  app.get('/.well-known/jwks.json', async (_req, res) => {
    try {
      const jwks = await options.keys.jwks();
      res.setHeader('cache-control', 'public, max-age=60');
      res.json(jwks);
    } catch (error) {
      options.logger.error({ err: error }, 'jwks failed');
      res.status(500).json({ error: 'internal_error' });
    }
  });
}
