import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * The community feed: posts (sanitised rich text, tags, mentions, attachments, pinned, announcements,
 * scheduled publishing, moderation state, paid-tier gating; comment and reaction counts and the TOP
 * score kept in the row), threaded comments (depth ≤ 3, ancestors stored), reactions (one per user,
 * target and emoji) with per-emoji counts, polls (options, votes, counts), the resource library and
 * the classroom (learning courses linked to a community).
 */
export class CommunityFeed1764900200000 implements MigrationInterface {
  name = 'CommunityFeed1764900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.posts (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        author_id uuid NOT NULL,
        title text NULL,
        body text NOT NULL,
        excerpt text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}',
        mention_user_ids uuid[] NOT NULL DEFAULT '{}',
        mention_handles text[] NOT NULL DEFAULT '{}',
        attachment_asset_ids uuid[] NOT NULL DEFAULT '{}',
        announcement boolean NOT NULL DEFAULT false,
        pinned_at timestamptz NULL,
        pinned_by_id uuid NULL,
        publish_at timestamptz NOT NULL,
        published_at timestamptz NULL,
        moderation_state text NOT NULL DEFAULT 'VISIBLE',
        required_tier_id uuid NULL,
        comment_count integer NOT NULL DEFAULT 0,
        reaction_count integer NOT NULL DEFAULT 0,
        score integer GENERATED ALWAYS AS (reaction_count + 2 * comment_count) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz NULL,
        deleted_at timestamptz NULL,
        deleted_by_id uuid NULL,
        CONSTRAINT pk_posts PRIMARY KEY (id),
        CONSTRAINT fk_posts_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_posts_title CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200),
        CONSTRAINT ck_posts_body CHECK (length(body) BETWEEN 1 AND 16000),
        CONSTRAINT ck_posts_tags CHECK (cardinality(tags) <= 12),
        CONSTRAINT ck_posts_mentions CHECK (cardinality(mention_user_ids) <= 50 AND cardinality(mention_handles) <= 50),
        CONSTRAINT ck_posts_attachments CHECK (cardinality(attachment_asset_ids) <= 10),
        CONSTRAINT ck_posts_moderation_state CHECK (moderation_state IN ('VISIBLE', 'PENDING_REVIEW', 'SUPPRESSED', 'REMOVED')),
        CONSTRAINT ck_posts_counts CHECK (comment_count >= 0 AND reaction_count >= 0),
        CONSTRAINT ck_posts_pinned CHECK ((pinned_at IS NULL) = (pinned_by_id IS NULL))
      )`);
    // NEW: newest published first; TOP: score within a window; pinned on the first page; tag filter.
    await queryRunner.query(
      `CREATE INDEX ix_posts_feed_new ON ${S}.posts (community_id, publish_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_posts_feed_top ON ${S}.posts (community_id, score DESC, publish_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_posts_pinned ON ${S}.posts (community_id, pinned_at DESC) WHERE pinned_at IS NOT NULL AND deleted_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_posts_tags ON ${S}.posts USING gin (tags)`);
    await queryRunner.query(
      `CREATE INDEX ix_posts_unpublished ON ${S}.posts (publish_at) WHERE published_at IS NULL AND deleted_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_posts_author ON ${S}.posts (author_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.comments (
        id uuid NOT NULL,
        post_id uuid NOT NULL,
        community_id uuid NOT NULL,
        author_id uuid NOT NULL,
        parent_id uuid NULL,
        ancestor_ids uuid[] NOT NULL DEFAULT '{}',
        depth integer NOT NULL DEFAULT 0,
        body text NOT NULL,
        mention_user_ids uuid[] NOT NULL DEFAULT '{}',
        mention_handles text[] NOT NULL DEFAULT '{}',
        moderation_state text NOT NULL DEFAULT 'VISIBLE',
        reply_count integer NOT NULL DEFAULT 0,
        reaction_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz NULL,
        deleted_at timestamptz NULL,
        deleted_by_id uuid NULL,
        CONSTRAINT pk_comments PRIMARY KEY (id),
        CONSTRAINT fk_comments_post FOREIGN KEY (post_id) REFERENCES ${S}.posts (id) ON DELETE CASCADE,
        CONSTRAINT fk_comments_parent FOREIGN KEY (parent_id) REFERENCES ${S}.comments (id) ON DELETE CASCADE,
        CONSTRAINT ck_comments_body CHECK (length(body) BETWEEN 1 AND 8000),
        CONSTRAINT ck_comments_depth CHECK (depth BETWEEN 0 AND 2 AND cardinality(ancestor_ids) = depth AND (parent_id IS NULL) = (depth = 0)),
        CONSTRAINT ck_comments_mentions CHECK (cardinality(mention_user_ids) <= 50 AND cardinality(mention_handles) <= 50),
        CONSTRAINT ck_comments_moderation_state CHECK (moderation_state IN ('VISIBLE', 'PENDING_REVIEW', 'SUPPRESSED', 'REMOVED')),
        CONSTRAINT ck_comments_counts CHECK (reply_count >= 0 AND reaction_count >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_comments_thread ON ${S}.comments (post_id, parent_id, created_at, id) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_comments_ancestors ON ${S}.comments USING gin (ancestor_ids)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.reactions (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        post_id uuid NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        user_id uuid NOT NULL,
        emoji text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_reactions PRIMARY KEY (id),
        CONSTRAINT uq_reactions_user_target_emoji UNIQUE (target_type, target_id, user_id, emoji),
        CONSTRAINT fk_reactions_post FOREIGN KEY (post_id) REFERENCES ${S}.posts (id) ON DELETE CASCADE,
        CONSTRAINT ck_reactions_target_type CHECK (target_type IN ('POST', 'COMMENT')),
        CONSTRAINT ck_reactions_emoji CHECK (length(emoji) BETWEEN 1 AND 32)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_reactions_user ON ${S}.reactions (user_id, target_type, target_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}.reaction_counts (
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        emoji text NOT NULL,
        count integer NOT NULL,
        first_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_reaction_counts PRIMARY KEY (target_type, target_id, emoji),
        CONSTRAINT ck_reaction_counts_count CHECK (count >= 0)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.polls (
        post_id uuid NOT NULL,
        mode text NOT NULL,
        closes_at timestamptz NULL,
        results_hidden_until_voted boolean NOT NULL DEFAULT false,
        voter_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_polls PRIMARY KEY (post_id),
        CONSTRAINT fk_polls_post FOREIGN KEY (post_id) REFERENCES ${S}.posts (id) ON DELETE CASCADE,
        CONSTRAINT ck_polls_mode CHECK (mode IN ('SINGLE', 'MULTIPLE')),
        CONSTRAINT ck_polls_voter_count CHECK (voter_count >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.poll_options (
        id uuid NOT NULL,
        post_id uuid NOT NULL,
        position integer NOT NULL,
        label text NOT NULL,
        vote_count integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_poll_options PRIMARY KEY (id),
        CONSTRAINT uq_poll_options_position UNIQUE (post_id, position),
        CONSTRAINT fk_poll_options_poll FOREIGN KEY (post_id) REFERENCES ${S}.polls (post_id) ON DELETE CASCADE,
        CONSTRAINT ck_poll_options_position CHECK (position BETWEEN 0 AND 9),
        CONSTRAINT ck_poll_options_label CHECK (length(label) BETWEEN 1 AND 100),
        CONSTRAINT ck_poll_options_vote_count CHECK (vote_count >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${S}.poll_votes (
        post_id uuid NOT NULL,
        option_id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_poll_votes PRIMARY KEY (option_id, user_id),
        CONSTRAINT fk_poll_votes_option FOREIGN KEY (option_id) REFERENCES ${S}.poll_options (id) ON DELETE CASCADE,
        CONSTRAINT fk_poll_votes_poll FOREIGN KEY (post_id) REFERENCES ${S}.polls (post_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_poll_votes_voter ON ${S}.poll_votes (post_id, user_id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.resources (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        asset_id uuid NULL,
        url text NULL,
        folder text NULL,
        required_tier_id uuid NULL,
        created_by_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_resources PRIMARY KEY (id),
        CONSTRAINT fk_resources_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_resources_title CHECK (length(title) BETWEEN 1 AND 200),
        CONSTRAINT ck_resources_description CHECK (length(description) <= 2000),
        CONSTRAINT ck_resources_target CHECK ((asset_id IS NULL) <> (url IS NULL)),
        CONSTRAINT ck_resources_url CHECK (url IS NULL OR (url LIKE 'https://%' AND length(url) <= 2000)),
        CONSTRAINT ck_resources_folder CHECK (folder IS NULL OR length(folder) BETWEEN 1 AND 60)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_resources_community ON ${S}.resources (community_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_resources_folder ON ${S}.resources (community_id, folder, created_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.community_courses (
        community_id uuid NOT NULL,
        course_id uuid NOT NULL,
        position integer NOT NULL,
        added_by_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_community_courses PRIMARY KEY (community_id, course_id),
        CONSTRAINT fk_community_courses_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_community_courses_position CHECK (position >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_community_courses_order ON ${S}.community_courses (community_id, position, course_id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_community_courses_course ON ${S}.community_courses (course_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'community_courses',
      'resources',
      'poll_votes',
      'poll_options',
      'polls',
      'reaction_counts',
      'reactions',
      'comments',
      'posts',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
  }
}
