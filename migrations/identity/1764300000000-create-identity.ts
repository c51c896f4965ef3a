import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

/** Users, sessions and refresh tokens, signing keys, verification codes, API keys, outbox/inbox. */
export class CreateIdentity1764300000000 implements MigrationInterface {
  name = 'CreateIdentity1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "identity"`);
    await queryRunner.query(`
      CREATE TABLE "identity".users (
        id uuid NOT NULL,
        email text NOT NULL,
        email_verified_at timestamptz NULL,
        display_name text NOT NULL,
        date_of_birth date NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{LEARNER}',
        disabled_at timestamptz NULL,
        disabled_reason text NULL,
        failed_sign_in_count integer NOT NULL DEFAULT 0,
        lock_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz NULL,
        totp_secret text NULL,
        totp_enabled_at timestamptz NULL,
        totp_pending_secret text NULL,
        totp_last_used_step bigint NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT ck_users_email_lower CHECK (email = lower(email)),
        CONSTRAINT ck_users_display_name CHECK (char_length(display_name) BETWEEN 1 AND 80),
        CONSTRAINT ck_users_roles CHECK (roles <@ ARRAY['LEARNER','INSTRUCTOR','MODERATOR','SUPPORT','FINANCE','ADMIN']::text[]),
        CONSTRAINT ck_users_failed_count CHECK (failed_sign_in_count >= 0 AND lock_count >= 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_users_email ON "identity".users (email)`);

    await queryRunner.query(`
      CREATE TABLE "identity".sessions (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoked_reason text NULL,
        mfa_verified boolean NOT NULL DEFAULT false,
        ip_address text NULL,
        user_agent text NULL,
        CONSTRAINT pk_sessions PRIMARY KEY (id),
        CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES "identity".users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_sessions_user_active ON "identity".sessions (user_id, created_at) WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_sessions_expires_at ON "identity".sessions (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE "identity".refresh_tokens (
        id uuid NOT NULL,
        session_id uuid NOT NULL,
        token_hash text NOT NULL,
        issued_at timestamptz NOT NULL,
        rotated_at timestamptz NULL,
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
        CONSTRAINT fk_refresh_tokens_session FOREIGN KEY (session_id) REFERENCES "identity".sessions (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_refresh_tokens_hash ON "identity".refresh_tokens (token_hash)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_refresh_tokens_session ON "identity".refresh_tokens (session_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE "identity".signing_keys (
        id text NOT NULL,
        algorithm text NOT NULL DEFAULT 'ES256',
        public_jwk jsonb NOT NULL,
        private_jwk text NOT NULL,
        created_at timestamptz NOT NULL,
        activates_at timestamptz NOT NULL,
        retires_at timestamptz NULL,
        remove_after timestamptz NULL,
        CONSTRAINT pk_signing_keys PRIMARY KEY (id),
        CONSTRAINT ck_signing_keys_algorithm CHECK (algorithm = 'ES256')
      )`);

    await queryRunner.query(`
      CREATE TABLE "identity".verification_codes (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_verification_codes PRIMARY KEY (id),
        CONSTRAINT fk_verification_codes_user FOREIGN KEY (user_id) REFERENCES "identity".users (id) ON DELETE CASCADE,
        CONSTRAINT ck_verification_codes_purpose CHECK (purpose IN ('EMAIL_VERIFICATION', 'PASSWORD_RESET'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_verification_codes_user_purpose ON "identity".verification_codes (user_id, purpose, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_verification_codes_expires_at ON "identity".verification_codes (expires_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE "identity".api_keys (
        id uuid NOT NULL,
        owner_id uuid NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL,
        CONSTRAINT pk_api_keys PRIMARY KEY (id),
        CONSTRAINT fk_api_keys_owner FOREIGN KEY (owner_id) REFERENCES "identity".users (id) ON DELETE CASCADE,
        CONSTRAINT ck_api_keys_name CHECK (char_length(name) BETWEEN 1 AND 80),
        CONSTRAINT ck_api_keys_scopes CHECK (cardinality(scopes) >= 1)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_api_keys_key_hash ON "identity".api_keys (key_hash)`);
    await queryRunner.query(
      `CREATE INDEX ix_api_keys_owner ON "identity".api_keys (owner_id, created_at, id)`,
    );

    await createEventTables(queryRunner, 'identity');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropEventTables(queryRunner, 'identity');
    await queryRunner.query(`DROP TABLE "identity".api_keys`);
    await queryRunner.query(`DROP TABLE "identity".verification_codes`);
    await queryRunner.query(`DROP TABLE "identity".signing_keys`);
    await queryRunner.query(`DROP TABLE "identity".refresh_tokens`);
    await queryRunner.query(`DROP TABLE "identity".sessions`);
    await queryRunner.query(`DROP TABLE "identity".users`);
  }
}
