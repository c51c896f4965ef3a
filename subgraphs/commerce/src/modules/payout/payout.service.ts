import { randomUUID } from 'node:crypto';
import { DomainError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid } from '../../common/validation.js';
import { assertCurrency } from '../catalog/product.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';

const C = '"commerce"';
/** Payouts start at 100.00 in the payee's currency (DOMAIN.md). */
export const MIN_PAYOUT_MINOR = 10_000;

export type PayoutStatus = 'REQUESTED' | 'PROCESSING' | 'PAID';
export type Payout = {
  id: string;
  payeeId: string;
  currency: string;
  amountMinor: number;
  sellerMinor: number;
  affiliateMinor: number;
  status: PayoutStatus;
  batchId: string | null;
  createdAt: Date;
  paidAt: Date | null;
};
export type PayoutBatch = { id: string; currency: string; status: 'PROCESSING' | 'PAID'; payouts: Payout[] };

type Row = {
  id: string;
  payee_id: string;
  currency: string;
  amount_minor: string;
  seller_minor: string;
  affiliate_minor: string;
  status: PayoutStatus;
  batch_id: string | null;
  created_at: Date;
  paid_at: Date | null;
};
const COLUMNS =
  'id, payee_id, currency, amount_minor, seller_minor, affiliate_minor, status, batch_id, created_at, paid_at';
const toPayout = (r: Row): Payout => ({
  id: r.id,
  payeeId: r.payee_id,
  currency: r.currency,
  amountMinor: Number(r.amount_minor),
  sellerMinor: Number(r.seller_minor),
  affiliateMinor: Number(r.affiliate_minor),
  status: r.status,
  batchId: r.batch_id,
  createdAt: r.created_at,
  paidAt: r.paid_at,
});

export class PayoutBelowMinimumError extends DomainError<'PAYOUT_BELOW_MINIMUM'> {
  constructor(available: number) {
    super(
      'PAYOUT_BELOW_MINIMUM',
      `Payouts start at ${MIN_PAYOUT_MINOR} minor units; ${available} is available.`,
      {
        available,
        minimum: MIN_PAYOUT_MINOR,
      },
    );
  }
}

/**
 * Payouts to sellers (instructors, owners, tutors) and affiliates: a payee requests everything available
 * in a currency (what the ledger owes them, less payouts not yet paid; ≥ 100.00); FINANCE groups requests
 * in a batch and marks it paid, which posts one PAYOUT ledger transaction per payout (key `payout:<id>`).
 */
