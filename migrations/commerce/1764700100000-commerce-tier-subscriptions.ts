import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"commerce"';

/**
 * Tier subscriptions: a community tier's product carries its billing interval and trial; a
 * subscription goes INCOMPLETE → TRIALING | ACTIVE → PAST_DUE → CANCELED | EXPIRED. Each charged period
 * is an order linked to (subscription, period), unique, so a renewal is charged at most once.
 */
export class CommerceTierSubscriptions1764700100000 implements MigrationInterface {
  name = 'CommerceTierSubscriptions1764700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}.products
      ADD COLUMN billing_interval text NULL,
      ADD COLUMN trial_days integer NOT NULL DEFAULT 0,
      ADD CONSTRAINT ck_products_billing_interval CHECK (
        billing_interval IS NULL OR billing_interval IN ('MONTHLY', 'QUARTERLY', 'ANNUAL', 'LIFETIME')),
      ADD CONSTRAINT ck_products_tier_interval CHECK ((kind = 'COMMUNITY_TIER') = (billing_interval IS NOT NULL)),
      ADD CONSTRAINT ck_products_trial_days CHECK (trial_days BETWEEN 0 AND 90
        AND (trial_days = 0 OR billing_interval IN ('MONTHLY', 'QUARTERLY', 'ANNUAL')))`);

    await queryRunner.query(`
      CREATE TABLE ${S}.tier_subscriptions (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        product_id uuid NOT NULL,
        tier_id uuid NOT NULL,
        seller_id uuid NOT NULL,
        billing_interval text NOT NULL,
        status text NOT NULL,
        currency text NOT NULL,
        price_minor bigint NOT NULL,
        provider text NOT NULL,
        payment_method text NULL,
        billing_country text NOT NULL,
        billing_region text NULL,
        periods_paid integer NOT NULL DEFAULT 0,
        trial_ends_at timestamptz NULL,
        current_period_start timestamptz NULL,
        current_period_end timestamptz NULL,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        canceled_at timestamptz NULL,
        ended_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_tier_subscriptions PRIMARY KEY (id),
        CONSTRAINT fk_tier_subscriptions_product FOREIGN KEY (product_id) REFERENCES ${S}.products (id),
        CONSTRAINT ck_tier_subscriptions_interval CHECK (billing_interval IN ('MONTHLY', 'QUARTERLY', 'ANNUAL', 'LIFETIME')),
        CONSTRAINT ck_tier_subscriptions_status CHECK (status IN
          ('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED')),
        CONSTRAINT ck_tier_subscriptions_trial CHECK (status <> 'TRIALING' OR trial_ends_at IS NOT NULL),
        CONSTRAINT ck_tier_subscriptions_period CHECK (
          status NOT IN ('ACTIVE', 'PAST_DUE') OR current_period_start IS NOT NULL),
        CONSTRAINT ck_tier_subscriptions_lifetime CHECK (
          CASE WHEN billing_interval = 'LIFETIME' THEN current_period_end IS NULL
               ELSE current_period_start IS NULL OR current_period_end > current_period_start END),
        CONSTRAINT ck_tier_subscriptions_ended CHECK ((status IN ('CANCELED', 'EXPIRED')) = (ended_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_tier_subscriptions_live ON ${S}.tier_subscriptions (user_id, tier_id)
       WHERE status IN ('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE')`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_tier_subscriptions_due ON ${S}.tier_subscriptions (status, current_period_end, trial_ends_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_tier_subscriptions_user ON ${S}.tier_subscriptions (user_id, created_at, id)`,
    );

    await queryRunner.query(`ALTER TABLE ${S}.orders
      ADD COLUMN subscription_id uuid NULL,
      ADD COLUMN subscription_period integer NULL,
      ADD CONSTRAINT fk_orders_subscription FOREIGN KEY (subscription_id) REFERENCES ${S}.tier_subscriptions (id),
      ADD CONSTRAINT uq_orders_subscription_period UNIQUE (subscription_id, subscription_period),
      ADD CONSTRAINT ck_orders_subscription CHECK ((subscription_id IS NULL) = (subscription_period IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}.orders DROP CONSTRAINT ck_orders_subscription,
      DROP CONSTRAINT uq_orders_subscription_period, DROP CONSTRAINT fk_orders_subscription,
      DROP COLUMN subscription_period, DROP COLUMN subscription_id`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.tier_subscriptions`);
    await queryRunner.query(`ALTER TABLE ${S}.products DROP CONSTRAINT ck_products_trial_days,
      DROP CONSTRAINT ck_products_tier_interval, DROP CONSTRAINT ck_products_billing_interval,
      DROP COLUMN trial_days, DROP COLUMN billing_interval`);
  }
}
