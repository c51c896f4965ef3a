import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"community"';

/**
 * Community schema: communities (slug, visibility, join and posting policies, categories, map
 * location), custom roles with permission sets, memberships (built-in role, optional custom role,
 * status, time zone, mute), and the outbox/inbox for domain events.
 */
export class CommunityInit1764900000000 implements MigrationInterface {
  name = 'CommunityInit1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'community');

    await queryRunner.query(`
      CREATE TABLE ${S}.communities (
        id uuid NOT NULL,
        owner_id uuid NOT NULL,
        name text NOT NULL,
        slug text NOT NULL,
        description text NOT NULL DEFAULT '',
        cover_asset_id uuid NULL,
        visibility text NOT NULL DEFAULT 'PUBLIC',
        join_policy text NOT NULL DEFAULT 'OPEN',
        posting_policy text NOT NULL DEFAULT 'ALL_MEMBERS',
        categories text[] NOT NULL DEFAULT '{}',
        location_latitude double precision NULL,
        location_longitude double precision NULL,
        location_name text NULL,
        member_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz NULL,
        CONSTRAINT pk_communities PRIMARY KEY (id),
        CONSTRAINT uq_communities_slug UNIQUE (slug),
        CONSTRAINT ck_communities_slug CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 60),
        CONSTRAINT ck_communities_name CHECK (length(name) BETWEEN 3 AND 80),
        CONSTRAINT ck_communities_description CHECK (length(description) <= 2000),
        CONSTRAINT ck_communities_visibility CHECK (visibility IN ('PUBLIC', 'PRIVATE')),
        CONSTRAINT ck_communities_join_policy CHECK (join_policy IN ('OPEN', 'APPROVAL', 'INVITE_ONLY')),
        CONSTRAINT ck_communities_private_join CHECK (visibility = 'PUBLIC' OR join_policy <> 'OPEN'),
        CONSTRAINT ck_communities_posting_policy CHECK (posting_policy IN ('ALL_MEMBERS', 'MODERATORS_ONLY')),
        CONSTRAINT ck_communities_categories CHECK (cardinality(categories) <= 5),
        CONSTRAINT ck_communities_location CHECK (
          (location_latitude IS NULL) = (location_longitude IS NULL)
          AND (location_latitude IS NULL OR location_latitude BETWEEN -90 AND 90)
          AND (location_longitude IS NULL OR location_longitude BETWEEN -180 AND 180)
          AND (location_name IS NULL OR location_latitude IS NOT NULL)
        ),
        CONSTRAINT ck_communities_member_count CHECK (member_count >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_communities_owner ON ${S}.communities (owner_id, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_communities_discovery ON ${S}.communities (visibility, created_at, id) WHERE archived_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_communities_categories ON ${S}.communities USING gin (categories)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_communities_location ON ${S}.communities (location_latitude, location_longitude) WHERE location_latitude IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.community_roles (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        name text NOT NULL,
        permissions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_community_roles PRIMARY KEY (id),
        CONSTRAINT fk_community_roles_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_community_roles_name CHECK (length(name) BETWEEN 1 AND 40),
        CONSTRAINT ck_community_roles_permissions CHECK (cardinality(permissions) <= 50)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_community_roles_name ON ${S}.community_roles (community_id, lower(name))`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.memberships (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL DEFAULT 'MEMBER',
        custom_role_id uuid NULL,
        status text NOT NULL,
        time_zone text NOT NULL DEFAULT 'UTC',
        joined_at timestamptz NULL,
        requested_at timestamptz NULL,
        left_at timestamptz NULL,
        banned_at timestamptz NULL,
        ban_reason text NULL,
        muted_until timestamptz NULL,
        invited_by_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_memberships PRIMARY KEY (id),
        CONSTRAINT uq_memberships_community_user UNIQUE (community_id, user_id),
        CONSTRAINT fk_memberships_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT fk_memberships_custom_role FOREIGN KEY (custom_role_id) REFERENCES ${S}.community_roles (id) ON DELETE SET NULL,
        CONSTRAINT ck_memberships_role CHECK (role IN ('OWNER', 'ADMIN', 'MODERATOR', 'MEMBER')),
        CONSTRAINT ck_memberships_status CHECK (status IN ('ACTIVE', 'PENDING', 'BANNED', 'LEFT', 'INVITED')),
        CONSTRAINT ck_memberships_owner_active CHECK (role <> 'OWNER' OR status = 'ACTIVE'),
        CONSTRAINT ck_memberships_active_joined CHECK (status <> 'ACTIVE' OR joined_at IS NOT NULL),
        CONSTRAINT ck_memberships_ban_reason CHECK (ban_reason IS NULL OR length(ban_reason) <= 500)
      )`);
    // One owner per community, enforced by the database.
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_memberships_owner ON ${S}.memberships (community_id) WHERE role = 'OWNER'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_memberships_community ON ${S}.memberships (community_id, status, role, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_memberships_user ON ${S}.memberships (user_id, status, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_memberships_custom_role ON ${S}.memberships (custom_role_id) WHERE custom_role_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['memberships', 'community_roles', 'communities'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    await dropEventTables(queryRunner, 'community');
  }
}
