import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"media"';

/**
 * Media schema: assets (upload → scan → READY | QUARANTINED | FAILED, expiry), their renditions
 * (PDF, page images, thumbnails), and the outbox/inbox for domain events.
 */
export class MediaInit1764600000000 implements MigrationInterface {
  name = 'MediaInit1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'media');

    await queryRunner.query(`
      CREATE TABLE ${S}.assets (
        id uuid NOT NULL,
        owner_id uuid NOT NULL,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING_UPLOAD',
        visibility text NOT NULL DEFAULT 'PRIVATE',
        owner_domain text NULL,
        subject_ref text NULL,
        file_name text NOT NULL,
        mime_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        upload_key text NOT NULL,
        storage_key text NULL,
        quarantine_key text NULL,
        scan_attempts integer NOT NULL DEFAULT 0,
        scan_signature text NULL,
        failure_reason text NULL,
        rendition_status text NOT NULL DEFAULT 'NONE',
        rendition_progress integer NOT NULL DEFAULT 0,
        rendition_error text NULL,
        page_count integer NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        upload_expires_at timestamptz NOT NULL,
        uploaded_at timestamptz NULL,
        scanned_at timestamptz NULL,
        quarantined_at timestamptz NULL,
        purged_at timestamptz NULL,
        expired_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_assets PRIMARY KEY (id),
        CONSTRAINT uq_assets_upload_key UNIQUE (upload_key),
        CONSTRAINT ck_assets_kind CHECK (kind IN ('IMAGE', 'DOCUMENT', 'SLIDES', 'VIDEO', 'AUDIO', 'EBOOK')),
        CONSTRAINT ck_assets_status CHECK (status IN
          ('PENDING_UPLOAD', 'UPLOADED', 'SCANNING', 'READY', 'QUARANTINED', 'FAILED', 'EXPIRED')),
        CONSTRAINT ck_assets_visibility CHECK (visibility IN ('PRIVATE', 'RESTRICTED', 'PUBLIC')),
        CONSTRAINT ck_assets_restricted_domain CHECK (visibility <> 'RESTRICTED' OR owner_domain IS NOT NULL),
        CONSTRAINT ck_assets_size CHECK (size > 0),
        CONSTRAINT ck_assets_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_assets_file_name CHECK (length(file_name) BETWEEN 1 AND 255),
        CONSTRAINT ck_assets_ready_stored CHECK (status <> 'READY' OR storage_key IS NOT NULL),
        CONSTRAINT ck_assets_quarantine CHECK (status <> 'QUARANTINED' OR quarantined_at IS NOT NULL),
        CONSTRAINT ck_assets_rendition_status CHECK (rendition_status IN
          ('NONE', 'PENDING', 'PROCESSING', 'READY', 'FAILED')),
        CONSTRAINT ck_assets_rendition_progress CHECK (rendition_progress BETWEEN 0 AND 100)
      )`);
    await queryRunner.query(`CREATE INDEX ix_assets_owner ON ${S}.assets (owner_id, created_at, id)`);
    await queryRunner.query(
      `CREATE INDEX ix_assets_pending ON ${S}.assets (upload_expires_at) WHERE status = 'PENDING_UPLOAD'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_assets_quarantined ON ${S}.assets (quarantined_at) WHERE status = 'QUARANTINED' AND purged_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_assets_unscanned ON ${S}.assets (uploaded_at) WHERE status IN ('UPLOADED', 'SCANNING')`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.asset_renditions (
        id uuid NOT NULL,
        asset_id uuid NOT NULL,
        kind text NOT NULL,
        page integer NULL,
        storage_key text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        width integer NULL,
        height integer NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_asset_renditions PRIMARY KEY (id),
        CONSTRAINT fk_asset_renditions_asset FOREIGN KEY (asset_id) REFERENCES ${S}.assets (id) ON DELETE CASCADE,
        CONSTRAINT ck_asset_renditions_kind CHECK (kind IN ('PDF', 'PAGE_IMAGE', 'THUMBNAIL')),
        CONSTRAINT ck_asset_renditions_page CHECK ((kind = 'PAGE_IMAGE') = (page IS NOT NULL)),
        CONSTRAINT uq_asset_renditions_kind_page UNIQUE NULLS NOT DISTINCT (asset_id, kind, page)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.asset_renditions`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.assets`);
    await dropEventTables(queryRunner, 'media');
  }
}
