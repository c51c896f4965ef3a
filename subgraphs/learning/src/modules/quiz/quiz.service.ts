import { randomUUID } from 'node:crypto';
import { BadUserInputError, ForbiddenError, NotFoundError, recordEvent, type Viewer } from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { InvalidCourseStateError, LearningError, LimitReachedError } from '../../common/learning.errors.js';
import { assertUuid, intInRange, isUuid, text } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { learnerContext, staffCourse } from '../assessment-access.js';
import { CourseModuleEntity } from '../curriculum/curriculum.entity.js';
import type { EnrollmentEntity } from '../enrollment/enrollment.entity.js';
import type { CertificateEntity } from '../progress/progress.entity.js';
import type { ProgressService } from '../progress/progress.service.js';
import { gradeAnswers } from './quiz-grading.js';
import {
  QuizAttemptEntity,
  QuizEntity,
  QuizQuestionEntity,
  type QuestionKind,
  type QuizAnswer,
} from './quiz.entity.js';

/** Seconds of network grace after a quiz's time limit. */
export const TIME_LIMIT_GRACE_SECONDS = 5;

export type QuestionInput = {
  kind: QuestionKind;
  prompt: string;
  options?: string[] | null;
  /** 0-based indexes of the correct options (choice questions). */
  correctOptions?: number[] | null;
  acceptedAnswers?: string[] | null;
  points?: number | null;
};

export type QuizFields = {
  title: string;
  passPercent: number;
  attemptLimit?: number | null;
  timeLimitSeconds?: number | null;
  isRequired?: boolean | null;
  questions: QuestionInput[];
};

export class AttemptLimitReachedError extends LearningError {
  constructor(limit: number) {
    super('LIMIT_REACHED', `This quiz allows ${limit} attempt(s).`, { max: limit });
  }
}

const OPTION_IDS = 'abcdefghij';

function buildQuestion(quizId: string, input: QuestionInput, index: number): QuizQuestionEntity {
  const field = `questions[${index}]`;
  const prompt = text(input.prompt, `${field}.prompt`, 1, 2000);
  const points = intInRange(input.points ?? 1, `${field}.points`, 1, 100);
  const question: QuizQuestionEntity = Object.assign(new QuizQuestionEntity(), {
    id: randomUUID(),
    quizId,
    position: index + 1,
    kind: input.kind,
    prompt,
    options: [] as QuizQuestionEntity['options'],
    correctOptionIds: [] as string[],
    acceptedAnswers: [] as string[],
    points,
  });
  if (input.kind === 'SHORT_ANSWER') {
    const accepted = [...new Set((input.acceptedAnswers ?? []).map((a) => a.trim()).filter(Boolean))];
    if (accepted.length < 1 || accepted.length > 20 || accepted.some((a) => a.length > 200))
      throw new BadUserInputError(
        'A short answer question needs 1–20 accepted answers.',
        `${field}.acceptedAnswers`,
      );
    question.acceptedAnswers = accepted;
    return question;
  }
  const options = (input.options ?? []).map((o, i) => ({
    id: OPTION_IDS[i] ?? '',
    text: text(o, `${field}.options`, 1, 500),
  }));
  if (options.length < 2 || options.length > OPTION_IDS.length)
    throw new BadUserInputError('A choice question has 2–10 options.', `${field}.options`);
  const correct = [...new Set(input.correctOptions ?? [])];
  if (correct.length === 0 || correct.some((i) => !Number.isInteger(i) || i < 0 || i >= options.length))
    throw new BadUserInputError('Mark the correct option(s) by index.', `${field}.correctOptions`);
  if (input.kind === 'SINGLE_CHOICE' && correct.length !== 1)
    throw new BadUserInputError(
      'A single choice question has exactly one correct option.',
      `${field}.correctOptions`,
    );
  question.options = options;
  question.correctOptionIds = correct.sort((a, b) => a - b).map((i) => OPTION_IDS[i] ?? '');
  return question;
}

