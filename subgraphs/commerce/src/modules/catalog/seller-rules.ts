import { NotFoundError, type Logger } from '@edugraph/kit';
import { SellerCheckUnavailableError } from '../../common/commerce.errors.js';
import type { ProductKind } from './product.entity.js';

/** What a seller rule is asked: who owns this thing of its domain. */
export type SellerRequest = { kind: ProductKind; refId: string };

/** The owners of a sold thing (who may be its seller) and, optionally, its title in the owning domain. */
export type SellerAnswer = { ownerIds: string[]; title: string | null };

/** A domain's rule for the kinds it owns; `null` means there is no such thing. */
export type SellerRule = (request: SellerRequest) => Promise<SellerAnswer | null>;

/** How a missing thing is named in NOT_FOUND errors. */
const THING: Record<ProductKind, string> = {
  COURSE: 'Course',
  EBOOK: 'Ebook',
  COMMUNITY_TIER: 'Community tier',
  TUTOR_HOURS: 'Tutor profile',
  LIVE_TICKET: 'Live session',
};

const DEFAULT_TIMEOUT_MS = 2000;

/** Thrown inside an HTTP rule for an answer that is neither `200 { ownerIds }` nor 404. */
class SellerRuleAnswerError extends Error {}

function parseAnswer(body: unknown): SellerAnswer {
  if (typeof body !== 'object' || body === null) throw new SellerRuleAnswerError('not an object');
  const { ownerIds, title } = body as Record<string, unknown>;
  if (!Array.isArray(ownerIds) || !ownerIds.every((id): id is string => typeof id === 'string'))
    throw new SellerRuleAnswerError('ownerIds is not a list of ids');
  if (title !== undefined && title !== null && typeof title !== 'string')
    throw new SellerRuleAnswerError('title is not a string');
  return { ownerIds, title: title ?? null };
}

/**
 * Who may sell what. The subgraph owning a kind (learning for COURSE and EBOOK, community for
 * COMMUNITY_TIER, …) names the owners of each of its things; `setProductPrice` lets only an owner (or an
 * admin, for an owner) be the seller. Rules are registered in-process (`register`, for tests) or as HTTP
 * endpoints (`registerHttp`, from `COMMERCE_SELLER_RULES=KIND=url`): commerce POSTs `{ kind, refId }` with
 * `authorization: Bearer <INTERNAL_API_TOKEN>` and expects `200 { ownerIds: string[], title? }`, or 404
 * when the thing does not exist. Anything else, an error or a timeout fails closed
 * (SERVICE_UNAVAILABLE). Kinds without a rule are not checked.
 */
export class SellerRules {
  private readonly rules = new Map<ProductKind, SellerRule>();

  constructor(private readonly logger?: Logger) {}

  register(kind: ProductKind, rule: SellerRule): this {
    this.rules.set(kind, rule);
    return this;
  }

  registerHttp(
    kind: ProductKind,
    url: string,
    options: { token?: string | undefined; timeoutMs?: number } = {},
  ): this {
    return this.register(kind, async (request) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new SellerRuleAnswerError(`answered HTTP ${response.status}`);
      }
      return parseAnswer(await response.json());
    });
  }

  has(kind: ProductKind): boolean {
    return this.rules.has(kind);
  }

  kinds(): ProductKind[] {
    return [...this.rules.keys()].sort();
  }

  /**
   * The owners of `kind:refId` by its domain's rule; `null` when no rule covers the kind (not checked).
   * A thing its domain does not know → NOT_FOUND; a failing, slow or malformed rule → SERVICE_UNAVAILABLE.
   */
  async ownersOf(kind: ProductKind, refId: string): Promise<SellerAnswer | null> {
    const rule = this.rules.get(kind);
    if (!rule) return null;
    let answer: SellerAnswer | null;
    try {
      answer = await rule({ kind, refId });
    } catch (error) {
      this.logger?.warn({ err: error, kind, refId }, 'seller rule failed');
      throw new SellerCheckUnavailableError(kind);
    }
    if (!answer) throw new NotFoundError(THING[kind]);
    return { ownerIds: answer.ownerIds.map((id) => id.toLowerCase()), title: answer.title };
  }
}
