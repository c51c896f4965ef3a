import { PLATFORM_ROLES, type Logger, type PlatformRole, type Viewer } from '@edugraph/kit';
import express, { type Express } from 'express';
import { hasInternalToken } from '../../common/internal-token.js';
import type { AccessService } from './access.service.js';

/** Where media's HTTP "may view" rule for learning's RESTRICTED assets is served. */
export const MEDIA_VIEW_RULE_PATH = '/internal/media/may-view';

type ViewRequest = {
  viewer: { userId: string; roles: string[] };
  asset: { id: string; ownerId: string; ownerDomain: string; subjectRef: string | null };
};

function parse(body: unknown): ViewRequest | null {
  if (typeof body !== 'object' || body === null) return null;
  const { viewer, asset } = body as Record<string, unknown>;
  if (typeof viewer !== 'object' || viewer === null || typeof asset !== 'object' || asset === null)
    return null;
  const v = viewer as Record<string, unknown>;
  const a = asset as Record<string, unknown>;
  if (typeof v['userId'] !== 'string' || !Array.isArray(v['roles'])) return null;
  if (typeof a['id'] !== 'string' || typeof a['ownerDomain'] !== 'string') return null;
  return {
    viewer: {
      userId: v['userId'],
      roles: (v['roles'] as unknown[]).filter((r): r is string => typeof r === 'string'),
    },
    asset: {
      id: a['id'],
      ownerId: typeof a['ownerId'] === 'string' ? a['ownerId'] : '',
      ownerDomain: a['ownerDomain'],
      subjectRef: typeof a['subjectRef'] === 'string' ? a['subjectRef'] : null,
    },
  };
}

/**
 * `POST /internal/media/may-view` (media's HTTP view rule, `MEDIA_VIEW_RULES=learning=<this URL>`):
 * `{ viewer: { userId, roles }, asset: { id, ownerId, ownerDomain, subjectRef } }` with
 * `authorization: Bearer <INTERNAL_API_TOKEN>` → `200 { allow }`. Allows a lesson's asset to whoever
 * may open that lesson's content (admin, its instructor, an enrolled learner once released, anyone for a
 * free preview). A wrong or missing token → 401; no token configured → every request is denied.
 */
export function mediaViewRuleRoute(options: {
  access: AccessService;
  token: string | undefined;
  logger: Logger;
}): (app: Express) => void {
  return (app) => {
    app.post(MEDIA_VIEW_RULE_PATH, express.json({ limit: '8kb' }), async (req, res) => {
      if (!hasInternalToken(req.headers, options.token)) {
        res.status(401).json({ allow: false });
        return;
      }
      const request = parse(req.body);
      if (!request || request.asset.ownerDomain !== 'learning') {
        res.status(400).json({ allow: false });
        return;
      }
      const viewer: Viewer = {
        userId: request.viewer.userId,
        sessionId: null,
        roles: request.viewer.roles.filter((r): r is PlatformRole =>
          (PLATFORM_ROLES as readonly string[]).includes(r),
        ),
        scopes: [],
        apiKeyId: null,
        expiresAt: 0,
      };
      try {
        res.status(200).json({ allow: await options.access.mayViewAsset(viewer, request.asset) });
      } catch (error) {
        options.logger.warn({ err: error }, 'media view rule failed');
        res.status(500).json({ allow: false });
      }
    });
  };
}
