import express, { type Express } from 'express';
import type { Logger } from '@edugraph/kit';
import { safeEqual } from '../../shared/crypto.js';
import type { ApiKeyService } from './api-key.service.js';

/**
 * `POST /internal/api-keys/exchange` for the gateway: header `x-internal-token` must equal
 * INTERNAL_API_TOKEN (constant-time); without that env var the route does not exist (404).
 */
export function mountApiKeyExchange(
  app: Express,
  options: { internalToken: string | undefined; apiKeys: ApiKeyService; logger: Logger },
): void {
  app.post('/internal/api-keys/exchange', express.json({ limit: '4kb' }), async (req, res) => {
    if (!options.internalToken) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    const presented = req.headers['x-internal-token'];
    if (typeof presented !== 'string' || !safeEqual(presented, options.internalToken)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    const apiKey = (req.body as { apiKey?: unknown } | undefined)?.apiKey;
    if (typeof apiKey !== 'string' || apiKey.length === 0) {
      res.status(401).json({ error: 'invalid_api_key' });
      return;
    }
    try {
      const result = await options.apiKeys.exchange(apiKey);
      if (!result) {
        res.status(401).json({ error: 'invalid_api_key' });
        return;
      }
      res.setHeader('cache-control', 'no-store');
      res.json(result);
    } catch (error) {
      options.logger.error({ err: error }, 'api key exchange failed');
      res.status(500).json({ error: 'internal_error' });
    }
  });
}
