import { BadUserInputError, recordEvent } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import { COMMERCE_SCHEMA } from '../../environment.js';

const C = '"commerce"';
export const MAX_PERIOD_DAYS = 366;
export const MAX_CSV_ROWS = 10_000;
export const VARIANCE_ALERT_BPS = 250;
export const RECONCILIATION_ALERT = 'finance.reconciliation_alert';

export type FinanceSummary = {
  currency: string;
  orders: number;
  /** Σ line subtotals (list price × quantity) of orders paid in the period. */
  grossMinor: number;
  discountsMinor: number;
  /** Tax collected on those orders. */
  taxMinor: number;
  /** What buyers paid (gross − discounts + exclusive tax). */
  collectedMinor: number;
  /** Refunds completed in the period. */
  refundsMinor: number;
  /** Collected − refunds − the tax kept (tax collected − tax refunded), from the ledger. */
  netMinor: number;
  /** Platform commission earned, net of refunds (ledger). */
  commissionMinor: number;
};

export type ProviderRecord = { paymentId: string; amountMinor: number; currency: string };

export type ReconciliationLine = {
  currency: string;
  oursMinor: number;
  providerMinor: number;
  varianceBps: number;
  alert: boolean;
  /** Payments the provider reports that we do not have as paid, and the reverse. */
  missingHere: string[];
  missingAtProvider: string[];
  amountMismatches: string[];
};

