import { ok, type Actor } from './actors.js';
import type { TestPlatform } from './test-platform.js';

type Platform = Pick<TestPlatform, 'graphql' | 'databaseUrl'>;

export type CourseSpec = {
  title: string;
  summary: string;
  /** One module with these TEXT lessons, in order. */
  lessons: { title: string; bodyHtml: string }[];
  /** Minor units; without it the course is free. */
  price?: { amount: number; currency: string };
};

/**
 * A course as an instructor builds it through the API (one module of text lessons), approved by an admin and,
 * when priced, put on sale through commerce. Returns the course's id and slug.
 */
export async function createPublishedCourse(
  platform: Platform,
  teacher: Actor,
  admin: Actor,
  spec: CourseSpec,
): Promise<{ id: string; slug: string }> {
  const { createCourse } = await ok<{ createCourse: { course: { id: string; slug: string } } }>(
    platform,
    `mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id slug } } }`,
    { input: { title: spec.title, summary: spec.summary, level: 'BEGINNER', isFree: !spec.price } },
    teacher.token,
  );
  const course = createCourse.course;
  const { addCourseModule } = await ok<{ addCourseModule: { module: { id: string } } }>(
    platform,
    `mutation($id: ID!) { addCourseModule(input: { courseId: $id, title: "Start here" }) { module { id } } }`,
    { id: course.id },
    teacher.token,
  );
  for (const lesson of spec.lessons)
    await ok(
      platform,
      `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`,
      { input: { moduleId: addCourseModule.module.id, contentKind: 'TEXT', ...lesson } },
      teacher.token,
    );
  await ok(
    platform,
    `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { id } } }`,
    { id: course.id },
    teacher.token,
  );
  await ok(
    platform,
    `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { id } } }`,
    { id: course.id },
    admin.token,
  );
  if (spec.price)
    await ok(
      platform,
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
      { input: { kind: 'COURSE', refId: course.id, title: spec.title, ...spec.price } },
      teacher.token,
    );
  return course;
}
