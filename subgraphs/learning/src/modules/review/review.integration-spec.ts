import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

let h: LearningHarness;
let instructor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('review');
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const REVIEW = `mutation($input: ReviewCourseInput!) { reviewCourse(input: $input) { review { id rating body author { id } } } }`;
const DELETE = `mutation($input: DeleteCourseReviewInput!) { deleteCourseReview(input: $input) { courseId } }`;
const RATING = `query($id: ID!) {
  course(id: $id) { rating { average count } reviews(first: 10) { edges { node { rating body author { id } } } } viewerReview { rating } }
}`;

describe('reviews', () => {
  it('one rating and review per enrolled learner; the course shows the aggregate', async () => {
    const course = await h.publishedCourse(instructor, admin, { isFree: true });
    const [a, b, c] = [await h.user(), await h.user(), await h.user()];
    for (const learner of [a, b])
      await h.ok(
        `mutation($id: ID!) { enrollInCourse(input: { courseId: $id }) { enrollment { id } } }`,
        { id: course.courseId },
        learner,
      );
    // Not enrolled: refused, nothing counted.
    expect(codes(await h.gql(REVIEW, { input: { courseId: course.courseId, rating: 5 } }, c))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      codes(await h.gql(REVIEW, { input: { courseId: course.courseId, rating: 5 } }, instructor)),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(REVIEW, { input: { courseId: course.courseId, rating: 6 } }, a))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await h.gql(REVIEW, { input: { courseId: course.courseId, rating: 5 } }, null))).toEqual([
      'UNAUTHENTICATED',
    ]);

    await h.ok(REVIEW, { input: { courseId: course.courseId, rating: 5, body: 'Great' } }, a);
    await h.ok(REVIEW, { input: { courseId: course.courseId, rating: 2, body: 'Too fast' } }, b);
    // A second review by the same learner edits the first.
    const edited = await h.ok<{ reviewCourse: { review: { rating: number; body: string } } }>(
      REVIEW,
      { input: { courseId: course.courseId, rating: 3, body: 'Better on a second look' } },
      b,
    );
    expect(edited.reviewCourse.review).toMatchObject({ rating: 3, body: 'Better on a second look' });
    const seen = await h.ok<{
      course: {
        rating: { average: number; count: number };
        reviews: { edges: unknown[] };
        viewerReview: { rating: number } | null;
      };
    }>(RATING, { id: course.courseId }, b);
    expect(seen.course.rating).toEqual({ average: 4, count: 2 });
    expect(seen.course.reviews.edges).toHaveLength(2);
    expect(seen.course.viewerReview).toEqual({ rating: 3 });

    expect(codes(await h.gql(DELETE, { input: { courseId: course.courseId, userId: a.id } }, b))).toEqual([
      'FORBIDDEN',
    ]);
    await h.ok(DELETE, { input: { courseId: course.courseId } }, b);
    await h.ok(REVIEW, { input: { courseId: course.courseId, rating: 4 } }, b);
    await h.ok(DELETE, { input: { courseId: course.courseId, userId: a.id } }, admin);
    const after = await h.ok<{ course: { rating: { average: number; count: number } } }>(
      RATING,
      { id: course.courseId },
      null,
    );
    expect(after.course.rating).toEqual({ average: 4, count: 1 });
    const [row] = (await h.dataSource.query(
      `SELECT rating_count, rating_sum, (SELECT count(*)::int FROM learning.course_reviews WHERE course_id = $1) AS reviews
       FROM learning.courses WHERE id = $1`,
      [course.courseId],
    )) as { rating_count: number; rating_sum: number; reviews: number }[];
    expect(row).toEqual({ rating_count: 1, rating_sum: 4, reviews: 1 });
  });
});
