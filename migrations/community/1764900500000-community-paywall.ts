import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * Paywall: paid tiers of a community (name, description, rank, benefits, archived — priced in
 * commerce as COMMUNITY_TIER products) and the grants that open tier-gated content. A grant comes
 * from one commerce subscription (`subscription_id`, unique: every redelivery of its events lands on
 * the same row) or is given by hand (`MANUAL`). A REVOKED subscription grant is final — an
 * `activated` event that arrives after `expired` finds it and changes nothing.
 */
export class CommunityPaywall1764900500000 implements MigrationInterface {
  name = 'CommunityPaywall1764900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.paywall_tiers (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        rank smallint NOT NULL,
        benefits text[] NOT NULL DEFAULT '{}',
        created_by_id uuid NOT NULL,
        archived_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_paywall_tiers PRIMARY KEY (id),
        CONSTRAINT uq_paywall_tiers_community_id UNIQUE (community_id, id),
        CONSTRAINT fk_paywall_tiers_community FOREIGN KEY (community_id)
          REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_paywall_tiers_name CHECK (length(name) BETWEEN 1 AND 80),
        CONSTRAINT ck_paywall_tiers_description CHECK (length(description) <= 2000),
        CONSTRAINT ck_paywall_tiers_rank CHECK (rank BETWEEN 1 AND 100),
        CONSTRAINT ck_paywall_tiers_benefits CHECK (cardinality(benefits) <= 20)
      )`);
    // Live tier names are unique per community, case-insensitively.
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_paywall_tiers_name ON ${S}.paywall_tiers (community_id, lower(name)) WHERE archived_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_paywall_tiers_rank ON ${S}.paywall_tiers (community_id, rank, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.tier_grants (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        tier_id uuid NOT NULL,
        user_id uuid NOT NULL,
        source text NOT NULL,
        subscription_id uuid NULL,
        status text NOT NULL,
        access_until timestamptz NULL,
        granted_at timestamptz NULL,
        revoked_at timestamptz NULL,
        revoke_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_tier_grants PRIMARY KEY (id),
        CONSTRAINT uq_tier_grants_subscription UNIQUE (subscription_id),
        CONSTRAINT fk_tier_grants_tier FOREIGN KEY (community_id, tier_id)
          REFERENCES ${S}.paywall_tiers (community_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_tier_grants_source CHECK (source IN ('SUBSCRIPTION', 'MANUAL')),
        CONSTRAINT ck_tier_grants_subscription CHECK ((source = 'SUBSCRIPTION') = (subscription_id IS NOT NULL)),
        CONSTRAINT ck_tier_grants_status CHECK (status IN ('ACTIVE', 'REVOKED', 'HELD')),
        CONSTRAINT ck_tier_grants_active CHECK (status <> 'ACTIVE' OR granted_at IS NOT NULL),
        CONSTRAINT ck_tier_grants_revoked CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL)),
        CONSTRAINT ck_tier_grants_reason CHECK (revoke_reason IS NULL OR revoke_reason IN (
          'CANCELED', 'EXPIRED', 'MANUAL'
        ))
      )`);
    // Gating looks grants up per (community, user); one live manual grant per member and tier.
    await queryRunner.query(
      `CREATE INDEX ix_tier_grants_member ON ${S}.tier_grants (community_id, user_id) WHERE status = 'ACTIVE'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_tier_grants_tier ON ${S}.tier_grants (tier_id, status, user_id)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_tier_grants_manual ON ${S}.tier_grants (tier_id, user_id) WHERE source = 'MANUAL' AND status = 'ACTIVE'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.tier_grants`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.paywall_tiers`);
  }
}