/** Quizzes (single/multiple choice, short answer), attempts with limits and time limits, auto-grading. */
export class QuizService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<QuizEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(QuizEntity).findBy({ id: In(valid) }) : [];
  }

  async ofModules(moduleIds: readonly string[]): Promise<QuizEntity[]> {
    return this.dataSource
      .getRepository(QuizEntity)
      .find({ where: { moduleId: In([...moduleIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async questionsOf(quizIds: readonly string[]): Promise<QuizQuestionEntity[]> {
    return this.dataSource
      .getRepository(QuizQuestionEntity)
      .find({ where: { quizId: In([...quizIds]) }, order: { position: 'ASC' } });
  }

  /** Key `quizId|userId` → attempts, newest first. */
  async attemptsOf(keys: readonly string[]): Promise<QuizAttemptEntity[]> {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    if (pairs.length === 0) return [];
    return this.dataSource.getRepository(QuizAttemptEntity).find({
      where: pairs.map(([quizId, userId]) => ({ quizId, userId })),
      order: { number: 'DESC' },
    });
  }

  async add(viewer: Viewer, moduleId: string, fields: QuizFields): Promise<QuizEntity> {
    if (fields.questions.length < 1 || fields.questions.length > 100)
      throw new BadUserInputError('A quiz has 1–100 questions.', 'questions');
    return this.dataSource.transaction(async (manager) => {
      const module = await manager
        .getRepository(CourseModuleEntity)
        .findOneBy({ id: assertUuid(moduleId, 'moduleId') });
      if (!module) throw new NotFoundError('Module');
      const course = await staffCourse(manager, viewer, module.courseId);
      if (course.status === 'ARCHIVED') throw new InvalidCourseStateError(course.status, 'be changed');
      if ((await manager.getRepository(QuizEntity).countBy({ courseId: course.id })) >= 100)
        throw new LimitReachedError('quizzes', 100);
      const now = this.clock.now();
      const quiz = Object.assign(new QuizEntity(), {
        id: randomUUID(),
        courseId: course.id,
        moduleId: module.id,
        title: text(fields.title, 'title', 1, 160),
        passPercent: intInRange(fields.passPercent, 'passPercent', 0, 100),
        attemptLimit:
          fields.attemptLimit === undefined || fields.attemptLimit === null
            ? null
            : intInRange(fields.attemptLimit, 'attemptLimit', 1, 100),
        timeLimitSeconds:
          fields.timeLimitSeconds === undefined || fields.timeLimitSeconds === null
            ? null
            : intInRange(fields.timeLimitSeconds, 'timeLimitSeconds', 30, 86_400),
        isRequired: fields.isRequired ?? true,
        createdAt: now,
        updatedAt: now,
      } satisfies QuizEntity);
      const questions = fields.questions.map((q, i) => buildQuestion(quiz.id, q, i));
      await manager.getRepository(QuizEntity).insert(quiz);
      await manager.getRepository(QuizQuestionEntity).insert(questions);
      return quiz;
    });
  }

  async remove(viewer: Viewer, quizId: string): Promise<QuizEntity> {
    return this.dataSource.transaction(async (manager) => {
      const quiz = await manager.getRepository(QuizEntity).findOneBy({ id: assertUuid(quizId, 'quizId') });
      if (!quiz) throw new NotFoundError('Quiz');
      await staffCourse(manager, viewer, quiz.courseId);
      await manager.getRepository(QuizEntity).delete({ id: quiz.id });
      return quiz;
    });
  }

  private async quizForLearner(manager: EntityManager, viewer: Viewer, quizId: string) {
    const quiz = await manager.getRepository(QuizEntity).findOneBy({ id: assertUuid(quizId, 'quizId') });
    if (!quiz) throw new NotFoundError('Quiz');
    const context = await learnerContext(manager, viewer, quiz, this.clock);
    return { quiz, ...context };
  }

  private expiredAt(attempt: QuizAttemptEntity, now: Date): boolean {
    return (
      attempt.deadlineAt !== null &&
      now.getTime() > attempt.deadlineAt.getTime() + TIME_LIMIT_GRACE_SECONDS * 1000
    );
  }

  /** Closes an attempt past its time limit: scored 0, not passed. */
  private async expire(manager: EntityManager, attempt: QuizAttemptEntity, now: Date): Promise<void> {
    Object.assign(attempt, {
      submittedAt: now,
      answers: [],
      score: 0,
      percent: 0,
      passed: false,
      expired: true,
    });
    await manager.getRepository(QuizAttemptEntity).save(attempt);
  }

  /**
   * Starts an attempt (or returns the open one). Refused once the attempt limit is used up or the quiz is
   * passed; an open attempt past its time limit is closed first, and counts.
   */
  async start(viewer: Viewer, quizId: string): Promise<QuizAttemptEntity> {
    // Close an abandoned attempt past its time limit first, in its own transaction: it stays closed (and
    // counted) even when no new attempt may start.
    await this.dataSource.transaction(async (manager) => {
      const stale = await manager
        .getRepository(QuizAttemptEntity)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.quiz_id = :quizId AND a.user_id = :userId AND a.submitted_at IS NULL', {
          quizId: assertUuid(quizId, 'quizId'),
          userId: viewer.userId,
        })
        .getOne();
      const now = this.clock.now();
      if (stale && this.expiredAt(stale, now)) await this.expire(manager, stale, now);
    });
    return this.dataSource.transaction(async (manager) => {
      const { quiz, enrollment } = await this.quizForLearner(manager, viewer, quizId);
      // Serialises a learner's attempts at this course.
      await this.progress.lockEnrollment(manager, quiz.courseId, enrollment.userId);
      const repo = manager.getRepository(QuizAttemptEntity);
      const now = this.clock.now();
      const attempts = await repo.find({
        where: { quizId: quiz.id, userId: viewer.userId },
        order: { number: 'DESC' },
      });
      const current = attempts.find((a) => a.submittedAt === null);
      if (current) {
        if (!this.expiredAt(current, now)) return current;
        await this.expire(manager, current, now);
      }
      if (attempts.some((a) => a.passed))
        throw new LearningError('LIMIT_REACHED', 'You passed this quiz already.');
      if (quiz.attemptLimit !== null && attempts.length >= quiz.attemptLimit)
        throw new AttemptLimitReachedError(quiz.attemptLimit);
      const questions = await manager.getRepository(QuizQuestionEntity).findBy({ quizId: quiz.id });
      const attempt = Object.assign(new QuizAttemptEntity(), {
        id: randomUUID(),
        quizId: quiz.id,
        courseId: quiz.courseId,
        userId: viewer.userId,
        number: (attempts[0]?.number ?? 0) + 1,
        startedAt: now,
        deadlineAt:
          quiz.timeLimitSeconds === null ? null : new Date(now.getTime() + quiz.timeLimitSeconds * 1000),
        submittedAt: null,
        answers: null,
        score: null,
        maxScore: questions.reduce((sum, q) => sum + q.points, 0),
        percent: null,
        passed: null,
        expired: false,
      } satisfies QuizAttemptEntity);
      await repo.insert(attempt);
      return attempt;
    });
  }

  /**
   * Submits answers: auto-graded at once. Past the time limit (plus a few seconds' grace) the attempt is
   * closed as expired with 0 points. Passing counts towards course completion.
   */
  async submit(
    viewer: Viewer,
    attemptId: string,
    answers: QuizAnswer[],
  ): Promise<{
    attempt: QuizAttemptEntity;
    enrollment: EnrollmentEntity;
    certificate: CertificateEntity | null;
  }> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(QuizAttemptEntity);
      const found = await repo.findOneBy({ id: assertUuid(attemptId, 'attemptId') });
      if (!found || found.userId !== viewer.userId) throw new NotFoundError('Quiz attempt');
      const { quiz, course } = await this.quizForLearner(manager, viewer, found.quizId);
      const enrollment = await this.progress.lockEnrollment(manager, quiz.courseId, viewer.userId);
      if (!enrollment) throw new ForbiddenError('Enroll in this course first.');
      const attempt = await repo.findOneByOrFail({ id: found.id });
      if (attempt.submittedAt !== null)
        throw new LearningError('ATTEMPT_CLOSED', 'This attempt was submitted already.');
      const now = this.clock.now();
      if (this.expiredAt(attempt, now)) {
        await this.expire(manager, attempt, now);
        return { attempt, enrollment, certificate: null };
      }
      const questions = await manager
        .getRepository(QuizQuestionEntity)
        .find({ where: { quizId: quiz.id }, order: { position: 'ASC' } });
      const known = new Set(questions.map((q) => q.id));
      const cleaned: QuizAnswer[] = [];
      for (const answer of answers) {
        if (!known.has(answer.questionId))
          throw new BadUserInputError('An answer is for another quiz.', 'answers');
        cleaned.push({
          questionId: answer.questionId,
          optionIds: [...new Set(answer.optionIds)].slice(0, 10),
          text: answer.text === null ? null : answer.text.slice(0, 500),
        });
      }
      const { score, maxScore, graded } = gradeAnswers(questions, cleaned);
      const percent = maxScore === 0 ? 0 : Math.floor((100 * score) / maxScore);
      Object.assign(attempt, {
        submittedAt: now,
        answers: graded,
        score,
        maxScore,
        percent,
        passed: percent >= quiz.passPercent,
        expired: false,
      });
      await repo.save(attempt);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'quiz.graded',
        aggregateId: attempt.id,
        payload: {
          attemptId: attempt.id,
          quizId: quiz.id,
          courseId: quiz.courseId,
          userId: viewer.userId,
          score,
          maxScore,
          percent,
          passed: attempt.passed,
        },
      });
      const certificate = await this.progress.settle(manager, enrollment, course);
      return { attempt, enrollment, certificate };
    });
  }
}
