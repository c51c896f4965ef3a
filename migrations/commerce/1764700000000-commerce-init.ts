import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"commerce"';
const CURRENCY = `~ '^[A-Z]{3}$'`;
const PRODUCT_KINDS = `('COURSE', 'EBOOK', 'COMMUNITY_TIER', 'TUTOR_HOURS', 'LIVE_TICKET')`;

/**
 * Commerce schema: products and prices, carts, orders and their lines, coupons and redemptions, tax
 * rates, refunds, deduplicated provider webhook events, and the double-entry ledger.
 *
 * The ledger is enforced by PostgreSQL, not only by code:
 * - `ledger_entries` and `ledger_transactions` are append-only (UPDATE, DELETE and TRUNCATE raise);
 * - entries join a ledger transaction only inside the database transaction that created it;
 * - at commit (deferred constraint triggers) every ledger transaction has ≥ 2 entries and its entries
 *   sum to zero per currency (amounts are signed: debit > 0, credit < 0);
 * - an entry's currency is its account's currency (composite foreign key);
 * - one ledger transaction per idempotency key (unique constraint).
 */
export class CommerceInit1764700000000 implements MigrationInterface {
  name = 'CommerceInit1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'commerce');

    await queryRunner.query(`
      CREATE TABLE ${S}.products (
        id uuid NOT NULL,
        kind text NOT NULL,
        ref_id uuid NOT NULL,
        seller_id uuid NOT NULL,
        title text NOT NULL,
        price_minor bigint NOT NULL,
        currency text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_products PRIMARY KEY (id),
        CONSTRAINT uq_products_kind_ref UNIQUE (kind, ref_id),
        CONSTRAINT ck_products_kind CHECK (kind IN ${PRODUCT_KINDS}),
        CONSTRAINT ck_products_price CHECK (price_minor BETWEEN 50 AND 5000000),
        CONSTRAINT ck_products_currency CHECK (currency ${CURRENCY}),
        CONSTRAINT ck_products_title CHECK (length(title) BETWEEN 1 AND 200)
      )`);
    await queryRunner.query(`CREATE INDEX ix_products_seller ON ${S}.products (seller_id, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.cart_items (
        user_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity integer NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_cart_items PRIMARY KEY (user_id, product_id),
        CONSTRAINT fk_cart_items_product FOREIGN KEY (product_id) REFERENCES ${S}.products (id),
        CONSTRAINT ck_cart_items_quantity CHECK (quantity BETWEEN 1 AND 100)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.coupons (
        id uuid NOT NULL,
        code text NOT NULL,
        kind text NOT NULL,
        percent_off integer NULL,
        amount_off_minor bigint NULL,
        currency text NULL,
        starts_at timestamptz NULL,
        ends_at timestamptz NULL,
        max_redemptions integer NULL,
        per_user_limit integer NULL,
        redeemed_count integer NOT NULL DEFAULT 0,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_coupons PRIMARY KEY (id),
        CONSTRAINT uq_coupons_code UNIQUE (code),
        CONSTRAINT ck_coupons_code CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
        CONSTRAINT ck_coupons_kind CHECK (
          (kind = 'PERCENT' AND percent_off BETWEEN 1 AND 80 AND amount_off_minor IS NULL AND currency IS NULL)
          OR (kind = 'AMOUNT' AND percent_off IS NULL AND amount_off_minor > 0 AND currency IS NOT NULL
              AND currency ${CURRENCY})),
        CONSTRAINT ck_coupons_window CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at),
        CONSTRAINT ck_coupons_max CHECK (max_redemptions IS NULL OR max_redemptions >= 1),
        CONSTRAINT ck_coupons_per_user CHECK (per_user_limit IS NULL OR per_user_limit >= 1),
        CONSTRAINT ck_coupons_redeemed CHECK (
          redeemed_count >= 0 AND (max_redemptions IS NULL OR redeemed_count <= max_redemptions))
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.tax_rates (
        id uuid NOT NULL,
        country text NOT NULL,
        region text NULL,
        rate_bps integer NOT NULL,
        inclusive boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_tax_rates PRIMARY KEY (id),
        CONSTRAINT uq_tax_rates_place UNIQUE NULLS NOT DISTINCT (country, region),
        CONSTRAINT ck_tax_rates_country CHECK (country ~ '^[A-Z]{2}$'),
        CONSTRAINT ck_tax_rates_region CHECK (region IS NULL OR region ~ '^[A-Z0-9-]{1,10}$'),
        CONSTRAINT ck_tax_rates_rate CHECK (rate_bps BETWEEN 0 AND 5000)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.orders (
        id uuid NOT NULL,
        buyer_id uuid NOT NULL,
        status text NOT NULL,
        currency text NOT NULL,
        subtotal_minor bigint NOT NULL,
        discount_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        total_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL DEFAULT 0,
        tax_inclusive boolean NOT NULL,
        tax_rate_bps integer NOT NULL,
        tax_country text NOT NULL,
        tax_region text NULL,
        coupon_id uuid NULL,
        provider text NOT NULL,
        provider_payment_id text NULL,
        payment_attempts integer NOT NULL DEFAULT 0,
        failure_code text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz NULL,
        CONSTRAINT pk_orders PRIMARY KEY (id),
        CONSTRAINT fk_orders_coupon FOREIGN KEY (coupon_id) REFERENCES ${S}.coupons (id),
        CONSTRAINT uq_orders_provider_payment UNIQUE (provider, provider_payment_id),
        CONSTRAINT ck_orders_status CHECK (status IN ('PENDING_PAYMENT', 'REQUIRES_ACTION', 'PAYMENT_FAILED',
          'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'CANCELED')),
        CONSTRAINT ck_orders_provider CHECK (provider IN ('SANDBOX', 'STRIPE', 'PAYPAL', 'NONE')),
        CONSTRAINT ck_orders_currency CHECK (currency ${CURRENCY}),
        CONSTRAINT ck_orders_amounts CHECK (subtotal_minor > 0 AND discount_minor >= 0 AND tax_minor >= 0
          AND discount_minor <= subtotal_minor
          AND total_minor = subtotal_minor - discount_minor + CASE WHEN tax_inclusive THEN 0 ELSE tax_minor END),
        CONSTRAINT ck_orders_refunded CHECK (refunded_minor >= 0 AND refunded_minor <= total_minor),
        CONSTRAINT ck_orders_paid CHECK (
          (status IN ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')) = (paid_at IS NOT NULL)),
        CONSTRAINT ck_orders_refund_status CHECK (refunded_minor = 0 OR status IN ('PARTIALLY_REFUNDED', 'REFUNDED'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_orders_buyer ON ${S}.orders (buyer_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_orders_created ON ${S}.orders (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.order_lines (
        id uuid NOT NULL,
        order_id uuid NOT NULL,
        position integer NOT NULL,
        product_id uuid NOT NULL,
        kind text NOT NULL,
        ref_id uuid NOT NULL,
        seller_id uuid NOT NULL,
        title text NOT NULL,
        unit_price_minor bigint NOT NULL,
        quantity integer NOT NULL,
        subtotal_minor bigint NOT NULL,
        discount_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        total_minor bigint NOT NULL,
        commission_bps integer NOT NULL,
        commission_minor bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_order_lines PRIMARY KEY (id),
        CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES ${S}.orders (id),
        CONSTRAINT fk_order_lines_product FOREIGN KEY (product_id) REFERENCES ${S}.products (id),
        CONSTRAINT uq_order_lines_position UNIQUE (order_id, position),
        CONSTRAINT ck_order_lines_kind CHECK (kind IN ${PRODUCT_KINDS}),
        CONSTRAINT ck_order_lines_unit_price CHECK (unit_price_minor BETWEEN 50 AND 5000000),
        CONSTRAINT ck_order_lines_quantity CHECK (quantity BETWEEN 1 AND 100),
        CONSTRAINT ck_order_lines_amounts CHECK (subtotal_minor = unit_price_minor * quantity
          AND discount_minor BETWEEN 0 AND subtotal_minor AND tax_minor >= 0 AND total_minor >= 0),
        CONSTRAINT ck_order_lines_commission CHECK (commission_bps BETWEEN 0 AND 10000
          AND commission_minor BETWEEN 0 AND total_minor - tax_minor)
      )`);
    await queryRunner.query(`CREATE INDEX ix_order_lines_order ON ${S}.order_lines (order_id, position)`);
    await queryRunner.query(
      `CREATE INDEX ix_order_lines_seller ON ${S}.order_lines (seller_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.coupon_redemptions (
        id uuid NOT NULL,
        coupon_id uuid NOT NULL,
        user_id uuid NOT NULL,
        order_id uuid NOT NULL,
        released_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_coupon_redemptions PRIMARY KEY (id),
        CONSTRAINT fk_coupon_redemptions_coupon FOREIGN KEY (coupon_id) REFERENCES ${S}.coupons (id),
        CONSTRAINT fk_coupon_redemptions_order FOREIGN KEY (order_id) REFERENCES ${S}.orders (id),
        CONSTRAINT uq_coupon_redemptions_order UNIQUE (order_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_coupon_redemptions_user ON ${S}.coupon_redemptions (coupon_id, user_id) WHERE released_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.refunds (
        id uuid NOT NULL,
        order_id uuid NOT NULL,
        amount_minor bigint NOT NULL,
        status text NOT NULL,
        reason text NULL,
        provider_refund_id text NULL,
        requested_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz NULL,
        CONSTRAINT pk_refunds PRIMARY KEY (id),
        CONSTRAINT fk_refunds_order FOREIGN KEY (order_id) REFERENCES ${S}.orders (id),
        CONSTRAINT ck_refunds_amount CHECK (amount_minor > 0),
        CONSTRAINT ck_refunds_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_refunds_order ON ${S}.refunds (order_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.webhook_events (
        provider text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_events PRIMARY KEY (provider, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_webhook_events_received ON ${S}.webhook_events (received_at)`);

