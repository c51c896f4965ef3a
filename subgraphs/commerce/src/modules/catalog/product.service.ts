import { randomUUID } from 'node:crypto';
import { BadUserInputError, ForbiddenError, hasRole, type Viewer } from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid } from '../../common/validation.js';
import {
  BILLING_INTERVALS,
  PRODUCT_KINDS,
  ProductEntity,
  type BillingInterval,
  type ProductKind,
} from './product.entity.js';
import { SellerRules } from './seller-rules.js';

export const MIN_PRICE_MINOR = 50;
export const MAX_PRICE_MINOR = 5_000_000;

export function assertCurrency(currency: string, field = 'currency'): string {
  const upper = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper))
    throw new BadUserInputError(`"${field}" must be an ISO 4217 code such as USD.`, field);
  return upper;
}

export function assertPrice(amount: number, field = 'amount'): number {
  if (!Number.isInteger(amount) || amount < MIN_PRICE_MINOR || amount > MAX_PRICE_MINOR)
    throw new BadUserInputError(
      `"${field}" must be ${MIN_PRICE_MINOR}–${MAX_PRICE_MINOR} minor units.`,
      field,
    );
  return amount;
}

export type SetPriceInput = {
  kind: ProductKind;
  refId: string;
  title: string;
  amount: number;
  currency: string;
  active?: boolean | null;
  sellerId?: string | null;
  /** COMMUNITY_TIER only (default MONTHLY). */
  billingInterval?: BillingInterval | null;
  /** COMMUNITY_TIER only: 0–90 free days (not for LIFETIME). */
  trialDays?: number | null;
};

function tierTerms(input: SetPriceInput): { billingInterval: BillingInterval | null; trialDays: number } {
  if (input.kind !== 'COMMUNITY_TIER') {
    if (input.billingInterval || input.trialDays)
      throw new BadUserInputError(
        'Only community tiers have a billing interval or a trial.',
        'billingInterval',
      );
    return { billingInterval: null, trialDays: 0 };
  }
  const billingInterval = input.billingInterval ?? 'MONTHLY';
  if (!BILLING_INTERVALS.includes(billingInterval))
    throw new BadUserInputError('Unknown billing interval.', 'billingInterval');
  const trialDays = input.trialDays ?? 0;
  if (!Number.isInteger(trialDays) || trialDays < 0 || trialDays > 90)
    throw new BadUserInputError('"trialDays" must be 0–90.', 'trialDays');
  if (trialDays > 0 && billingInterval === 'LIFETIME')
    throw new BadUserInputError('A lifetime tier has no trial.', 'trialDays');
  return { billingInterval, trialDays };
}

/**
 * Who sells the product after this change (or a typed refusal).
 * - Without a seller rule (`owners` null): the caller, or the seller an admin names; an existing product
 *   stays its seller's (only an admin may reprice someone else's or name another seller).
 * - With a rule the seller is always one of the owners the owning domain names. An owner may price (and
 *   take over a product whose seller is not an owner); another owner's product stays theirs. An admin
 *   keeps the owner who sells it, or names an owner, or — for a new product — sells for themselves when an
 *   owner, else for the only owner.
 */
function resolveSeller(
  viewer: Viewer,
  admin: boolean,
  namedSeller: string | null,
  existing: ProductEntity | null,
  owners: string[] | null,
): string {
  const caller = viewer.userId.toLowerCase();
  if (!owners) {
    if (existing && existing.sellerId !== viewer.userId && !admin)
      throw new ForbiddenError('This product belongs to another seller.');
    return namedSeller ?? existing?.sellerId ?? viewer.userId;
  }
  const ownsExisting = existing !== null && owners.includes(existing.sellerId.toLowerCase());
  if (!admin) {
    if (ownsExisting && existing.sellerId.toLowerCase() !== caller)
      throw new ForbiddenError('This product belongs to another seller.');
    return caller;
  }
  if (namedSeller) return namedSeller;
  if (ownsExisting) return existing.sellerId;
  if (owners.includes(caller)) return caller;
  const [only, ...others] = owners;
  if (only && others.length === 0) return only;
  throw new BadUserInputError(
    owners.length === 0
      ? 'Nobody may sell this: its owning domain names no owner.'
      : 'Name the seller ("sellerId"): one of the owners.',
    'sellerId',
  );
}

