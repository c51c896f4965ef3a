import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceMigrations } from './index.js';

const C = '"commerce"';

describe('commerce migrations', () => {
  let m: MigratedTestDatabase;
  let clearing: string;
  let revenue: string;
  let seller: string;
  let eurRevenue: string;

  async function account(kind: string, currency: string, ownerId: string | null = null): Promise<string> {
    const id = randomUUID();
    await m.dataSource.query(
      `INSERT INTO ${C}.ledger_accounts (id, kind, owner_id, currency) VALUES ($1, $2, $3, $4)`,
      [id, kind, ownerId, currency],
    );
    return id;
  }

  async function post(
    manager: EntityManager,
    entries: { account: string; currency?: string; amount: number }[],
    key: string = randomUUID(),
  ): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO ${C}.ledger_transactions (id, idempotency_key, kind, description) VALUES ($1, $2, 'ADJUSTMENT', 'test')`,
      [id, key],
    );
    for (const e of entries) {
      await manager.query(
        `INSERT INTO ${C}.ledger_entries (transaction_id, account_id, currency, amount_minor) VALUES ($1, $2, $3, $4)`,
        [id, e.account, e.currency ?? 'USD', e.amount],
      );
    }
    return id;
  }

  beforeAll(async () => {
    m = await createMigratedTestDatabase({ schema: 'commerce', migrations: commerceMigrations });
    clearing = await account('PROVIDER_CLEARING', 'USD');
    revenue = await account('PLATFORM_REVENUE', 'USD');
    seller = await account('SELLER_PAYABLE', 'USD', randomUUID());
    eurRevenue = await account('PLATFORM_REVENUE', 'EUR');
  });
  afterAll(async () => {
    await m?.close();
  });

  it('creates every table', async () => {
    expect(await m.tables()).toEqual([
      'affiliates',
      'cart_items',
      'coupon_redemptions',
      'coupons',
      'inbox',
      'ledger_accounts',
      'ledger_entries',
      'ledger_transactions',
      'migrations',
      'order_lines',
      'orders',
      'outbox',
      'payout_batches',
      'payouts',
      'products',
      'refunds',
      'tax_rates',
      'tier_subscriptions',
      'webhook_events',
    ]);
  });

  describe('ledger', () => {
    it('commits a balanced transaction and derives balances from entries', async () => {
      await m.dataSource.transaction((tx) =>
        post(tx, [
          { account: clearing, amount: 1000 },
          { account: revenue, amount: -50 },
          { account: seller, amount: -950 },
        ]),
      );
      const rows: { account_id: string; balance_minor: string }[] = await m.dataSource.query(
        `SELECT account_id, balance_minor FROM ${C}.ledger_balances WHERE account_id = ANY($1)`,
        [[clearing, revenue, seller]],
      );
      const balances = Object.fromEntries(rows.map((r) => [r.account_id, Number(r.balance_minor)]));
      expect(balances).toEqual({ [clearing]: 1000, [revenue]: -50, [seller]: -950 });
    });

    it('refuses an unbalanced transaction at commit', async () => {
      await expect(
        m.dataSource.transaction((tx) =>
          post(tx, [
            { account: clearing, amount: 1000 },
            { account: seller, amount: -999 },
          ]),
        ),
      ).rejects.toThrow(/does not balance: USD 1/);
    });

    it('balances per currency: USD and EUR legs cannot offset each other', async () => {
      const eurClearing = await account('PROVIDER_CLEARING', 'EUR');
      await expect(
        m.dataSource.transaction((tx) =>
          post(tx, [
            { account: clearing, amount: 500 },
            { account: eurRevenue, currency: 'EUR', amount: -500 },
          ]),
        ),
      ).rejects.toThrow(/does not balance/);
      // Two currencies, each balanced: accepted.
      await m.dataSource.transaction((tx) =>
        post(tx, [
          { account: clearing, amount: 500 },
          { account: revenue, amount: -500 },
          { account: eurClearing, currency: 'EUR', amount: 300 },
          { account: eurRevenue, currency: 'EUR', amount: -300 },
        ]),
      );
    });

    it('refuses a transaction without entries, a one-sided one, and zero amounts', async () => {
      await expect(m.dataSource.transaction((tx) => post(tx, []))).rejects.toThrow(/has 0 entries/);
      await expect(
        m.dataSource.transaction((tx) => post(tx, [{ account: clearing, amount: 10 }])),
      ).rejects.toThrow(/has 1 entries/);
      await expect(
        m.dataSource.transaction((tx) =>
          post(tx, [
            { account: clearing, amount: 0 },
            { account: revenue, amount: 0 },
          ]),
        ),
      ).rejects.toThrow(/ck_ledger_entries_amount/);
    });

    it('refuses an entry whose currency is not its account’s', async () => {
      await expect(
        m.dataSource.transaction((tx) =>
          post(tx, [
            { account: clearing, currency: 'EUR', amount: 10 },
            { account: eurRevenue, currency: 'EUR', amount: -10 },
          ]),
        ),
      ).rejects.toThrow(/fk_ledger_entries_account_currency/);
    });

    it('keeps one transaction per idempotency key', async () => {
      const key = `order:${randomUUID()}:sale`;
      const entries = [
        { account: clearing, amount: 70 },
        { account: revenue, amount: -70 },
      ];
      await m.dataSource.transaction((tx) => post(tx, entries, key));
      await expect(m.dataSource.transaction((tx) => post(tx, entries, key))).rejects.toThrow(
        /uq_ledger_transactions_idempotency_key/,
      );
    });

    it('refuses UPDATE, DELETE and TRUNCATE of entries, transactions and accounts', async () => {
      const id = await m.dataSource.transaction((tx) =>
        post(tx, [
          { account: clearing, amount: 20 },
          { account: revenue, amount: -20 },
        ]),
      );
      await expect(
        m.dataSource.query(
          `UPDATE ${C}.ledger_entries SET amount_minor = amount_minor * 2 WHERE transaction_id = $1`,
          [id],
        ),
      ).rejects.toThrow(/append-only: UPDATE on ledger_entries/);
      await expect(
        m.dataSource.query(`DELETE FROM ${C}.ledger_entries WHERE transaction_id = $1`, [id]),
      ).rejects.toThrow(/append-only: DELETE on ledger_entries/);
      await expect(
        m.dataSource.query(`UPDATE ${C}.ledger_transactions SET idempotency_key = 'x' WHERE id = $1`, [id]),
      ).rejects.toThrow(/append-only: UPDATE on ledger_transactions/);
      await expect(
        m.dataSource.query(`DELETE FROM ${C}.ledger_transactions WHERE id = $1`, [id]),
      ).rejects.toThrow(/append-only: DELETE on ledger_transactions/);
      await expect(
        m.dataSource.query(`UPDATE ${C}.ledger_accounts SET currency = 'EUR' WHERE id = $1`, [clearing]),
      ).rejects.toThrow(/append-only: UPDATE on ledger_accounts/);
      await expect(m.dataSource.query(`TRUNCATE ${C}.ledger_entries`)).rejects.toThrow(
        /append-only: TRUNCATE/,
      );
      const [row] = (await m.dataSource.query(
        `SELECT count(*)::int AS n FROM ${C}.ledger_entries WHERE transaction_id = $1`,
        [id],
      )) as { n: number }[];
      expect(row!.n).toBe(2);
    });

    it('refuses entries added to a transaction committed earlier, even balanced ones', async () => {
      const id = await m.dataSource.transaction((tx) =>
        post(tx, [
          { account: clearing, amount: 30 },
          { account: revenue, amount: -30 },
        ]),
      );
      await expect(
        m.dataSource.transaction(async (tx) => {
          for (const [account, amount] of [
            [clearing, 5],
            [seller, -5],
          ] as const)
            await tx.query(
              `INSERT INTO ${C}.ledger_entries (transaction_id, account_id, currency, amount_minor) VALUES ($1, $2, 'USD', $3)`,
              [id, account, amount],
            );
        }),
      ).rejects.toThrow(/is closed/);
    });

    it('checks every transaction of a database transaction separately', async () => {
      await expect(
        m.dataSource.transaction(async (tx) => {
          await post(tx, [
            { account: clearing, amount: 10 },
            { account: revenue, amount: -9 },
          ]);
          await post(tx, [
            { account: clearing, amount: 10 },
            { account: revenue, amount: -11 },
          ]);
        }),
      ).rejects.toThrow(/does not balance/);
    });
  });

  describe('orders and coupons', () => {
    async function insertOrder(columns: Record<string, unknown>) {
      const row: Record<string, unknown> = {
        id: randomUUID(),
        buyer_id: randomUUID(),
        status: 'PENDING_PAYMENT',
        currency: 'USD',
        subtotal_minor: 1000,
        discount_minor: 100,
        tax_minor: 90,
        total_minor: 990,
        tax_inclusive: false,
        tax_rate_bps: 1000,
        tax_country: 'US',
        provider: 'SANDBOX',
        ...columns,
      };
      const names = Object.keys(row);
      await m.dataSource.query(
        `INSERT INTO ${C}.orders (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
      return row['id'] as string;
    }

    it('keeps order totals consistent and refunds within the total', async () => {
      await insertOrder({});
      await insertOrder({ tax_inclusive: true, tax_minor: 82, total_minor: 900 });
      await expect(insertOrder({ total_minor: 991 })).rejects.toThrow(/ck_orders_amounts/);
      await expect(insertOrder({ status: 'PAID' })).rejects.toThrow(/ck_orders_paid/);
      const id = await insertOrder({ status: 'PAID', paid_at: new Date() });
      await m.dataSource.query(
        `UPDATE ${C}.orders SET refunded_minor = 500, status = 'PARTIALLY_REFUNDED' WHERE id = $1`,
        [id],
      );
      await expect(
        m.dataSource.query(`UPDATE ${C}.orders SET refunded_minor = 991 WHERE id = $1`, [id]),
      ).rejects.toThrow(/ck_orders_refunded/);
    });

    it('never lets a coupon exceed its redemptions, its 80% cap or mix kinds', async () => {
      const coupon = (columns: Record<string, unknown>) => {
        const row: Record<string, unknown> = {
          id: randomUUID(),
          code: `C${randomUUID().slice(0, 8).toUpperCase()}`,
          kind: 'PERCENT',
          percent_off: 10,
          created_by: randomUUID(),
          ...columns,
        };
        const names = Object.keys(row);
        return m.dataSource
          .query(
            `INSERT INTO ${C}.coupons (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
            Object.values(row),
          )
          .then(() => row['id'] as string);
      };
      const id = await coupon({ max_redemptions: 1 });
      await m.dataSource.query(`UPDATE ${C}.coupons SET redeemed_count = 1 WHERE id = $1`, [id]);
      await expect(
        m.dataSource.query(`UPDATE ${C}.coupons SET redeemed_count = 2 WHERE id = $1`, [id]),
      ).rejects.toThrow(/ck_coupons_redeemed/);
      await expect(coupon({ percent_off: 81 })).rejects.toThrow(/ck_coupons_kind/);
      await expect(coupon({ kind: 'AMOUNT', percent_off: null, amount_off_minor: 100 })).rejects.toThrow(
        /ck_coupons_kind/,
      );
      await coupon({ kind: 'AMOUNT', percent_off: null, amount_off_minor: 100, currency: 'USD' });
      await expect(coupon({ code: 'lower' })).rejects.toThrow(/ck_coupons_code/);
    });
  });

  it('keeps one live subscription per user and tier, and tier products carry their interval', async () => {
    const product = randomUUID();
    const tier = randomUUID();
    const seller = randomUUID();
    const insertProduct = (kind: string, interval: string | null, trial = 0) =>
      m.dataSource.query(
        `INSERT INTO ${C}.products (id, kind, ref_id, seller_id, title, price_minor, currency, billing_interval, trial_days)
         VALUES ($1, $2, $3, $4, 'Tier', 500, 'USD', $5, $6)`,
        [randomUUID(), kind, randomUUID(), seller, interval, trial],
      );
    await expect(insertProduct('COMMUNITY_TIER', null)).rejects.toThrow(/ck_products_tier_interval/);
    await expect(insertProduct('COURSE', 'MONTHLY')).rejects.toThrow(/ck_products_tier_interval/);
    await expect(insertProduct('COMMUNITY_TIER', 'LIFETIME', 7)).rejects.toThrow(/ck_products_trial_days/);
    await m.dataSource.query(
      `INSERT INTO ${C}.products (id, kind, ref_id, seller_id, title, price_minor, currency, billing_interval)
       VALUES ($1, 'COMMUNITY_TIER', $2, $3, 'Tier', 500, 'USD', 'MONTHLY')`,
      [product, tier, seller],
    );
    const user = randomUUID();
    const subscribe = (status: string, extra: Record<string, unknown> = {}) => {
      const row: Record<string, unknown> = {
        id: randomUUID(),
        user_id: user,
        product_id: product,
        tier_id: tier,
        seller_id: seller,
        billing_interval: 'MONTHLY',
        status,
        currency: 'USD',
        price_minor: 500,
        provider: 'SANDBOX',
        billing_country: 'US',
        ...extra,
      };
      const names = Object.keys(row);
      return m.dataSource.query(
        `INSERT INTO ${C}.tier_subscriptions (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
    };
    await subscribe('INCOMPLETE');
    await expect(subscribe('INCOMPLETE')).rejects.toThrow(/uq_tier_subscriptions_live/);
    await subscribe('EXPIRED', { ended_at: new Date() });
    await expect(subscribe('CANCELED')).rejects.toThrow(/ck_tier_subscriptions_ended/);
    await expect(subscribe('TRIALING', { user_id: randomUUID() })).rejects.toThrow(
      /ck_tier_subscriptions_trial/,
    );
    await expect(
      subscribe('ACTIVE', {
        user_id: randomUUID(),
        billing_interval: 'LIFETIME',
        current_period_start: new Date(),
        current_period_end: new Date(Date.now() + 1000),
      }),
    ).rejects.toThrow(/ck_tier_subscriptions_lifetime/);
  });

  it('keeps payouts at or above 100.00 and split into their parts', async () => {
    const payout = (amount: number, seller: number, affiliate: number) =>
      m.dataSource.query(
        `INSERT INTO ${C}.payouts (id, payee_id, currency, amount_minor, seller_minor, affiliate_minor, status)
         VALUES ($1, $2, 'USD', $3, $4, $5, 'REQUESTED')`,
        [randomUUID(), randomUUID(), amount, seller, affiliate],
      );
    await payout(10_000, 9_000, 1_000);
    await expect(payout(9_999, 9_999, 0)).rejects.toThrow(/ck_payouts_minimum/);
    await expect(payout(10_000, 9_000, 999)).rejects.toThrow(/ck_payouts_parts/);
    await expect(
      m.dataSource.query(`INSERT INTO ${C}.affiliates (id, user_id, code) VALUES ($1, $2, 'lower')`, [
        randomUUID(),
        randomUUID(),
      ]),
    ).rejects.toThrow(/ck_affiliates_code/);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toContain('ledger_entries');
  });
});
