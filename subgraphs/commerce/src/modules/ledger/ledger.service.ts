import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { refundShares } from '../../money/money.js';
import type { OrderEntity, OrderLineEntity } from '../order/order.entity.js';

const C = '"commerce"';

export type LedgerAccountKind =
  'PROVIDER_CLEARING' | 'PLATFORM_REVENUE' | 'TAX_PAYABLE' | 'SELLER_PAYABLE' | 'AFFILIATE_PAYABLE';
export type LedgerTransactionKind = 'SALE' | 'REFUND' | 'PAYOUT' | 'ADJUSTMENT';

/** A signed amount on one account: debit > 0, credit < 0. */
export type LedgerEntryInput = { accountId: string; amountMinor: number };

export type LedgerBalance = {
  accountId: string;
  kind: LedgerAccountKind;
  ownerId: string | null;
  currency: string;
  balanceMinor: number;
};

export type LedgerEntryRow = {
  accountId: string;
  kind: LedgerAccountKind;
  ownerId: string | null;
  currency: string;
  amountMinor: number;
};
export type LedgerTransactionRow = {
  id: string;
  idempotencyKey: string;
  kind: LedgerTransactionKind;
  orderId: string | null;
  refundId: string | null;
  description: string;
  createdAt: Date;
  entries: LedgerEntryRow[];
};

