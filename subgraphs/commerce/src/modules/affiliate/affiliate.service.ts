import { randomBytes, randomUUID } from 'node:crypto';
import { BadUserInputError, DomainError, type Viewer } from '@edugraph/kit';
import type { DataSource } from 'typeorm';

const C = '"commerce"';

export type Affiliate = { id: string; userId: string; code: string; createdAt: Date };
export type AffiliateCommission = {
  transactionId: string;
  orderId: string | null;
  kind: 'SALE' | 'REFUND';
  currency: string;
  /** Earned (> 0) or reversed by a refund (< 0). */
  amountMinor: number;
  createdAt: Date;
};

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomCode(): string {
  return [...randomBytes(8)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

type Row = { id: string; user_id: string; code: string; created_at: Date };
const toAffiliate = (r: Row): Affiliate => ({
  id: r.id,
  userId: r.user_id,
  code: r.code,
  createdAt: r.created_at,
});

/** Affiliates: one referral code per user (upper-case, unique); commissions are their ledger entries. */
export class AffiliateService {
  constructor(private readonly dataSource: DataSource) {}

  async join(viewer: Viewer, requestedCode: string | null): Promise<Affiliate> {
    const existing = await this.forUser(viewer.userId);
    if (existing) return existing;
    const code = requestedCode ? requestedCode.trim().toUpperCase() : randomCode();
    if (!/^[A-Z0-9]{4,16}$/.test(code))
      throw new BadUserInputError('"code" must be 4–16 letters or digits.', 'code');
    const rows = (await this.dataSource.query(
      `INSERT INTO ${C}.affiliates (id, user_id, code) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING id, user_id, code, created_at`,
      [randomUUID(), viewer.userId, code],
    )) as Row[];
    if (rows[0]) return toAffiliate(rows[0]);
    const again = await this.forUser(viewer.userId);
    if (again) return again; // a concurrent join of the same user
    throw new DomainError('CONFLICT', `The referral code ${code} is taken.`, { field: 'code' });
  }

  async forUser(userId: string): Promise<Affiliate | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, user_id, code, created_at FROM ${C}.affiliates WHERE user_id = $1`,
      [userId],
    )) as Row[];
    return rows[0] ? toAffiliate(rows[0]) : null;
  }

  /** The affiliate's commission records, newest first (at most 200), straight from the ledger. */
  async commissions(userId: string): Promise<AffiliateCommission[]> {
    const rows: {
      id: string;
      order_id: string | null;
      kind: 'SALE' | 'REFUND';
      currency: string;
      amount: string;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT t.id, t.order_id, t.kind, e.currency, -e.amount_minor AS amount, t.created_at
         FROM ${C}.ledger_entries e
         JOIN ${C}.ledger_accounts a ON a.id = e.account_id
         JOIN ${C}.ledger_transactions t ON t.id = e.transaction_id
         WHERE a.kind = 'AFFILIATE_PAYABLE' AND a.owner_id = $1 AND t.kind IN ('SALE', 'REFUND')
         ORDER BY e.id DESC LIMIT 200`,
      [userId],
    );
    return rows.map((r) => ({
      transactionId: r.id,
      orderId: r.order_id,
      kind: r.kind,
      currency: r.currency,
      amountMinor: Number(r.amount),
      createdAt: r.created_at,
    }));
  }
}
