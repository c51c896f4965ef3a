import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learningMigrations } from './index.js';

const INSTRUCTOR = '00000000-0000-4000-8000-000000000001';

describe('learning migrations', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({ schema: 'learning', migrations: learningMigrations });
  });
  afterAll(async () => {
    await m?.close();
  });

  async function course(columns: Record<string, unknown> = {}): Promise<string> {
    const row: Record<string, unknown> = {
      id: randomUUID(),
      instructor_id: INSTRUCTOR,
      slug: `course-${randomUUID().slice(0, 8)}`,
      title: 'A course',
      ...columns,
    };
    const names = Object.keys(row);
    await m.dataSource.query(
      `INSERT INTO "learning".courses (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
    return row['id'] as string;
  }

  it('creates every table', async () => {
    expect(await m.tables()).toEqual([
      'assignment_submissions',
      'assignments',
      'certificates',
      'course_modules',
      'course_prerequisites',
      'course_reviews',
      'courses',
      'ebook_bookmarks',
      'ebook_chapters',
      'ebook_downloads',
      'ebook_highlights',
      'ebook_library',
      'ebook_progress',
      'ebooks',
      'enrollments',
      'inbox',
      'lesson_progress',
      'lessons',
      'migrations',
      'outbox',
      'quiz_attempts',
      'quiz_questions',
      'quizzes',
      'reader_settings',
    ]);
  });

  it('enforces the course shape', async () => {
    await course();
    await expect(course({ slug: 'Not A Slug' })).rejects.toThrow(/ck_courses_slug/);
    await expect(course({ status: 'LIVE' })).rejects.toThrow(/ck_courses_status/);
    await expect(course({ status: 'PUBLISHED' })).rejects.toThrow(/ck_courses_published/);
    await course({ slug: 'taken' });
    await expect(course({ slug: 'taken' })).rejects.toThrow(/uq_courses_slug/);
  });

  it('keeps module positions unique at commit (so a reorder may pass through duplicates)', async () => {
    const courseId = await course();
    const insert = (position: number) =>
      m.dataSource.query(
        `INSERT INTO "learning".course_modules (id, course_id, title, position) VALUES ($1, $2, 'M', $3)`,
        [randomUUID(), courseId, position],
      );
    await insert(1);
    await insert(2);
    await expect(insert(2)).rejects.toThrow(/uq_course_modules_position/);
    await m.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE "learning".course_modules SET position = 3 - position WHERE course_id = $1`,
        [courseId],
      );
    });
  });

  it('requires an asset for media lessons and a body for text lessons, and one drip setting', async () => {
    const courseId = await course();
    const moduleId = randomUUID();
    await m.dataSource.query(
      `INSERT INTO "learning".course_modules (id, course_id, title, position) VALUES ($1, $2, 'M', 1)`,
      [moduleId, courseId],
    );
    const lesson = (kind: string, assetId: string | null, body: string | null, position: number) =>
      m.dataSource.query(
        `INSERT INTO "learning".lessons (id, course_id, module_id, title, position, content_kind, asset_id, body_html)
         VALUES ($1, $2, $3, 'L', $4, $5, $6, $7)`,
        [randomUUID(), courseId, moduleId, position, kind, assetId, body],
      );
    await lesson('TEXT', null, '<p>x</p>', 1);
    await lesson('VIDEO', randomUUID(), null, 2);
    await expect(lesson('VIDEO', null, null, 3)).rejects.toThrow(/ck_lessons_content/);
    await expect(lesson('TEXT', randomUUID(), '<p/>', 3)).rejects.toThrow(/ck_lessons_content/);
    await expect(
      m.dataSource.query(
        `UPDATE "learning".course_modules SET release_offset_days = 3, release_at = now() WHERE id = $1`,
        [moduleId],
      ),
    ).rejects.toThrow(/ck_course_modules_release/);
  });

  it('has one enrollment per learner and course', async () => {
    const courseId = await course();
    const enroll = () =>
      m.dataSource.query(
        `INSERT INTO "learning".enrollments (id, course_id, user_id, status, source, activated_at)
         VALUES ($1, $2, $3, 'ACTIVE', 'FREE', now())`,
        [randomUUID(), courseId, INSTRUCTOR],
      );
    await enroll();
    await expect(enroll()).rejects.toThrow(/uq_enrollments_course_user/);
  });

  it('keeps one review per learner, ratings 1–5 and a consistent rating aggregate', async () => {
    const courseId = await course();
    const review = (rating: number) =>
      m.dataSource.query(
        `INSERT INTO "learning".course_reviews (id, course_id, user_id, rating) VALUES ($1, $2, $3, $4)`,
        [randomUUID(), courseId, INSTRUCTOR, rating],
      );
    await expect(review(6)).rejects.toThrow(/ck_course_reviews_rating/);
    await review(5);
    await expect(review(4)).rejects.toThrow(/uq_course_reviews_course_user/);
    await expect(
      m.dataSource.query(`UPDATE "learning".courses SET rating_count = 1, rating_sum = 6 WHERE id = $1`, [
        courseId,
      ]),
    ).rejects.toThrow(/ck_courses_rating/);
  });

  it('needs an answer key for every quiz question, and one open attempt per learner', async () => {
    const courseId = await course();
    const moduleId = randomUUID();
    const quizId = randomUUID();
    await m.dataSource.query(
      `INSERT INTO "learning".course_modules (id, course_id, title, position) VALUES ($1, $2, 'M', 1)`,
      [moduleId, courseId],
    );
    await m.dataSource.query(
      `INSERT INTO "learning".quizzes (id, course_id, module_id, title, pass_percent) VALUES ($1, $2, $3, 'Q', 50)`,
      [quizId, courseId, moduleId],
    );
    const question = (kind: string, correct: string[], accepted: string[], position: number) =>
      m.dataSource.query(
        `INSERT INTO "learning".quiz_questions (id, quiz_id, position, kind, prompt, correct_option_ids, accepted_answers)
         VALUES ($1, $2, $3, $4, 'Why?', $5, $6)`,
        [randomUUID(), quizId, position, kind, correct, accepted],
      );
    await question('SINGLE_CHOICE', ['a'], [], 1);
    await question('SHORT_ANSWER', [], ['42'], 2);
    await expect(question('SHORT_ANSWER', ['a'], [], 3)).rejects.toThrow(/ck_quiz_questions_key/);
    await expect(question('MULTIPLE_CHOICE', [], [], 3)).rejects.toThrow(/ck_quiz_questions_key/);
    const attempt = (number: number) =>
      m.dataSource.query(
        `INSERT INTO "learning".quiz_attempts (id, quiz_id, course_id, user_id, number, started_at, max_score)
         VALUES ($1, $2, $3, $4, $5, now(), 2)`,
        [randomUUID(), quizId, courseId, INSTRUCTOR, number],
      );
    await attempt(1);
    await expect(attempt(2)).rejects.toThrow(/uq_quiz_attempts_open/);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toContain('courses');
  });
});
