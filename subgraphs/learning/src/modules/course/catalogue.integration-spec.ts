import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

let h: LearningHarness;
let learner: TestUser;
const instructors: string[] = [];

/** 60 published courses (3 modules × 2 lessons each), 5 drafts, by 10 instructors — inserted directly. */
async function seed(): Promise<void> {
  for (let i = 0; i < 10; i += 1) instructors.push(randomUUID());
  const base = Date.UTC(2026, 0, 1);
  for (let c = 0; c < 65; c += 1) {
    const id = randomUUID();
    const published = c < 60;
    await h.dataSource.query(
      `INSERT INTO learning.courses (id, instructor_id, slug, title, status, published_at, is_free, tags, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        instructors[c % 10],
        `catalogue-${c}`,
        `Catalogue ${c}`,
        published ? 'PUBLISHED' : 'DRAFT',
        published ? new Date(base) : null,
        c % 2 === 0,
        c % 3 === 0 ? ['data'] : ['web'],
        new Date(base + c * 60_000),
      ],
    );
    for (let m = 1; m <= 3; m += 1) {
      const moduleId = randomUUID();
      await h.dataSource.query(
        `INSERT INTO learning.course_modules (id, course_id, title, position) VALUES ($1, $2, $3, $4)`,
        [moduleId, id, `M${m}`, m],
      );
      for (let l = 1; l <= 2; l += 1)
        await h.dataSource.query(
          `INSERT INTO learning.lessons (id, course_id, module_id, title, position, content_kind, body_html, is_preview)
           VALUES ($1, $2, $3, $4, $5, 'TEXT', '<p>x</p>', $6)`,
          [randomUUID(), id, moduleId, `L${m}.${l}`, l, l === 1 && m === 1],
        );
    }
  }
}

beforeAll(async () => {
  h = await createLearningHarness('catalogue');
  learner = await h.user(['LEARNER']);
  await seed();
});
afterAll(async () => {
  await h?.close();
});

const PAGE = `query($first: Int, $after: String, $filter: CoursesFilter) {
  courses(first: $first, after: $after, filter: $filter) {
    edges { cursor node {
      id title slug status lessonCount isFree
      instructor { id }
      viewerEnrollment { id }
      modules { id title position access { locked } lessons { id title isPreview access { state locked unlocksAt } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  courses: {
    edges: {
      node: {
        id: string;
        title: string;
        status: string;
        lessonCount: number;
        instructor: { id: string };
        modules: { lessons: { isPreview: boolean; access: { state: string } }[] }[];
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe('catalogue', () => {
  it('a page of 50 courses with modules, lesson counts, lesson access and instructors costs a bounded number of SQL queries', async () => {
    const small = await h.counter.measure(() => h.gql<Page>(PAGE, { first: 5 }, learner));
    const large = await h.counter.measure(() => h.gql<Page>(PAGE, { first: 50 }, learner));
    expect(large.result.errors).toBeUndefined();
    const edges = large.result.data!.courses.edges;
    expect(edges).toHaveLength(50);
    expect(edges[0]!.node).toMatchObject({ title: 'Catalogue 59', status: 'PUBLISHED', lessonCount: 6 });
    expect(new Set(edges.map((e) => e.node.instructor.id))).toEqual(new Set(instructors));
    // Not enrolled: only the free preview lesson is open.
    const states = edges[0]!.node.modules.flatMap((m) =>
      m.lessons.map((l) => `${l.isPreview}:${l.access.state}`),
    );
    expect(states).toEqual(['true:OPEN', ...Array.from({ length: 5 }, () => 'false:ENROLLMENT_REQUIRED')]);
    // courses, modules, lessons, lesson counts, the viewer's enrollments: the same count whatever the page size.
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(5);
  });

  it('pages through every published course once, newest first, and hides drafts', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: { data?: Page | null } = await h.gql<Page>(PAGE, { first: 25, after }, null);
      const page: Page['courses'] = result.data!.courses;
      seen.push(...page.edges.map((e) => e.node.title));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen[0]).toBe('Catalogue 59');
    expect(seen).not.toContain('Catalogue 60');
  });

  it('filters by instructor, tag, price and words; the page size is capped', async () => {
    const byInstructor = await h.gql<Page>(
      PAGE,
      { first: 100, filter: { instructorId: instructors[3] } },
      null,
    );
    expect(byInstructor.data!.courses.edges).toHaveLength(6);
    const byTag = await h.gql<Page>(PAGE, { first: 100, filter: { tag: 'DATA', isFree: true } }, null);
    expect(byTag.data!.courses.edges.map((e) => e.node.title).sort()).toEqual(
      [
        'Catalogue 0',
        'Catalogue 12',
        'Catalogue 18',
        'Catalogue 24',
        'Catalogue 30',
        'Catalogue 36',
        'Catalogue 42',
        'Catalogue 48',
        'Catalogue 54',
        'Catalogue 6',
      ].sort(),
    );
    const bySearch = await h.gql<Page>(PAGE, { first: 100, filter: { search: 'catalogue 5' } }, null);
    expect(bySearch.data!.courses.edges.map((e) => e.node.title).sort()).toEqual(
      ['Catalogue 5', ...Array.from({ length: 10 }, (_, i) => `Catalogue 5${i}`)].sort(),
    );
    expect(codes(await h.gql(PAGE, { first: 101 }, null))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(PAGE, { first: 10, after: 'garbage' }, null))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(PAGE, { filter: { mine: true } }, null))).toEqual(['FORBIDDEN']);
  });
});
