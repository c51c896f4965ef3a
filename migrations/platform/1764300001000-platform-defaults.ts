import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Config defaults from DOMAIN.md (*(config)* values) that other subgraphs read. */
export const PLATFORM_CONFIG_DEFAULTS: readonly {
  key: string;
  type: 'STRING' | 'INT' | 'BOOLEAN' | 'JSON';
  value: unknown;
  exposure: 'PUBLIC' | 'AUTHENTICATED' | 'OPS' | 'SECRET';
  description: string;
}[] = [
  {
    key: 'commerce.commission.course_bps',
    type: 'INT',
    value: 500,
    exposure: 'OPS',
    description: 'Platform commission on course sales, basis points of the total.',
  },
  {
    key: 'commerce.commission.ebook_bps',
    type: 'INT',
    value: 500,
    exposure: 'OPS',
    description: 'Platform commission on ebook sales, basis points of the total.',
  },
  {
    key: 'commerce.commission.community_subscription_bps',
    type: 'INT',
    value: 250,
    exposure: 'OPS',
    description: 'Platform commission on community subscriptions, basis points.',
  },
  {
    key: 'commerce.commission.tutor_booking_bps',
    type: 'INT',
    value: 250,
    exposure: 'OPS',
    description: 'Platform commission on tutor bookings, basis points.',
  },
  {
    key: 'commerce.commission.live_donation_bps',
    type: 'INT',
    value: 1000,
    exposure: 'OPS',
    description: 'Platform commission on live donations, basis points.',
  },
  {
    key: 'commerce.affiliate.commission_share_bps',
    type: 'INT',
    value: 2500,
    exposure: 'OPS',
    description: 'Share of the platform commission paid to affiliates, basis points (25%).',
  },
  {
    key: 'ebook.drm.max_downloads',
    type: 'INT',
    value: 3,
    exposure: 'AUTHENTICATED',
    description: 'Watermarked DRM downloads allowed per user and ebook.',
  },
];

/** Retention defaults from DOMAIN.md. */
export const PLATFORM_RETENTION_DEFAULTS: readonly {
  id: string;
  entity: string;
  action: string;
  afterDays: number;
}[] = [
  {
    id: '6a4c0f2e-6d1b-4a57-9a43-1f0a7c3d9001',
    entity: 'identity.sessions',
    action: 'HARD_DELETE',
    afterDays: 90,
  },
  {
    id: '6a4c0f2e-6d1b-4a57-9a43-1f0a7c3d9002',
    entity: 'identity.verification_codes',
    action: 'HARD_DELETE',
    afterDays: 30,
  },
  {
    id: '6a4c0f2e-6d1b-4a57-9a43-1f0a7c3d9003',
    entity: 'insights.analytics_events',
    action: 'HARD_DELETE',
    afterDays: 365,
  },
  {
    id: '6a4c0f2e-6d1b-4a57-9a43-1f0a7c3d9004',
    entity: 'media.asset_events',
    action: 'HARD_DELETE',
    afterDays: 180,
  },
];

/** Data migration: seeds platform-wide config defaults and retention policies (kept if already present). */
export class PlatformDefaults1764300001000 implements MigrationInterface {
  name = 'PlatformDefaults1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const entry of PLATFORM_CONFIG_DEFAULTS) {
      await queryRunner.query(
        `INSERT INTO "platform".runtime_config_entries (id, key, type, value, exposure, description)
         VALUES (gen_random_uuid(), $1, $2, $3::jsonb, $4, $5) ON CONFLICT (key) DO NOTHING`,
        [entry.key, entry.type, JSON.stringify(entry.value), entry.exposure, entry.description],
      );
    }
    for (const policy of PLATFORM_RETENTION_DEFAULTS) {
      await queryRunner.query(
        `INSERT INTO "platform".retention_policies (id, entity, action, after_days, enabled)
         VALUES ($1, $2, $3, $4, true) ON CONFLICT (entity) DO NOTHING`,
        [policy.id, policy.entity, policy.action, policy.afterDays],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "platform".retention_policies WHERE id = ANY($1::uuid[])`, [
      PLATFORM_RETENTION_DEFAULTS.map((p) => p.id),
    ]);
    await queryRunner.query(`DELETE FROM "platform".runtime_config_entries WHERE key = ANY($1::text[])`, [
      PLATFORM_CONFIG_DEFAULTS.map((e) => e.key),
    ]);
  }
}
