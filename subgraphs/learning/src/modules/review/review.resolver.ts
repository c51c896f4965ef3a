import { Authenticated, ConnectionArgs, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Course } from '../course/course.type.js';
import {
  CourseRating,
  CourseReview,
  CourseReviewConnection,
  CourseReviewPayload,
  DeleteCourseReviewInput,
  DeleteCourseReviewPayload,
  ReviewCourseInput,
} from './review.type.js';

@Resolver(() => CourseReview)
export class ReviewResolver extends ServicesResolver {
  @Authenticated()
  @Mutation(() => CourseReviewPayload, {
    description: 'Rates (1–5) and reviews a course the viewer is enrolled in; a second call edits it.',
  })
  async reviewCourse(
    @Arg('input', () => ReviewCourseInput) input: ReviewCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseReviewPayload> {
    const review = await this.services.reviews.upsert(
      viewerOf(ctx),
      input.courseId,
      input.rating,
      input.body ?? null,
    );
    return { review: CourseReview.from(review) };
  }

  @Authenticated()
  @Mutation(() => DeleteCourseReviewPayload, {
    description: 'Removes the viewer’s review (admins: anyone’s).',
  })
  async deleteCourseReview(
    @Arg('input', () => DeleteCourseReviewInput) input: DeleteCourseReviewInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteCourseReviewPayload> {
    await this.services.reviews.remove(viewerOf(ctx), input.courseId, input.userId ?? null);
    return { courseId: input.courseId };
  }

  @FieldResolver(() => User)
  author(@Root() review: CourseReview): User {
    return { id: review.userId };
  }
}

@Resolver(() => Course)
export class CourseReviewFieldsResolver extends ServicesResolver {
  @FieldResolver(() => CourseRating)
  rating(@Root() course: Course): CourseRating {
    const { ratingCount, ratingSum } = course.entity;
    return {
      count: ratingCount,
      average: ratingCount === 0 ? null : Math.round((100 * ratingSum) / ratingCount) / 100,
    };
  }

  @FieldResolver(() => CourseReviewConnection, { description: 'Newest first.' })
  async reviews(@Root() course: Course, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return mapConnection(await this.services.reviews.ofCourse(course.id, args), CourseReview.from);
  }

  @FieldResolver(() => CourseReview, { nullable: true, description: 'The viewer’s own review.' })
  async viewerReview(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseReview | null> {
    if (!ctx.viewer) return null;
    const review = await ctx.loaders
      .get(this.services.loaders.viewerReview)
      .load(`${course.id}|${ctx.viewer.userId}`);
    return review ? CourseReview.from(review) : null;
  }
}
