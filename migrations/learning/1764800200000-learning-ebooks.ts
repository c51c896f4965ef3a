import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"learning"';

/**
 * Ebooks: chapters (sanitised HTML with word counts), the readers' library (purchase or free), reader settings,
 * highlights, bookmarks, reading progress, and watermarked downloads (capped per user by configuration).
 */
export class LearningEbooks1764800200000 implements MigrationInterface {
  name = 'LearningEbooks1764800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.ebooks (
        id uuid NOT NULL,
        author_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        language text NOT NULL DEFAULT 'en',
        is_free boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'DRAFT',
        published_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ebooks PRIMARY KEY (id),
        CONSTRAINT ck_ebooks_title CHECK (length(title) BETWEEN 1 AND 200),
        CONSTRAINT ck_ebooks_status CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
        CONSTRAINT ck_ebooks_published CHECK (status = 'DRAFT' OR published_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX ix_ebooks_status ON ${S}.ebooks (status, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_ebooks_author ON ${S}.ebooks (author_id, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_chapters (
        id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        body_html text NOT NULL,
        word_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ebook_chapters PRIMARY KEY (id),
        CONSTRAINT fk_ebook_chapters_ebook FOREIGN KEY (ebook_id) REFERENCES ${S}.ebooks (id) ON DELETE CASCADE,
        CONSTRAINT uq_ebook_chapters_position UNIQUE (ebook_id, position) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_ebook_chapters_position CHECK (position >= 1),
        CONSTRAINT ck_ebook_chapters_words CHECK (word_count >= 0)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_library (
        user_id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        source text NOT NULL,
        order_id text NULL,
        acquired_at timestamptz NOT NULL,
        CONSTRAINT pk_ebook_library PRIMARY KEY (user_id, ebook_id),
        CONSTRAINT fk_ebook_library_ebook FOREIGN KEY (ebook_id) REFERENCES ${S}.ebooks (id) ON DELETE CASCADE,
        CONSTRAINT ck_ebook_library_source CHECK (source IN ('PURCHASE', 'FREE'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_ebook_library_user ON ${S}.ebook_library (user_id, acquired_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.reader_settings (
        user_id uuid NOT NULL,
        theme text NOT NULL DEFAULT 'LIGHT',
        font_size integer NOT NULL DEFAULT 16,
        line_height numeric(3, 2) NOT NULL DEFAULT 1.5,
        font_family text NOT NULL DEFAULT 'SERIF',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_reader_settings PRIMARY KEY (user_id),
        CONSTRAINT ck_reader_settings_theme CHECK (theme IN ('LIGHT', 'DARK', 'SEPIA')),
        CONSTRAINT ck_reader_settings_font_size CHECK (font_size BETWEEN 10 AND 40),
        CONSTRAINT ck_reader_settings_line_height CHECK (line_height BETWEEN 1.0 AND 3.0),
        CONSTRAINT ck_reader_settings_font CHECK (font_family IN ('SERIF', 'SANS_SERIF', 'MONOSPACE', 'DYSLEXIC'))
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_highlights (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        chapter_id uuid NOT NULL,
        start_offset integer NOT NULL,
        end_offset integer NOT NULL,
        text text NOT NULL,
        colour text NOT NULL,
        note text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ebook_highlights PRIMARY KEY (id),
        CONSTRAINT fk_ebook_highlights_chapter FOREIGN KEY (chapter_id) REFERENCES ${S}.ebook_chapters (id) ON DELETE CASCADE,
        CONSTRAINT ck_ebook_highlights_range CHECK (start_offset >= 0 AND end_offset > start_offset),
        CONSTRAINT ck_ebook_highlights_colour CHECK (colour IN ('YELLOW', 'GREEN', 'BLUE', 'PINK', 'PURPLE'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_ebook_highlights_user ON ${S}.ebook_highlights (user_id, ebook_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_bookmarks (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        chapter_id uuid NOT NULL,
        "offset" integer NOT NULL,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ebook_bookmarks PRIMARY KEY (id),
        CONSTRAINT fk_ebook_bookmarks_chapter FOREIGN KEY (chapter_id) REFERENCES ${S}.ebook_chapters (id) ON DELETE CASCADE,
        CONSTRAINT uq_ebook_bookmarks_place UNIQUE (user_id, chapter_id, "offset"),
        CONSTRAINT ck_ebook_bookmarks_offset CHECK ("offset" >= 0)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_progress (
        user_id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        chapter_id uuid NOT NULL,
        "offset" integer NOT NULL,
        percent integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ebook_progress PRIMARY KEY (user_id, ebook_id),
        CONSTRAINT fk_ebook_progress_ebook FOREIGN KEY (ebook_id) REFERENCES ${S}.ebooks (id) ON DELETE CASCADE,
        CONSTRAINT ck_ebook_progress_percent CHECK (percent BETWEEN 0 AND 100)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.ebook_downloads (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        ebook_id uuid NOT NULL,
        watermark text NOT NULL,
        issued_at timestamptz NOT NULL,
        CONSTRAINT pk_ebook_downloads PRIMARY KEY (id),
        CONSTRAINT fk_ebook_downloads_ebook FOREIGN KEY (ebook_id) REFERENCES ${S}.ebooks (id) ON DELETE CASCADE,
        CONSTRAINT ck_ebook_downloads_watermark CHECK (watermark ~ '^[0-9a-f]{64}$')
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_ebook_downloads_user ON ${S}.ebook_downloads (user_id, ebook_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'ebook_downloads',
      'ebook_progress',
      'ebook_bookmarks',
      'ebook_highlights',
      'reader_settings',
      'ebook_library',
      'ebook_chapters',
      'ebooks',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
  }
}