export function assertPeriod(from: Date, to: Date): void {
  if (
    !(from instanceof Date) ||
    Number.isNaN(from.getTime()) ||
    !(to instanceof Date) ||
    Number.isNaN(to.getTime())
  )
    throw new BadUserInputError('"from" and "to" must be dates.', 'from');
  if (from >= to) throw new BadUserInputError('"to" must be after "from".', 'to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
    throw new BadUserInputError(`A period is at most ${MAX_PERIOD_DAYS} days.`, 'to');
}

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised (spreadsheet formula injection). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Finance: summaries per currency and period, CSV export, reconciliation against provider records. */
export class FinanceService {
  constructor(private readonly dataSource: DataSource) {}

  async summary(from: Date, to: Date): Promise<FinanceSummary[]> {
    assertPeriod(from, to);
    const sales: {
      currency: string;
      orders: string;
      gross: string;
      discounts: string;
      tax: string;
      collected: string;
    }[] = await this.dataSource.query(
      `SELECT currency, count(*) AS orders, sum(subtotal_minor) AS gross, sum(discount_minor) AS discounts,
                sum(tax_minor) AS tax, sum(total_minor) AS collected
         FROM ${C}.orders WHERE paid_at >= $1 AND paid_at < $2 GROUP BY currency`,
      [from, to],
    );
    const refunds: { currency: string; refunds: string }[] = await this.dataSource.query(
      `SELECT o.currency, sum(r.amount_minor) AS refunds FROM ${C}.refunds r JOIN ${C}.orders o ON o.id = r.order_id
       WHERE r.status = 'SUCCEEDED' AND r.completed_at >= $1 AND r.completed_at < $2 GROUP BY o.currency`,
      [from, to],
    );
    const ledger: { currency: string; kind: string; total: string }[] = await this.dataSource.query(
      `SELECT e.currency, a.kind, sum(e.amount_minor) AS total FROM ${C}.ledger_entries e
       JOIN ${C}.ledger_accounts a ON a.id = e.account_id
       WHERE e.created_at >= $1 AND e.created_at < $2 AND a.kind IN ('TAX_PAYABLE', 'PLATFORM_REVENUE')
       GROUP BY e.currency, a.kind`,
      [from, to],
    );
    const currencies = new Set([...sales.map((s) => s.currency), ...refunds.map((r) => r.currency)]);
    return [...currencies].sort().map((currency) => {
      const s = sales.find((x) => x.currency === currency);
      const refundsMinor = Number(refunds.find((x) => x.currency === currency)?.refunds ?? 0);
      const ledgerOf = (kind: string) =>
        -Number(ledger.find((x) => x.currency === currency && x.kind === kind)?.total ?? 0);
      const collectedMinor = Number(s?.collected ?? 0);
      return {
        currency,
        orders: Number(s?.orders ?? 0),
        grossMinor: Number(s?.gross ?? 0),
        discountsMinor: Number(s?.discounts ?? 0),
        taxMinor: Number(s?.tax ?? 0),
        collectedMinor,
        refundsMinor,
        netMinor: collectedMinor - refundsMinor - ledgerOf('TAX_PAYABLE'),
        commissionMinor: ledgerOf('PLATFORM_REVENUE'),
      };
    });
  }

  /** Orders paid in the period as CSV (at most 10,000 rows, oldest first). */
  async ordersCsv(from: Date, to: Date): Promise<string> {
    assertPeriod(from, to);
    const rows: Record<string, string | number | null>[] = await this.dataSource.query(
      `SELECT id, to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS paid_at, buyer_id, currency,
              subtotal_minor::text, discount_minor::text, tax_minor::text, total_minor::text, refunded_minor::text,
              status, provider, provider_payment_id, tax_country, tax_region
       FROM ${C}.orders WHERE paid_at >= $1 AND paid_at < $2 ORDER BY paid_at, id LIMIT $3`,
      [from, to, MAX_CSV_ROWS],
    );
    const columns = [
      'id',
      'paid_at',
      'buyer_id',
      'currency',
      'subtotal_minor',
      'discount_minor',
      'tax_minor',
      'total_minor',
      'refunded_minor',
      'status',
      'provider',
      'provider_payment_id',
      'tax_country',
      'tax_region',
    ];
    const lines = [
      columns.join(','),
      ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(',')),
    ];
    return `${lines.join('\r\n')}\r\n`;
  }

  /**
   * Compares what a provider reports as settled (its payment records for the period) with our paid
   * orders, per currency; a variance above 250 bps raises `finance.reconciliation_alert` (outbox).
   */
  async reconcile(input: {
    provider: string;
    from: Date;
    to: Date;
    records: ProviderRecord[];
  }): Promise<ReconciliationLine[]> {
    assertPeriod(input.from, input.to);
    if (input.records.length > MAX_CSV_ROWS)
      throw new BadUserInputError(`At most ${MAX_CSV_ROWS} records.`, 'records');
    for (const r of input.records)
      if (!Number.isInteger(r.amountMinor) || r.amountMinor < 0 || !/^[A-Z]{3}$/i.test(r.currency))
        throw new BadUserInputError('Each record needs an amount ≥ 0 and an ISO currency.', 'records');
    const ours: { provider_payment_id: string; currency: string; total_minor: string }[] =
      await this.dataSource.query(
        `SELECT provider_payment_id, currency, total_minor FROM ${C}.orders
       WHERE provider = $1 AND paid_at >= $2 AND paid_at < $3 AND provider_payment_id IS NOT NULL`,
        [input.provider, input.from, input.to],
      );
    const theirs = input.records.map((r) => ({ ...r, currency: r.currency.toUpperCase() }));
    const currencies = [
      ...new Set([...ours.map((o) => o.currency), ...theirs.map((t) => t.currency)]),
    ].sort();
    const lines = currencies.map((currency): ReconciliationLine => {
      const mine = new Map(
        ours
          .filter((o) => o.currency === currency)
          .map((o) => [o.provider_payment_id, Number(o.total_minor)]),
      );
      const reported = new Map<string, number>();
      for (const t of theirs.filter((x) => x.currency === currency))
        reported.set(t.paymentId, (reported.get(t.paymentId) ?? 0) + t.amountMinor);
      const oursMinor = [...mine.values()].reduce((a, b) => a + b, 0);
      const providerMinor = [...reported.values()].reduce((a, b) => a + b, 0);
      const base = Math.max(oursMinor, providerMinor);
      const varianceBps = base === 0 ? 0 : Math.round((Math.abs(oursMinor - providerMinor) * 10_000) / base);
      return {
        currency,
        oursMinor,
        providerMinor,
        varianceBps,
        alert: varianceBps > VARIANCE_ALERT_BPS,
        missingHere: [...reported.keys()].filter((id) => !mine.has(id)).sort(),
        missingAtProvider: [...mine.keys()].filter((id) => !reported.has(id)).sort(),
        amountMismatches: [...mine.keys()]
          .filter((id) => reported.has(id) && reported.get(id) !== mine.get(id))
          .sort(),
      };
    });
    const alerts = lines.filter((l) => l.alert);
    if (alerts.length > 0) {
      await this.dataSource.transaction(async (manager) => {
        for (const line of alerts)
          await recordEvent(manager, COMMERCE_SCHEMA, {
            type: RECONCILIATION_ALERT,
            aggregateId: `${input.provider}:${line.currency}`,
            payload: {
              provider: input.provider,
              currency: line.currency,
              from: input.from.toISOString(),
              to: input.to.toISOString(),
              oursMinor: line.oursMinor,
              providerMinor: line.providerMinor,
              varianceBps: line.varianceBps,
            },
          });
      });
    }
    return lines;
  }
}