    // ── Ledger ──────────────────────────────────────────────────────────────────────────────────
    await queryRunner.query(`
      CREATE TABLE ${S}.ledger_accounts (
        id uuid NOT NULL,
        kind text NOT NULL,
        owner_id uuid NULL,
        currency text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_accounts PRIMARY KEY (id),
        CONSTRAINT uq_ledger_accounts_id_currency UNIQUE (id, currency),
        CONSTRAINT uq_ledger_accounts_kind_owner UNIQUE NULLS NOT DISTINCT (kind, owner_id, currency),
        CONSTRAINT ck_ledger_accounts_kind CHECK (kind IN
          ('PROVIDER_CLEARING', 'PLATFORM_REVENUE', 'TAX_PAYABLE', 'SELLER_PAYABLE', 'AFFILIATE_PAYABLE')),
        CONSTRAINT ck_ledger_accounts_owner CHECK (
          (kind IN ('SELLER_PAYABLE', 'AFFILIATE_PAYABLE')) = (owner_id IS NOT NULL)),
        CONSTRAINT ck_ledger_accounts_currency CHECK (currency ${CURRENCY})
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.ledger_transactions (
        id uuid NOT NULL,
        idempotency_key text NOT NULL,
        kind text NOT NULL,
        order_id uuid NULL,
        refund_id uuid NULL,
        description text NOT NULL,
        db_xact_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_transactions PRIMARY KEY (id),
        CONSTRAINT uq_ledger_transactions_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT fk_ledger_transactions_order FOREIGN KEY (order_id) REFERENCES ${S}.orders (id),
        CONSTRAINT fk_ledger_transactions_refund FOREIGN KEY (refund_id) REFERENCES ${S}.refunds (id),
        CONSTRAINT ck_ledger_transactions_kind CHECK (kind IN ('SALE', 'REFUND', 'PAYOUT', 'ADJUSTMENT'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_ledger_transactions_order ON ${S}.ledger_transactions (order_id) WHERE order_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}.ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id uuid NOT NULL,
        account_id uuid NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_entries PRIMARY KEY (id),
        CONSTRAINT fk_ledger_entries_transaction FOREIGN KEY (transaction_id)
          REFERENCES ${S}.ledger_transactions (id),
        CONSTRAINT fk_ledger_entries_account_currency FOREIGN KEY (account_id, currency)
          REFERENCES ${S}.ledger_accounts (id, currency),
        CONSTRAINT ck_ledger_entries_amount CHECK (amount_minor <> 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_ledger_entries_transaction ON ${S}.ledger_entries (transaction_id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_ledger_entries_account ON ${S}.ledger_entries (account_id)`);

