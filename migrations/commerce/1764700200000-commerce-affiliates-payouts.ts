import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"commerce"';

/**
 * Affiliates (upper-case unique referral codes; an order remembers its affiliate and each line the
 * affiliate's part of the commission) and payouts (≥ 100.00 in the payee's currency, grouped in batches).
 */
export class CommerceAffiliatesPayouts1764700200000 implements MigrationInterface {
  name = 'CommerceAffiliatesPayouts1764700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.affiliates (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_affiliates PRIMARY KEY (id),
        CONSTRAINT uq_affiliates_user UNIQUE (user_id),
        CONSTRAINT uq_affiliates_code UNIQUE (code),
        CONSTRAINT ck_affiliates_code CHECK (code ~ '^[A-Z0-9]{4,16}$')
      )`);
    await queryRunner.query(`ALTER TABLE ${S}.orders
      ADD COLUMN affiliate_id uuid NULL,
      ADD CONSTRAINT fk_orders_affiliate FOREIGN KEY (affiliate_id) REFERENCES ${S}.affiliates (id)`);
    await queryRunner.query(`ALTER TABLE ${S}.order_lines
      ADD COLUMN affiliate_minor bigint NOT NULL DEFAULT 0,
      ADD CONSTRAINT ck_order_lines_affiliate CHECK (affiliate_minor BETWEEN 0 AND commission_minor)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.payout_batches (
        id uuid NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz NULL,
        CONSTRAINT pk_payout_batches PRIMARY KEY (id),
        CONSTRAINT ck_payout_batches_status CHECK (status IN ('PROCESSING', 'PAID')),
        CONSTRAINT ck_payout_batches_paid CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.payouts (
        id uuid NOT NULL,
        payee_id uuid NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        seller_minor bigint NOT NULL,
        affiliate_minor bigint NOT NULL,
        status text NOT NULL,
        batch_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz NULL,
        CONSTRAINT pk_payouts PRIMARY KEY (id),
        CONSTRAINT fk_payouts_batch FOREIGN KEY (batch_id) REFERENCES ${S}.payout_batches (id),
        CONSTRAINT ck_payouts_minimum CHECK (amount_minor >= 10000),
        CONSTRAINT ck_payouts_parts CHECK (seller_minor >= 0 AND affiliate_minor >= 0
          AND amount_minor = seller_minor + affiliate_minor),
        CONSTRAINT ck_payouts_status CHECK (status IN ('REQUESTED', 'PROCESSING', 'PAID')),
        CONSTRAINT ck_payouts_batch CHECK ((status = 'REQUESTED') = (batch_id IS NULL)),
        CONSTRAINT ck_payouts_paid CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_payouts_payee ON ${S}.payouts (payee_id, currency, status)`);
    await queryRunner.query(`CREATE INDEX ix_payouts_batch ON ${S}.payouts (batch_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.payouts`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.payout_batches`);
    await queryRunner.query(
      `ALTER TABLE ${S}.order_lines DROP CONSTRAINT ck_order_lines_affiliate, DROP COLUMN affiliate_minor`,
    );
    await queryRunner.query(
      `ALTER TABLE ${S}.orders DROP CONSTRAINT fk_orders_affiliate, DROP COLUMN affiliate_id`,
    );
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.affiliates`);
  }
}