/**
 * The double-entry ledger. Every call runs inside the caller's database transaction; PostgreSQL checks
 * at commit that each ledger transaction balances per currency, and refuses any change to posted rows.
 */
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  /** The account for (kind, owner, currency), created on first use (accounts are append-only too). */
  async accountId(
    manager: EntityManager,
    kind: LedgerAccountKind,
    ownerId: string | null,
    currency: string,
  ): Promise<string> {
    await manager.query(
      `INSERT INTO ${C}.ledger_accounts (id, kind, owner_id, currency) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT uq_ledger_accounts_kind_owner DO NOTHING`,
      [randomUUID(), kind, ownerId, currency],
    );
    const [row] = (await manager.query(
      `SELECT id FROM ${C}.ledger_accounts WHERE kind = $1 AND owner_id IS NOT DISTINCT FROM $2 AND currency = $3`,
      [kind, ownerId, currency],
    )) as { id: string }[];
    return row!.id;
  }

  /**
   * Posts one ledger transaction (entries on the same account merged, zero amounts dropped). The
   * idempotency key is unique: a second post with the same key fails the database transaction.
   */
  async post(
    manager: EntityManager,
    input: {
      idempotencyKey: string;
      kind: LedgerTransactionKind;
      currency: string;
      description: string;
      orderId?: string | null;
      refundId?: string | null;
      entries: LedgerEntryInput[];
    },
  ): Promise<string> {
    const merged = new Map<string, number>();
    for (const e of input.entries) merged.set(e.accountId, (merged.get(e.accountId) ?? 0) + e.amountMinor);
    const entries = [...merged].filter(([, amount]) => amount !== 0);
    const id = randomUUID();
    await manager.query(
      `INSERT INTO ${C}.ledger_transactions (id, idempotency_key, kind, order_id, refund_id, description)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        input.idempotencyKey,
        input.kind,
        input.orderId ?? null,
        input.refundId ?? null,
        input.description,
      ],
    );
    await manager.query(
      `INSERT INTO ${C}.ledger_entries (transaction_id, account_id, currency, amount_minor)
       SELECT $1, account_id, $2, amount FROM unnest($3::uuid[], $4::bigint[]) AS e(account_id, amount)`,
      [id, input.currency, entries.map(([a]) => a), entries.map(([, amount]) => amount)],
    );
    return id;
  }

  /**
   * A paid order: the provider holds the total (clearing, debit); tax is owed; the platform earns its
   * commission; each seller is owed the rest of their lines. Nothing is posted for a free order.
   */
  async postSale(
    manager: EntityManager,
    order: OrderEntity,
    lines: OrderLineEntity[],
  ): Promise<string | null> {
    if (order.totalMinor === 0) return null;
    const cur = order.currency;
    const affiliateMinor = lines.reduce((sum, l) => sum + l.affiliateMinor, 0);
    const entries: LedgerEntryInput[] = [
      {
        accountId: await this.accountId(manager, 'PROVIDER_CLEARING', null, cur),
        amountMinor: order.totalMinor,
      },
      { accountId: await this.accountId(manager, 'TAX_PAYABLE', null, cur), amountMinor: -order.taxMinor },
      {
        // The platform keeps its commission less the affiliate's part.
        accountId: await this.accountId(manager, 'PLATFORM_REVENUE', null, cur),
        amountMinor: -(lines.reduce((sum, l) => sum + l.commissionMinor, 0) - affiliateMinor),
      },
    ];
    if (affiliateMinor > 0 && order.affiliateId) {
      const [affiliate] = (await manager.query(`SELECT user_id FROM ${C}.affiliates WHERE id = $1`, [
        order.affiliateId,
      ])) as { user_id: string }[];
      entries.push({
        accountId: await this.accountId(manager, 'AFFILIATE_PAYABLE', affiliate!.user_id, cur),
        amountMinor: -affiliateMinor,
      });
    }
    for (const line of lines) {
      entries.push({
        accountId: await this.accountId(manager, 'SELLER_PAYABLE', line.sellerId, cur),
        amountMinor: -(line.totalMinor - line.taxMinor - line.commissionMinor),
      });
    }
    return this.post(manager, {
      idempotencyKey: `order:${order.id}:sale`,
      kind: 'SALE',
      currency: cur,
      description: `Sale of order ${order.id}`,
      orderId: order.id,
      entries,
    });
  }

  /**
   * A refund of `amountMinor` after `refundedBefore` was already refunded: every leg of the sale is
   * reversed in proportion, cumulatively, so refunds that reach the total reverse the sale exactly.
   */
  async postRefund(
    manager: EntityManager,
    order: OrderEntity,
    refundId: string,
    amountMinor: number,
    refundedBefore: number,
  ): Promise<string> {
    const legs: { account_id: string; amount_minor: string }[] = await manager.query(
      `SELECT e.account_id, e.amount_minor FROM ${C}.ledger_entries e
       JOIN ${C}.ledger_transactions t ON t.id = e.transaction_id
       WHERE t.idempotency_key = $1 AND e.amount_minor < 0 ORDER BY e.id`,
      [`order:${order.id}:sale`],
    );
    if (legs.length === 0) throw new Error(`order ${order.id} has no sale in the ledger`);
    const shares = refundShares(
      legs.map((l) => -Number(l.amount_minor)),
      order.totalMinor,
      refundedBefore,
      amountMinor,
    );
    const clearing = await this.accountId(manager, 'PROVIDER_CLEARING', null, order.currency);
    return this.post(manager, {
      idempotencyKey: `refund:${refundId}`,
      kind: 'REFUND',
      currency: order.currency,
      description: `Refund ${refundId} of order ${order.id}`,
      orderId: order.id,
      refundId,
      entries: [
        { accountId: clearing, amountMinor: -amountMinor },
        ...legs.map((l, i) => ({ accountId: l.account_id, amountMinor: shares[i]! })),
      ],
    });
  }

  /** Balances derived from the entries (debit > 0). Filters are optional. */
  async balances(
    filter: { kind?: LedgerAccountKind; ownerId?: string; currency?: string } = {},
  ): Promise<LedgerBalance[]> {
    const rows: {
      account_id: string;
      kind: LedgerAccountKind;
      owner_id: string | null;
      currency: string;
      balance_minor: string;
    }[] = await this.dataSource.query(
      `SELECT account_id, kind, owner_id, currency, balance_minor FROM ${C}.ledger_balances
         WHERE ($1::text IS NULL OR kind = $1) AND ($2::uuid IS NULL OR owner_id = $2) AND ($3::text IS NULL OR currency = $3)
         ORDER BY currency, kind, owner_id NULLS FIRST LIMIT 1000`,
      [filter.kind ?? null, filter.ownerId ?? null, filter.currency ?? null],
    );
    return rows.map((r) => ({
      accountId: r.account_id,
      kind: r.kind,
      ownerId: r.owner_id,
      currency: r.currency,
      balanceMinor: Number(r.balance_minor),
    }));
  }

  /** Ledger transactions of an order with their entries (two queries). */
  async transactionsForOrder(orderId: string): Promise<LedgerTransactionRow[]> {
    const txs: {
      id: string;
      idempotency_key: string;
      kind: LedgerTransactionKind;
      order_id: string | null;
      refund_id: string | null;
      description: string;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT id, idempotency_key, kind, order_id, refund_id, description, created_at FROM ${C}.ledger_transactions
       WHERE order_id = $1 ORDER BY created_at, id`,
      [orderId],
    );
    if (txs.length === 0) return [];
    const entries: {
      transaction_id: string;
      account_id: string;
      kind: LedgerAccountKind;
      owner_id: string | null;
      currency: string;
      amount_minor: string;
    }[] = await this.dataSource.query(
      `SELECT e.transaction_id, e.account_id, a.kind, a.owner_id, e.currency, e.amount_minor
         FROM ${C}.ledger_entries e JOIN ${C}.ledger_accounts a ON a.id = e.account_id
         WHERE e.transaction_id = ANY($1::uuid[]) ORDER BY e.id`,
      [txs.map((t) => t.id)],
    );
    return txs.map((t) => ({
      id: t.id,
      idempotencyKey: t.idempotency_key,
      kind: t.kind,
      orderId: t.order_id,
      refundId: t.refund_id,
      description: t.description,
      createdAt: t.created_at,
      entries: entries
        .filter((e) => e.transaction_id === t.id)
        .map((e) => ({
          accountId: e.account_id,
          kind: e.kind,
          ownerId: e.owner_id,
          currency: e.currency,
          amountMinor: Number(e.amount_minor),
        })),
    }));
  }
}
