import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Single-use recovery codes for two-factor sign-in (stored as sha256). */
export class TwoFactorRecoveryCodes1764400000000 implements MigrationInterface {
  name = 'TwoFactorRecoveryCodes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "identity".recovery_codes (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        CONSTRAINT pk_recovery_codes PRIMARY KEY (id),
        CONSTRAINT fk_recovery_codes_user FOREIGN KEY (user_id) REFERENCES "identity".users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_recovery_codes_hash ON "identity".recovery_codes (code_hash)`,
    );
    await queryRunner.query(`CREATE INDEX ix_recovery_codes_user ON "identity".recovery_codes (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "identity".recovery_codes`);
  }
}
