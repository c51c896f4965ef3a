import { Authenticated, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Enrollment } from '../enrollment/enrollment.type.js';
import type { ProgressResult } from './progress.service.js';
import {
  CompleteLessonInput,
  CourseCertificate,
  LessonProgress,
  LessonProgressPayload,
  SaveLessonPositionInput,
} from './progress.type.js';

const payload = (result: ProgressResult): LessonProgressPayload => ({
  progress: LessonProgress.from(result.progress),
  enrollment: Enrollment.from(result.enrollment),
  certificate: result.certificate ? CourseCertificate.from(result.certificate) : null,
});

@Resolver(() => CourseCertificate)
export class ProgressResolver extends ServicesResolver {
  @Public()
  @Query(() => CourseCertificate, {
    nullable: true,
    description: 'Verifies a certificate by its public id (null when there is none).',
  })
  async certificate(
    @Arg('verificationId', () => String) verificationId: string,
  ): Promise<CourseCertificate | null> {
    const certificate = await this.services.progress.certificateByVerificationId(verificationId);
    return certificate ? CourseCertificate.from(certificate) : null;
  }

  @Authenticated()
  @Mutation(() => LessonProgressPayload, {
    description: 'Saves the position in an open lesson (video seconds, page); it becomes the resume point.',
  })
  async saveLessonPosition(
    @Arg('input', () => SaveLessonPositionInput) input: SaveLessonPositionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LessonProgressPayload> {
    const { lessonId, ...position } = input;
    return payload(await this.services.progress.savePosition(viewerOf(ctx), lessonId, position));
  }

  @Authenticated()
  @Mutation(() => LessonProgressPayload, {
    description: 'Marks an open lesson complete; completing every required lesson issues the certificate.',
  })
  async completeLesson(
    @Arg('input', () => CompleteLessonInput) input: CompleteLessonInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LessonProgressPayload> {
    return payload(await this.services.progress.completeLesson(viewerOf(ctx), input.lessonId));
  }

  @FieldResolver(() => User, { description: 'The learner it was issued to.' })
  holder(@Root() certificate: CourseCertificate): User {
    return { id: certificate.userId };
  }
}
