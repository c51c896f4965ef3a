import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@edugraph/kit';
import express, { type Express } from 'express';
import type { PaywallService } from './paywall.service.js';

/** Where commerce's seller rule for community tiers is served (same path as learning's). */
export const COMMERCE_SELLER_RULE_PATH = '/internal/commerce/seller';

/** The product kinds community owns. */
export const COMMUNITY_SOLD_KINDS = ['COMMUNITY_TIER'] as const;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `authorization: Bearer <INTERNAL_API_TOKEN>`, compared in constant time; no token configured → false. */
export function hasInternalToken(headers: IncomingHttpHeaders, token: string | undefined): boolean {
  const header = headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token || !given) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * `POST /internal/commerce/seller` (commerce's seller rule, `COMMERCE_SELLER_RULES=COMMUNITY_TIER=<this
 * URL>`): `{ kind: 'COMMUNITY_TIER', refId: <tier id> }` with `authorization: Bearer <INTERNAL_API_TOKEN>`
 * → `200 { ownerIds: [the community's OWNER], title: "<community> — <tier>" }`, `404 {}` for an unknown
 * or archived tier, `400` for another kind or a malformed body, `401` for a wrong or missing token (no
 * token configured: every request). _Decision:_ only the owner sells a tier — admins may create and
 * describe tiers (TIER_MANAGE) but the money goes to one payee, the owner (after a transfer of
 * ownership the new owner takes the product over at its next repricing, as commerce allows owners to).
 */
export function commerceSellerRuleRoute(options: {
  tiers: PaywallService;
  token: string | undefined;
  logger: Logger;
}): (app: Express) => void {
  return (app) => {
    app.post(COMMERCE_SELLER_RULE_PATH, express.json({ limit: '4kb' }), async (req, res) => {
      if (!hasInternalToken(req.headers, options.token)) {
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const { kind, refId } = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >;
      if (kind !== 'COMMUNITY_TIER' || typeof refId !== 'string') {
        res.status(400).json({ error: 'expected { kind: COMMUNITY_TIER, refId }' });
        return;
      }
      try {
        const owners = await options.tiers.sellerOf(refId);
        if (owners) res.status(200).json(owners);
        else res.status(404).json({});
      } catch (error) {
        options.logger.warn({ err: error, kind, refId }, 'commerce seller rule failed');
        res.status(500).json({ error: 'failed' });
      }
    });
  };
}
