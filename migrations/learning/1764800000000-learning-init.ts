import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"learning"';

/**
 * Learning schema: courses (draft → review → published → archived) with prerequisites, modules and
 * lessons with gapless positions and drip settings, enrollments, lesson progress, certificates, and the
 * outbox/inbox for domain events.
 */
export class LearningInit1764800000000 implements MigrationInterface {
  name = 'LearningInit1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'learning');

    await queryRunner.query(`
      CREATE TABLE ${S}.courses (
        id uuid NOT NULL,
        instructor_id uuid NOT NULL,
        slug text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL DEFAULT '',
        level text NOT NULL DEFAULT 'ALL_LEVELS',
        category text NULL,
        tags text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        delivery_format text NOT NULL DEFAULT 'SELF_PACED',
        is_free boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'DRAFT',
        review_note text NULL,
        submitted_at timestamptz NULL,
        published_at timestamptz NULL,
        archived_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_courses PRIMARY KEY (id),
        CONSTRAINT uq_courses_slug UNIQUE (slug),
        CONSTRAINT ck_courses_slug CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
        CONSTRAINT ck_courses_title CHECK (length(title) BETWEEN 1 AND 160),
        CONSTRAINT ck_courses_level CHECK (level IN ('BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'ALL_LEVELS')),
        CONSTRAINT ck_courses_delivery CHECK (delivery_format IN ('SELF_PACED', 'COHORT', 'LIVE', 'BLENDED')),
        CONSTRAINT ck_courses_status CHECK (status IN ('DRAFT', 'REVIEW', 'PUBLISHED', 'ARCHIVED')),
        CONSTRAINT ck_courses_published CHECK (status <> 'PUBLISHED' OR published_at IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_courses_instructor ON ${S}.courses (instructor_id, created_at, id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_courses_status ON ${S}.courses (status, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_courses_tags ON ${S}.courses USING gin (tags)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.course_prerequisites (
        course_id uuid NOT NULL,
        prerequisite_id uuid NOT NULL,
        CONSTRAINT pk_course_prerequisites PRIMARY KEY (course_id, prerequisite_id),
        CONSTRAINT fk_course_prerequisites_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT fk_course_prerequisites_prerequisite FOREIGN KEY (prerequisite_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT ck_course_prerequisites_self CHECK (course_id <> prerequisite_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.course_modules (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        title text NOT NULL,
        position integer NOT NULL,
        release_offset_days integer NULL,
        release_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_course_modules PRIMARY KEY (id),
        CONSTRAINT fk_course_modules_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT uq_course_modules_position UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_course_modules_position CHECK (position >= 1),
        CONSTRAINT ck_course_modules_title CHECK (length(title) BETWEEN 1 AND 160),
        CONSTRAINT ck_course_modules_offset CHECK (release_offset_days IS NULL OR release_offset_days BETWEEN 0 AND 3650),
        CONSTRAINT ck_course_modules_release CHECK (release_offset_days IS NULL OR release_at IS NULL)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.lessons (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        module_id uuid NOT NULL,
        title text NOT NULL,
        position integer NOT NULL,
        content_kind text NOT NULL,
        asset_id uuid NULL,
        body_html text NULL,
        duration_seconds integer NULL,
        is_preview boolean NOT NULL DEFAULT false,
        is_required boolean NOT NULL DEFAULT true,
        release_offset_days integer NULL,
        release_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_lessons PRIMARY KEY (id),
        CONSTRAINT fk_lessons_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT fk_lessons_module FOREIGN KEY (module_id) REFERENCES ${S}.course_modules (id) ON DELETE CASCADE,
        CONSTRAINT uq_lessons_position UNIQUE (module_id, position) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_lessons_position CHECK (position >= 1),
        CONSTRAINT ck_lessons_title CHECK (length(title) BETWEEN 1 AND 160),
        CONSTRAINT ck_lessons_kind CHECK (content_kind IN ('VIDEO', 'AUDIO', 'SLIDES', 'PDF', 'TEXT')),
        CONSTRAINT ck_lessons_content CHECK (
          (content_kind = 'TEXT' AND body_html IS NOT NULL AND asset_id IS NULL) OR
          (content_kind <> 'TEXT' AND asset_id IS NOT NULL)),
        CONSTRAINT ck_lessons_duration CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
        CONSTRAINT ck_lessons_offset CHECK (release_offset_days IS NULL OR release_offset_days BETWEEN 0 AND 3650),
        CONSTRAINT ck_lessons_release CHECK (release_offset_days IS NULL OR release_at IS NULL)
      )`);
    await queryRunner.query(`CREATE INDEX ix_lessons_course ON ${S}.lessons (course_id)`);
    await queryRunner.query(
      `CREATE INDEX ix_lessons_asset ON ${S}.lessons (asset_id) WHERE asset_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.enrollments (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        user_id uuid NOT NULL,
        status text NOT NULL,
        source text NOT NULL,
        order_id text NULL,
        granted_by uuid NULL,
        invited_at timestamptz NULL,
        activated_at timestamptz NULL,
        completed_at timestamptz NULL,
        cancelled_at timestamptz NULL,
        progress_percent integer NOT NULL DEFAULT 0,
        last_lesson_id uuid NULL,
        last_activity_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrollments PRIMARY KEY (id),
        CONSTRAINT fk_enrollments_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT uq_enrollments_course_user UNIQUE (course_id, user_id),
        CONSTRAINT ck_enrollments_status CHECK (status IN ('INVITED', 'ACTIVE', 'COMPLETED', 'CANCELLED')),
        CONSTRAINT ck_enrollments_source CHECK (source IN ('PURCHASE', 'INSTRUCTOR', 'FREE')),
        CONSTRAINT ck_enrollments_active CHECK (status NOT IN ('ACTIVE', 'COMPLETED') OR activated_at IS NOT NULL),
        CONSTRAINT ck_enrollments_completed CHECK (status <> 'COMPLETED' OR completed_at IS NOT NULL),
        CONSTRAINT ck_enrollments_progress CHECK (progress_percent BETWEEN 0 AND 100)
      )`);
    await queryRunner.query(`CREATE INDEX ix_enrollments_user ON ${S}.enrollments (user_id, created_at, id)`);
    await queryRunner.query(
      `CREATE INDEX ix_enrollments_course ON ${S}.enrollments (course_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.lesson_progress (
        user_id uuid NOT NULL,
        lesson_id uuid NOT NULL,
        course_id uuid NOT NULL,
        position_seconds integer NULL,
        position_page integer NULL,
        completed_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_lesson_progress PRIMARY KEY (user_id, lesson_id),
        CONSTRAINT fk_lesson_progress_lesson FOREIGN KEY (lesson_id) REFERENCES ${S}.lessons (id) ON DELETE CASCADE,
        CONSTRAINT fk_lesson_progress_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT ck_lesson_progress_seconds CHECK (position_seconds IS NULL OR position_seconds >= 0),
        CONSTRAINT ck_lesson_progress_page CHECK (position_page IS NULL OR position_page >= 1)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_lesson_progress_course ON ${S}.lesson_progress (user_id, course_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.certificates (
        id uuid NOT NULL,
        verification_id text NOT NULL,
        enrollment_id uuid NOT NULL,
        course_id uuid NOT NULL,
        user_id uuid NOT NULL,
        course_title text NOT NULL,
        issued_at timestamptz NOT NULL,
        CONSTRAINT pk_certificates PRIMARY KEY (id),
        CONSTRAINT uq_certificates_verification UNIQUE (verification_id),
        CONSTRAINT uq_certificates_enrollment UNIQUE (enrollment_id),
        CONSTRAINT fk_certificates_enrollment FOREIGN KEY (enrollment_id) REFERENCES ${S}.enrollments (id) ON DELETE CASCADE,
        CONSTRAINT ck_certificates_verification CHECK (verification_id ~ '^[A-Z0-9]{16}$')
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'certificates',
      'lesson_progress',
      'enrollments',
      'lessons',
      'course_modules',
      'course_prerequisites',
      'courses',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    await dropEventTables(queryRunner, 'learning');
  }
}
