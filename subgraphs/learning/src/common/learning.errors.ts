import { DomainError } from '@edugraph/kit';

/** Learning's own codes (besides the kit's UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT). */
export type LearningErrorCode =
  | 'SLUG_TAKEN'
  | 'INVALID_COURSE_STATE'
  | 'COURSE_INCOMPLETE'
  | 'PREREQUISITE_CYCLE'
  | 'PREREQUISITES_NOT_MET'
  | 'COURSE_NOT_FREE'
  | 'ALREADY_ENROLLED'
  | 'INVALID_ENROLLMENT_STATE'
  | 'CONTENT_LOCKED'
  | 'LIMIT_REACHED'
  | 'ATTEMPT_CLOSED'
  | 'INVALID_EBOOK_STATE'
  | 'EBOOK_INCOMPLETE'
  | 'EBOOK_NOT_FREE';

export class LearningError extends DomainError<LearningErrorCode> {}

export class SlugTakenError extends LearningError {
  constructor(slug: string) {
    super('SLUG_TAKEN', `The slug "${slug}" is already used by another course.`, { field: 'slug' });
  }
}

export class InvalidCourseStateError extends LearningError {
  constructor(status: string, action: string) {
    super('INVALID_COURSE_STATE', `A ${status.toLowerCase()} course cannot ${action}.`, { status });
  }
}

export class CourseIncompleteError extends LearningError {
  constructor(message: string) {
    super('COURSE_INCOMPLETE', message);
  }
}

export class PrerequisiteCycleError extends LearningError {
  constructor() {
    super('PREREQUISITE_CYCLE', 'These prerequisites would make a course require itself.', {
      field: 'prerequisiteIds',
    });
  }
}

export class PrerequisitesNotMetError extends LearningError {
  constructor(missing: string[]) {
    super('PREREQUISITES_NOT_MET', 'Complete the prerequisite courses first.', { missing });
  }
}

export class CourseNotFreeError extends LearningError {
  constructor() {
    super('COURSE_NOT_FREE', 'This course is sold through the shop; buy it to enroll.');
  }
}

export class AlreadyEnrolledError extends LearningError {
  constructor(status: string) {
    super('ALREADY_ENROLLED', 'You are already enrolled in this course.', { status });
  }
}

export class InvalidEnrollmentStateError extends LearningError {
  constructor(status: string, action: string) {
    super('INVALID_ENROLLMENT_STATE', `An ${status.toLowerCase()} enrollment cannot ${action}.`, { status });
  }
}

export class ContentLockedError extends LearningError {
  constructor(unlocksAt: Date | null) {
    super(
      'CONTENT_LOCKED',
      unlocksAt ? `This lesson unlocks at ${unlocksAt.toISOString()}.` : 'This lesson is locked.',
      { unlocksAt: unlocksAt?.toISOString() ?? null },
    );
  }
}

export class LimitReachedError extends LearningError {
  constructor(what: string, max: number) {
    super('LIMIT_REACHED', `A course has at most ${max} ${what}.`, { max });
  }
}
