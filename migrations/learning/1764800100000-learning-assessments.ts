import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"learning"';

/**
 * Assessments and reviews: assignments (instructions, rubric, max score, due offset) with submissions and
 * grading; quizzes (single/multiple choice, short answer) with attempts, limits and auto-grading; one review per
 * learner and course, with the course's rating aggregate kept on the course row.
 */
export class LearningAssessments1764800100000 implements MigrationInterface {
  name = 'LearningAssessments1764800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ${S}.courses
        ADD COLUMN rating_count integer NOT NULL DEFAULT 0,
        ADD COLUMN rating_sum integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT ck_courses_rating CHECK (rating_count >= 0 AND rating_sum BETWEEN rating_count AND 5 * rating_count)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.course_reviews (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        user_id uuid NOT NULL,
        rating smallint NOT NULL,
        body text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_course_reviews PRIMARY KEY (id),
        CONSTRAINT fk_course_reviews_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT uq_course_reviews_course_user UNIQUE (course_id, user_id),
        CONSTRAINT ck_course_reviews_rating CHECK (rating BETWEEN 1 AND 5),
        CONSTRAINT ck_course_reviews_body CHECK (length(body) <= 5000)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_course_reviews_course ON ${S}.course_reviews (course_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.assignments (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        module_id uuid NOT NULL,
        title text NOT NULL,
        instructions_html text NOT NULL,
        max_score integer NOT NULL,
        pass_score integer NULL,
        rubric jsonb NOT NULL DEFAULT '[]',
        due_offset_days integer NULL,
        is_required boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_assignments PRIMARY KEY (id),
        CONSTRAINT fk_assignments_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT fk_assignments_module FOREIGN KEY (module_id) REFERENCES ${S}.course_modules (id) ON DELETE CASCADE,
        CONSTRAINT ck_assignments_title CHECK (length(title) BETWEEN 1 AND 160),
        CONSTRAINT ck_assignments_max_score CHECK (max_score BETWEEN 1 AND 1000),
        CONSTRAINT ck_assignments_pass_score CHECK (pass_score IS NULL OR pass_score BETWEEN 0 AND max_score),
        CONSTRAINT ck_assignments_due CHECK (due_offset_days IS NULL OR due_offset_days BETWEEN 0 AND 3650)
      )`);
    await queryRunner.query(`CREATE INDEX ix_assignments_course ON ${S}.assignments (course_id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.assignment_submissions (
        id uuid NOT NULL,
        assignment_id uuid NOT NULL,
        course_id uuid NOT NULL,
        user_id uuid NOT NULL,
        attempt integer NOT NULL,
        body_html text NOT NULL DEFAULT '',
        asset_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'SUBMITTED',
        score integer NULL,
        feedback text NULL,
        graded_by uuid NULL,
        graded_at timestamptz NULL,
        submitted_at timestamptz NOT NULL,
        late boolean NOT NULL DEFAULT false,
        CONSTRAINT pk_assignment_submissions PRIMARY KEY (id),
        CONSTRAINT fk_assignment_submissions_assignment FOREIGN KEY (assignment_id) REFERENCES ${S}.assignments (id) ON DELETE CASCADE,
        CONSTRAINT uq_assignment_submissions_attempt UNIQUE (assignment_id, user_id, attempt),
        CONSTRAINT ck_assignment_submissions_status CHECK (status IN ('SUBMITTED', 'GRADED')),
        CONSTRAINT ck_assignment_submissions_graded CHECK ((status = 'GRADED') = (score IS NOT NULL AND graded_at IS NOT NULL)),
        CONSTRAINT ck_assignment_submissions_assets CHECK (cardinality(asset_ids) <= 10)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_assignment_submissions_user ON ${S}.assignment_submissions (user_id, course_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.quizzes (
        id uuid NOT NULL,
        course_id uuid NOT NULL,
        module_id uuid NOT NULL,
        title text NOT NULL,
        pass_percent integer NOT NULL,
        attempt_limit integer NULL,
        time_limit_seconds integer NULL,
        is_required boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_quizzes PRIMARY KEY (id),
        CONSTRAINT fk_quizzes_course FOREIGN KEY (course_id) REFERENCES ${S}.courses (id) ON DELETE CASCADE,
        CONSTRAINT fk_quizzes_module FOREIGN KEY (module_id) REFERENCES ${S}.course_modules (id) ON DELETE CASCADE,
        CONSTRAINT ck_quizzes_title CHECK (length(title) BETWEEN 1 AND 160),
        CONSTRAINT ck_quizzes_pass CHECK (pass_percent BETWEEN 0 AND 100),
        CONSTRAINT ck_quizzes_attempts CHECK (attempt_limit IS NULL OR attempt_limit BETWEEN 1 AND 100),
        CONSTRAINT ck_quizzes_time CHECK (time_limit_seconds IS NULL OR time_limit_seconds BETWEEN 30 AND 86400)
      )`);
    await queryRunner.query(`CREATE INDEX ix_quizzes_course ON ${S}.quizzes (course_id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.quiz_questions (
        id uuid NOT NULL,
        quiz_id uuid NOT NULL,
        position integer NOT NULL,
        kind text NOT NULL,
        prompt text NOT NULL,
        options jsonb NOT NULL DEFAULT '[]',
        correct_option_ids text[] NOT NULL DEFAULT '{}',
        accepted_answers text[] NOT NULL DEFAULT '{}',
        points integer NOT NULL DEFAULT 1,
        CONSTRAINT pk_quiz_questions PRIMARY KEY (id),
        CONSTRAINT fk_quiz_questions_quiz FOREIGN KEY (quiz_id) REFERENCES ${S}.quizzes (id) ON DELETE CASCADE,
        CONSTRAINT uq_quiz_questions_position UNIQUE (quiz_id, position) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_quiz_questions_kind CHECK (kind IN ('SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'SHORT_ANSWER')),
        CONSTRAINT ck_quiz_questions_points CHECK (points BETWEEN 1 AND 100),
        CONSTRAINT ck_quiz_questions_key CHECK (
          (kind = 'SHORT_ANSWER' AND cardinality(accepted_answers) >= 1) OR
          (kind <> 'SHORT_ANSWER' AND cardinality(correct_option_ids) >= 1))
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.quiz_attempts (
        id uuid NOT NULL,
        quiz_id uuid NOT NULL,
        course_id uuid NOT NULL,
        user_id uuid NOT NULL,
        number integer NOT NULL,
        started_at timestamptz NOT NULL,
        deadline_at timestamptz NULL,
        submitted_at timestamptz NULL,
        answers jsonb NULL,
        score integer NULL,
        max_score integer NOT NULL,
        percent integer NULL,
        passed boolean NULL,
        expired boolean NOT NULL DEFAULT false,
        CONSTRAINT pk_quiz_attempts PRIMARY KEY (id),
        CONSTRAINT fk_quiz_attempts_quiz FOREIGN KEY (quiz_id) REFERENCES ${S}.quizzes (id) ON DELETE CASCADE,
        CONSTRAINT uq_quiz_attempts_number UNIQUE (quiz_id, user_id, number),
        CONSTRAINT ck_quiz_attempts_submitted CHECK ((submitted_at IS NULL) = (score IS NULL) AND (score IS NULL) = (passed IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_quiz_attempts_user ON ${S}.quiz_attempts (user_id, course_id)`);
    // At most one open attempt per learner and quiz.
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_quiz_attempts_open ON ${S}.quiz_attempts (quiz_id, user_id) WHERE submitted_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'quiz_attempts',
      'quiz_questions',
      'quizzes',
      'assignment_submissions',
      'assignments',
      'course_reviews',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    await queryRunner.query(
      `ALTER TABLE ${S}.courses DROP CONSTRAINT ck_courses_rating, DROP COLUMN rating_sum, DROP COLUMN rating_count`,
    );
  }
}
