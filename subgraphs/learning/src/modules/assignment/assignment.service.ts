import { randomUUID } from 'node:crypto';
import { BadUserInputError, ForbiddenError, NotFoundError, recordEvent, type Viewer } from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import { DAY_MS, type Clock } from '../../common/clock.js';
import { InvalidCourseStateError, LimitReachedError } from '../../common/learning.errors.js';
import { sanitizeLessonHtml } from '../../common/sanitize.js';
import { assertUuid, intInRange, isUuid, text } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { learnerContext, staffCourse } from '../assessment-access.js';
import { CourseModuleEntity } from '../curriculum/curriculum.entity.js';
import type { EnrollmentEntity } from '../enrollment/enrollment.entity.js';
import type { ProgressService } from '../progress/progress.service.js';
import { QuizAttemptEntity, QuizEntity } from '../quiz/quiz.entity.js';
import { AssignmentEntity, SubmissionEntity, type RubricCriterion } from './assignment.entity.js';

export const MAX_SUBMISSIONS = 20;

export type AssignmentFields = {
  title?: string | null;
  instructionsHtml?: string | null;
  maxScore?: number | null;
  passScore?: number | null;
  rubric?: { title: string; description?: string | null; points: number }[] | null;
  dueOffsetDays?: number | null;
  isRequired?: boolean | null;
};

/** When an assignment is due for a learner (null: no due date). */
export function dueAt(
  assignment: Pick<AssignmentEntity, 'dueOffsetDays'>,
  activatedAt: Date | null,
): Date | null {
  if (assignment.dueOffsetDays === null || !activatedAt) return null;
  return new Date(activatedAt.getTime() + assignment.dueOffsetDays * DAY_MS);
}