export class PayoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  async request(viewer: Viewer, currencyInput: string): Promise<Payout> {
    const currency = assertCurrency(currencyInput);
    return this.dataSource.transaction(async (manager) => {
      // One request at a time per payee and currency (two concurrent requests cannot both reserve it).
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `payout:${viewer.userId}:${currency}`,
      ]);
      const [owed] = (await manager.query(
        `SELECT COALESCE(-sum(balance_minor) FILTER (WHERE kind = 'SELLER_PAYABLE'), 0)::bigint AS seller,
                COALESCE(-sum(balance_minor) FILTER (WHERE kind = 'AFFILIATE_PAYABLE'), 0)::bigint AS affiliate
         FROM ${C}.ledger_balances WHERE owner_id = $1 AND currency = $2`,
        [viewer.userId, currency],
      )) as { seller: string; affiliate: string }[];
      const [reserved] = (await manager.query(
        `SELECT COALESCE(sum(seller_minor), 0)::bigint AS seller, COALESCE(sum(affiliate_minor), 0)::bigint AS affiliate
         FROM ${C}.payouts WHERE payee_id = $1 AND currency = $2 AND status <> 'PAID'`,
        [viewer.userId, currency],
      )) as { seller: string; affiliate: string }[];
      const seller = Math.max(0, Number(owed!.seller) - Number(reserved!.seller));
      const affiliate = Math.max(0, Number(owed!.affiliate) - Number(reserved!.affiliate));
      if (seller + affiliate < MIN_PAYOUT_MINOR) throw new PayoutBelowMinimumError(seller + affiliate);
      const rows = (await manager.query(
        `INSERT INTO ${C}.payouts (id, payee_id, currency, amount_minor, seller_minor, affiliate_minor, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'REQUESTED', $7) RETURNING ${COLUMNS}`,
        [randomUUID(), viewer.userId, currency, seller + affiliate, seller, affiliate, this.clock.now()],
      )) as Row[];
      return toPayout(rows[0]!);
    });
  }

  async forPayee(payeeId: string): Promise<Payout[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${C}.payouts WHERE payee_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`,
      [payeeId],
    )) as Row[];
    return rows.map(toPayout);
  }

  /** Every REQUESTED payout in a currency goes into one new batch (none: NOT_FOUND). */
  async createBatch(viewer: Viewer, currencyInput: string): Promise<PayoutBatch> {
    const currency = assertCurrency(currencyInput);
    return this.dataSource.transaction(async (manager) => {
      const batchId = randomUUID();
      await manager.query(
        `INSERT INTO ${C}.payout_batches (id, currency, status, created_by, created_at) VALUES ($1, $2, 'PROCESSING', $3, $4)`,
        [batchId, currency, viewer.userId, this.clock.now()],
      );
      const [rows] = (await manager.query(
        `UPDATE ${C}.payouts SET status = 'PROCESSING', batch_id = $1
         WHERE id IN (SELECT id FROM ${C}.payouts WHERE status = 'REQUESTED' AND currency = $2 ORDER BY created_at LIMIT 1000 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [batchId, currency],
      )) as [Row[], number];
      if (rows.length === 0) throw new NotFoundError(`A requested payout in ${currency}`);
      return { id: batchId, currency, status: 'PROCESSING', payouts: rows.map(toPayout) };
    });
  }

  /** The batch was paid out (bank transfer done): each payout posts Dr payable / Cr clearing, once. */
  async markBatchPaid(batchIdInput: string): Promise<PayoutBatch> {
    const batchId = assertUuid(batchIdInput, 'batchId');
    return this.dataSource.transaction(async (manager) => {
      const [batch] = (await manager.query(
        `SELECT id, currency, status FROM ${C}.payout_batches WHERE id = $1 FOR UPDATE`,
        [batchId],
      )) as { id: string; currency: string; status: 'PROCESSING' | 'PAID' }[];
      if (!batch) throw new NotFoundError('Payout batch');
      if (batch.status === 'PAID') throw new DomainError('CONFLICT', 'This batch is already paid.');
      const now = this.clock.now();
      const payouts = (
        (await manager.query(
          `SELECT ${COLUMNS} FROM ${C}.payouts WHERE batch_id = $1 ORDER BY created_at, id`,
          [batchId],
        )) as Row[]
      ).map(toPayout);
      const clearing = await this.ledger.accountId(manager, 'PROVIDER_CLEARING', null, batch.currency);
      for (const payout of payouts) {
        const entries = [{ accountId: clearing, amountMinor: -payout.amountMinor }];
        if (payout.sellerMinor > 0)
          entries.push({
            accountId: await this.ledger.accountId(manager, 'SELLER_PAYABLE', payout.payeeId, batch.currency),
            amountMinor: payout.sellerMinor,
          });
        if (payout.affiliateMinor > 0)
          entries.push({
            accountId: await this.ledger.accountId(
              manager,
              'AFFILIATE_PAYABLE',
              payout.payeeId,
              batch.currency,
            ),
            amountMinor: payout.affiliateMinor,
          });
        await this.ledger.post(manager, {
          idempotencyKey: `payout:${payout.id}`,
          kind: 'PAYOUT',
          currency: batch.currency,
          description: `Payout ${payout.id} in batch ${batchId}`,
          entries,
        });
      }
      await manager.query(`UPDATE ${C}.payouts SET status = 'PAID', paid_at = $2 WHERE batch_id = $1`, [
        batchId,
        now,
      ]);
      await manager.query(`UPDATE ${C}.payout_batches SET status = 'PAID', paid_at = $2 WHERE id = $1`, [
        batchId,
        now,
      ]);
      return {
        id: batchId,
        currency: batch.currency,
        status: 'PAID',
        payouts: payouts.map((p) => ({ ...p, status: 'PAID' as const, paidAt: now })),
      };
    });
  }
}
