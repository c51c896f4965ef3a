import { Authenticated, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { assertUuid } from '../../common/validation.js';
import { userRef } from '../../external/user.external.js';
import { assertCurrency } from '../catalog/product.service.js';
import type { LedgerBalance as Balance } from './ledger.service.js';
import { LedgerAccountKindEnum, LedgerBalance, LedgerTransaction } from './ledger.type.js';

function toBalance(b: Balance): LedgerBalance {
  return {
    accountId: b.accountId,
    kind: b.kind as LedgerAccountKindEnum,
    owner: b.ownerId ? userRef(b.ownerId) : null,
    currency: b.currency,
    balance: b.balanceMinor,
  };
}

@Resolver(() => LedgerBalance)
export class LedgerResolver extends ServicesResolver {
  @Roles('FINANCE', 'ADMIN')
  @Query(() => [LedgerBalance], {
    description: 'Every account’s balance, derived from the ledger (FINANCE, ADMIN).',
  })
  async ledgerBalances(
    @Arg('currency', () => String, { nullable: true }) currency: string | null,
  ): Promise<LedgerBalance[]> {
    return (await this.services.ledger.balances(currency ? { currency: assertCurrency(currency) } : {})).map(
      toBalance,
    );
  }

  @Roles('FINANCE', 'ADMIN')
  @Query(() => [LedgerTransaction], { description: 'The ledger transactions of an order (sale, refunds).' })
  async orderLedger(@Arg('orderId', () => ID) orderId: string): Promise<LedgerTransaction[]> {
    const txs = await this.services.ledger.transactionsForOrder(assertUuid(orderId, 'orderId'));
    return txs.map((t) => ({
      id: t.id,
      kind: t.kind,
      idempotencyKey: t.idempotencyKey,
      description: t.description,
      createdAt: t.createdAt,
      entries: t.entries.map((e) => ({
        kind: e.kind as LedgerAccountKindEnum,
        owner: e.ownerId ? userRef(e.ownerId) : null,
        currency: e.currency,
        amount: e.amountMinor,
      })),
    }));
  }

  @Authenticated()
  @Query(() => [LedgerBalance], {
    description: 'What the platform owes the viewer as a seller, per currency.',
  })
  async myBalances(@Ctx() ctx: RequestContext): Promise<LedgerBalance[]> {
    return (
      await this.services.ledger.balances({ kind: 'SELLER_PAYABLE', ownerId: viewerOf(ctx).userId })
    ).map(toBalance);
  }
}