/** Products: one per sold thing (kind + id in its owning subgraph), priced in integer minor units. */
export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sellerRules: SellerRules = new SellerRules(),
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ProductEntity);
  }

  /**
   * Creates or reprices a product. The seller is the caller; an existing product stays its seller's
   * (only ADMIN may price someone else's, or name another seller). For a kind with a seller rule, the
   * owning domain is asked first who owns `refId` (`resolveSeller`): an unknown thing is NOT_FOUND, a
   * caller who is not an owner FORBIDDEN, a rule that fails SERVICE_UNAVAILABLE — each changing nothing.
   */
  async setPrice(viewer: Viewer, input: SetPriceInput): Promise<ProductEntity> {
    if (!PRODUCT_KINDS.includes(input.kind)) throw new BadUserInputError('Unknown product kind.', 'kind');
    const refId = assertUuid(input.refId, 'refId');
    const title = input.title.trim();
    if (title.length < 1 || title.length > 200)
      throw new BadUserInputError('"title" must be 1–200 characters.', 'title');
    const amount = assertPrice(input.amount);
    const currency = assertCurrency(input.currency);
    const terms = tierTerms(input);
    const admin = hasRole(viewer, 'ADMIN');
    if (input.sellerId && !admin) throw new ForbiddenError('Only an admin may price for another seller.');
    const namedSeller = input.sellerId ? assertUuid(input.sellerId, 'sellerId').toLowerCase() : null;
    // Asked before the transaction, so no row stays locked while the owning subgraph answers.
    const owners = (await this.sellerRules.ownersOf(input.kind, refId))?.ownerIds ?? null;
    if (owners && !admin && !owners.includes(viewer.userId.toLowerCase()))
      throw new ForbiddenError('Only an owner may sell this.');
    if (owners && namedSeller && !owners.includes(namedSeller))
      throw new BadUserInputError('The seller must be one of the owners.', 'sellerId');
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ProductEntity);
      const now = this.clock.now();
      const reprice = (existing: ProductEntity) => {
        const sellerId = resolveSeller(viewer, admin, namedSeller, existing, owners);
        Object.assign(existing, {
          title,
          priceMinor: amount,
          currency,
          active: input.active ?? existing.active,
          ...terms,
          sellerId,
          updatedAt: now,
        });
        return repo.save(existing);
      };
      const lockExisting = () =>
        repo.findOne({ where: { kind: input.kind, refId }, lock: { mode: 'pessimistic_write' } });
      const existing = await lockExisting();
      if (existing) return reprice(existing);
      const product = repo.create({
        id: randomUUID(),
        kind: input.kind,
        refId,
        sellerId: resolveSeller(viewer, admin, namedSeller, null, owners),
        title,
        priceMinor: amount,
        currency,
        active: input.active ?? true,
        ...terms,
        createdAt: now,
        updatedAt: now,
      });
      await manager.createQueryBuilder().insert().into(ProductEntity).values(product).orIgnore().execute();
      const saved = await lockExisting();
      if (!saved) throw new Error(`product ${input.kind}:${refId} vanished while it was priced`);
      // Someone priced it at the same moment: this change applies to theirs under the same rules.
      return saved.id === product.id ? saved : reprice(saved);
    });
  }

  find(id: string): Promise<ProductEntity | null> {
    return this.repo.findOneBy({ id });
  }

  byIds(ids: readonly string[]): Promise<ProductEntity[]> {
    return ids.length ? this.repo.findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  /** Products for `kind:refId` keys (one query). */
  async byRefs(keys: readonly string[]): Promise<ProductEntity[]> {
    if (keys.length === 0) return [];
    return this.repo
      .createQueryBuilder('p')
      .where(`(p.kind || ':' || p.ref_id::text) = ANY(:keys)`, { keys: [...keys] })
      .getMany();
  }
}