    await queryRunner.query(`
      CREATE FUNCTION ${S}.ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    for (const table of ['ledger_transactions', 'ledger_entries', 'ledger_accounts']) {
      await queryRunner.query(
        `CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON ${S}.${table}
         FOR EACH ROW EXECUTE FUNCTION ${S}.ledger_refuse_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER tr_${table}_no_truncate BEFORE TRUNCATE ON ${S}.${table}
         FOR EACH STATEMENT EXECUTE FUNCTION ${S}.ledger_refuse_change()`,
      );
    }

    await queryRunner.query(`
      CREATE FUNCTION ${S}.ledger_entry_joins_open_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM ${S}.ledger_transactions t
                       WHERE t.id = NEW.transaction_id AND t.db_xact_id = pg_current_xact_id()) THEN
          RAISE EXCEPTION 'ledger transaction % is closed: entries are added only when it is created',
            NEW.transaction_id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_ledger_entries_open_transaction BEFORE INSERT ON ${S}.ledger_entries
       FOR EACH ROW EXECUTE FUNCTION ${S}.ledger_entry_joins_open_transaction()`,
    );

    await queryRunner.query(`
      CREATE FUNCTION ${S}.ledger_check_transaction(tx uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced text;
        entry_count integer;
      BEGIN
        SELECT count(*) INTO entry_count FROM ${S}.ledger_entries WHERE transaction_id = tx;
        IF entry_count < 2 THEN
          RAISE EXCEPTION 'ledger transaction % has % entries (at least 2 are needed)', tx, entry_count
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_ledger_transactions_balanced';
        END IF;
        SELECT string_agg(currency || ' ' || total::text, ', ') INTO unbalanced FROM (
          SELECT currency, sum(amount_minor) AS total FROM ${S}.ledger_entries
          WHERE transaction_id = tx GROUP BY currency HAVING sum(amount_minor) <> 0) AS sums;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger transaction % does not balance: %', tx, unbalanced
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_ledger_transactions_balanced';
        END IF;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ${S}.ledger_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ${S}.ledger_check_transaction(NEW.id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ${S}.ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ${S}.ledger_check_transaction(NEW.transaction_id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER tr_ledger_transactions_balanced AFTER INSERT ON ${S}.ledger_transactions
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${S}.ledger_transaction_balances()`,
    );
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER tr_ledger_entries_balanced AFTER INSERT ON ${S}.ledger_entries
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${S}.ledger_entry_balances()`,
    );

    await queryRunner.query(`
      CREATE VIEW ${S}.ledger_balances AS
        SELECT a.id AS account_id, a.kind, a.owner_id, a.currency,
               COALESCE(sum(e.amount_minor), 0)::bigint AS balance_minor
        FROM ${S}.ledger_accounts a LEFT JOIN ${S}.ledger_entries e ON e.account_id = a.id
        GROUP BY a.id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW IF EXISTS ${S}.ledger_balances`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.ledger_entries`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.ledger_transactions`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.ledger_accounts`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.ledger_entry_balances()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.ledger_transaction_balances()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.ledger_check_transaction(uuid)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.ledger_entry_joins_open_transaction()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.ledger_refuse_change()`);
    for (const table of ['webhook_events', 'refunds', 'coupon_redemptions', 'order_lines', 'orders'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    for (const table of ['tax_rates', 'coupons', 'cart_items', 'products'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    await dropEventTables(queryRunner, 'commerce');
  }
}