/** Assignments (instructions, rubric, max/pass score, due offset), submissions and resubmissions, grading. */
export class AssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<AssignmentEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(AssignmentEntity).findBy({ id: In(valid) }) : [];
  }

  async ofModules(moduleIds: readonly string[]): Promise<AssignmentEntity[]> {
    return this.dataSource
      .getRepository(AssignmentEntity)
      .find({ where: { moduleId: In([...moduleIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Key `assignmentId|userId` → that learner's submissions, newest first. */
  async submissionsOf(keys: readonly string[]): Promise<SubmissionEntity[]> {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    if (pairs.length === 0) return [];
    return this.dataSource.getRepository(SubmissionEntity).find({
      where: pairs.map(([assignmentId, userId]) => ({ assignmentId, userId })),
      order: { attempt: 'DESC' },
    });
  }

  /** Every learner's submissions for the instructor (newest first, at most 500). */
  async allSubmissions(viewer: Viewer, assignment: AssignmentEntity): Promise<SubmissionEntity[]> {
    await staffCourse(this.dataSource.manager, viewer, assignment.courseId, { lock: false });
    return this.dataSource.getRepository(SubmissionEntity).find({
      where: { assignmentId: assignment.id },
      order: { submittedAt: 'DESC', id: 'DESC' },
      take: 500,
    });
  }

  private apply(assignment: AssignmentEntity, fields: AssignmentFields): void {
    if (fields.title !== undefined && fields.title !== null)
      assignment.title = text(fields.title, 'title', 1, 160);
    if (fields.instructionsHtml !== undefined && fields.instructionsHtml !== null) {
      const clean = sanitizeLessonHtml(fields.instructionsHtml);
      if (!clean || clean.length > 100_000)
        throw new BadUserInputError('"instructionsHtml" must have 1–100000 characters.', 'instructionsHtml');
      assignment.instructionsHtml = clean;
    }
    if (fields.maxScore !== undefined && fields.maxScore !== null)
      assignment.maxScore = intInRange(fields.maxScore, 'maxScore', 1, 1000);
    if (fields.passScore !== undefined)
      assignment.passScore =
        fields.passScore === null ? null : intInRange(fields.passScore, 'passScore', 0, 1000);
    if (fields.rubric) {
      if (fields.rubric.length > 20)
        throw new BadUserInputError('A rubric has at most 20 criteria.', 'rubric');
      assignment.rubric = fields.rubric.map((c): RubricCriterion => ({
        title: text(c.title, 'rubric.title', 1, 120),
        description: c.description ? text(c.description, 'rubric.description', 0, 1000) : '',
        points: intInRange(c.points, 'rubric.points', 0, 1000),
      }));
    }
    if (fields.dueOffsetDays !== undefined)
      assignment.dueOffsetDays =
        fields.dueOffsetDays === null ? null : intInRange(fields.dueOffsetDays, 'dueOffsetDays', 0, 3650);
    if (fields.isRequired !== undefined && fields.isRequired !== null)
      assignment.isRequired = fields.isRequired;
    if (assignment.passScore !== null && assignment.passScore > assignment.maxScore)
      throw new BadUserInputError('"passScore" is at most "maxScore".', 'passScore');
    if (
      assignment.rubric.length > 0 &&
      assignment.rubric.reduce((sum, c) => sum + c.points, 0) !== assignment.maxScore
    )
      throw new BadUserInputError('The rubric points must add up to "maxScore".', 'rubric');
  }

  async add(viewer: Viewer, moduleId: string, fields: AssignmentFields): Promise<AssignmentEntity> {
    if (
      !fields.title ||
      !fields.instructionsHtml ||
      fields.maxScore === undefined ||
      fields.maxScore === null
    )
      throw new BadUserInputError('"title", "instructionsHtml" and "maxScore" are required.', 'title');
    return this.dataSource.transaction(async (manager) => {
      const module = await manager
        .getRepository(CourseModuleEntity)
        .findOneBy({ id: assertUuid(moduleId, 'moduleId') });
      if (!module) throw new NotFoundError('Module');
      const course = await staffCourse(manager, viewer, module.courseId);
      if (course.status === 'ARCHIVED') throw new InvalidCourseStateError(course.status, 'be changed');
      if ((await manager.getRepository(AssignmentEntity).countBy({ courseId: course.id })) >= 100)
        throw new LimitReachedError('assignments', 100);
      const now = this.clock.now();
      const assignment = Object.assign(new AssignmentEntity(), {
        id: randomUUID(),
        courseId: course.id,
        moduleId: module.id,
        title: '',
        instructionsHtml: '',
        maxScore: 1,
        passScore: null,
        rubric: [],
        dueOffsetDays: null,
        isRequired: true,
        createdAt: now,
        updatedAt: now,
      } satisfies AssignmentEntity);
      this.apply(assignment, fields);
      await manager.getRepository(AssignmentEntity).insert(assignment);
      return assignment;
    });
  }

  async update(viewer: Viewer, assignmentId: string, fields: AssignmentFields): Promise<AssignmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(AssignmentEntity);
      const assignment = await repo.findOneBy({ id: assertUuid(assignmentId, 'assignmentId') });
      if (!assignment) throw new NotFoundError('Assignment');
      const course = await staffCourse(manager, viewer, assignment.courseId);
      if (course.status === 'ARCHIVED') throw new InvalidCourseStateError(course.status, 'be changed');
      this.apply(assignment, fields);
      assignment.updatedAt = this.clock.now();
      await repo.save(assignment);
      return assignment;
    });
  }

  /**
   * What the grade book needs for a page of learners: the course's assignments and quizzes, and those
   * learners' submissions (newest first) and quiz attempts — four queries per page.
   */
  async gradeBook(courseId: string, userIds: string[]) {
    const [assignments, quizzes, submissions, attempts] = await Promise.all([
      this.dataSource
        .getRepository(AssignmentEntity)
        .find({ where: { courseId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.dataSource
        .getRepository(QuizEntity)
        .find({ where: { courseId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      userIds.length
        ? this.dataSource
            .getRepository(SubmissionEntity)
            .find({ where: { courseId, userId: In(userIds) }, order: { attempt: 'DESC' } })
        : Promise.resolve([]),
      userIds.length
        ? this.dataSource.getRepository(QuizAttemptEntity).find({ where: { courseId, userId: In(userIds) } })
        : Promise.resolve([]),
    ]);
    return {
      assignments,
      quizzes,
      forUser: (userId: string) => ({
        submissions: submissions.filter((s) => s.userId === userId),
        attempts: attempts.filter((a) => a.userId === userId),
      }),
    };
  }

  /** A learner hands in (or resubmits) work: sanitised text and up to 10 media assets. */
  async submit(
    viewer: Viewer,
    assignmentId: string,
    bodyHtml: string | null,
    assetIds: string[] | null,
  ): Promise<{ submission: SubmissionEntity; enrollment: EnrollmentEntity }> {
    const body = bodyHtml ? sanitizeLessonHtml(bodyHtml) : '';
    if (body.length > 100_000) throw new BadUserInputError('"bodyHtml" is too long.', 'bodyHtml');
    const assets = [...new Set((assetIds ?? []).map((id) => assertUuid(id, 'assetIds')))];
    if (assets.length > 10) throw new BadUserInputError('At most 10 assets.', 'assetIds');
    if (!body && assets.length === 0) throw new BadUserInputError('Submit some text or a file.', 'bodyHtml');
    return this.dataSource.transaction(async (manager) => {
      const assignment = await manager
        .getRepository(AssignmentEntity)
        .findOneBy({ id: assertUuid(assignmentId, 'assignmentId') });
      if (!assignment) throw new NotFoundError('Assignment');
      const { enrollment } = await learnerContext(manager, viewer, assignment, this.clock);
      const locked = await this.progress.lockEnrollment(manager, assignment.courseId, viewer.userId);
      const repo = manager.getRepository(SubmissionEntity);
      const previous = await repo.count({ where: { assignmentId: assignment.id, userId: viewer.userId } });
      if (previous >= MAX_SUBMISSIONS)
        throw new LimitReachedError('submissions per assignment', MAX_SUBMISSIONS);
      const now = this.clock.now();
      const due = dueAt(assignment, enrollment.activatedAt);
      const submission = Object.assign(new SubmissionEntity(), {
        id: randomUUID(),
        assignmentId: assignment.id,
        courseId: assignment.courseId,
        userId: viewer.userId,
        attempt: previous + 1,
        bodyHtml: body,
        assetIds: assets,
        status: 'SUBMITTED',
        score: null,
        feedback: null,
        gradedBy: null,
        gradedAt: null,
        submittedAt: now,
        late: due !== null && now.getTime() > due.getTime(),
      } satisfies SubmissionEntity);
      await repo.insert(submission);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'assignment.submitted',
        aggregateId: submission.id,
        payload: {
          submissionId: submission.id,
          assignmentId: assignment.id,
          courseId: assignment.courseId,
          userId: viewer.userId,
          attempt: submission.attempt,
        },
      });
      return { submission, enrollment: locked ?? enrollment };
    });
  }

  /** The instructor grades a submission (0…maxScore) with feedback; grading again corrects it. */
  async grade(
    viewer: Viewer,
    submissionId: string,
    score: number,
    feedback: string | null,
  ): Promise<{ submission: SubmissionEntity; enrollment: EnrollmentEntity | null }> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(SubmissionEntity);
      const submission = await repo.findOneBy({ id: assertUuid(submissionId, 'submissionId') });
      if (!submission) throw new NotFoundError('Submission');
      const course = await staffCourse(manager, viewer, submission.courseId);
      if (submission.userId === viewer.userId) throw new ForbiddenError('You cannot grade your own work.');
      const assignment = await manager
        .getRepository(AssignmentEntity)
        .findOneByOrFail({ id: submission.assignmentId });
      const now = this.clock.now();
      Object.assign(submission, {
        status: 'GRADED',
        score: intInRange(score, 'score', 0, assignment.maxScore),
        feedback: feedback ? text(feedback, 'feedback', 0, 10_000) : null,
        gradedBy: viewer.userId,
        gradedAt: now,
      });
      await repo.save(submission);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'assignment.graded',
        aggregateId: submission.id,
        payload: {
          submissionId: submission.id,
          assignmentId: assignment.id,
          courseId: course.id,
          userId: submission.userId,
          score: submission.score,
          maxScore: assignment.maxScore,
          gradedAt: now.toISOString(),
        },
      });
      const enrollment = await this.progress.lockEnrollment(manager, course.id, submission.userId);
      if (enrollment) await this.progress.settle(manager, enrollment, course);
      return { submission, enrollment };
    });
  }
}
