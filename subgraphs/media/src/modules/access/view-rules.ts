import { hasRole, type Logger, type Viewer } from '@edugraph/kit';
import type { AssetEntity } from '../asset/asset.entity.js';

/** What a "may view" rule is asked: who wants to see which asset of its domain. */
export type ViewRequest = {
  viewer: { userId: string; roles: readonly string[] };
  asset: { id: string; ownerId: string; ownerDomain: string; subjectRef: string | null };
};

/** A domain's rule for RESTRICTED assets it owns, e.g. learning: "an enrolled learner may view a lesson asset". */
export type ViewRule = (request: ViewRequest) => Promise<boolean>;

const DOMAIN = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The "may view" registry. Access to an asset's URL:
 * - PUBLIC: anyone; otherwise the viewer must be signed in and be
 * - the owner, or a platform ADMIN, or
 * - for RESTRICTED assets, allowed by the rule its `ownerDomain` registered.
 * PRIVATE assets are for the owner and admins only. A missing rule, a rule that throws, times out
 * or answers anything but `{ "allow": true }` denies (fail closed).
 *
 * Rules are registered in-process (`register`, for tests and the embedded platform) or as HTTP
 * endpoints (`registerHttp`, from `MEDIA_VIEW_RULES=domain=url`): media POSTs the ViewRequest as JSON
 * with `authorization: Bearer <INTERNAL_API_TOKEN>` and expects `200 { "allow": boolean }`.
 */
export class ViewRuleRegistry {
  private readonly rules = new Map<string, ViewRule>();

  constructor(private readonly logger?: Logger) {}

  register(domain: string, rule: ViewRule): this {
    if (!DOMAIN.test(domain)) throw new Error(`Invalid owner domain ${JSON.stringify(domain)}`);
    this.rules.set(domain, rule);
    return this;
  }

  registerHttp(
    domain: string,
    url: string,
    options: { token?: string | undefined; timeoutMs?: number } = {},
  ): this {
    return this.register(domain, async (request) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      if (response.status !== 200) return false;
      const body = (await response.json()) as { allow?: unknown };
      return body.allow === true;
    });
  }

  has(domain: string): boolean {
    return this.rules.has(domain);
  }

  domains(): string[] {
    return [...this.rules.keys()].sort();
  }

  async mayView(
    viewer: Viewer | null,
    asset: Pick<AssetEntity, 'id' | 'ownerId' | 'visibility' | 'ownerDomain' | 'subjectRef'>,
  ): Promise<boolean> {
    if (asset.visibility === 'PUBLIC') return true;
    if (!viewer) return false;
    if (viewer.userId === asset.ownerId || hasRole(viewer, 'ADMIN')) return true;
    if (asset.visibility !== 'RESTRICTED' || !asset.ownerDomain) return false;
    const rule = this.rules.get(asset.ownerDomain);
    if (!rule) return false;
    try {
      return (
        (await rule({
          viewer: { userId: viewer.userId, roles: [...viewer.roles] },
          asset: {
            id: asset.id,
            ownerId: asset.ownerId,
            ownerDomain: asset.ownerDomain,
            subjectRef: asset.subjectRef,
          },
        })) === true
      );
    } catch (error) {
      this.logger?.warn({ err: error, domain: asset.ownerDomain, assetId: asset.id }, 'view rule failed');
      return false;
    }
  }
}
