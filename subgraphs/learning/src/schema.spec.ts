import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { subgraph } from './app.js';
import { buildLearningSchema } from './schema.js';

describe('learning schema (composition build, no services)', () => {
  it('keys Course and Lesson, and stubs User and Asset', async () => {
    const { sdl } = await buildLearningSchema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toMatch(/type Course @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Lesson @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Ebook @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Asset @key\(fields: "id", resolvable: false\) \{\s+id: ID!\s+\}/);
    expect(sdl).toMatch(/type User @key\(fields: "id"\) \{\s+id: ID!/);
    expect(sdl).toMatch(/teaching\(/);
    const lessonType = /type Lesson @key[^}]*\}/s.exec(sdl)?.[0] ?? '';
    expect(lessonType).toContain('body: String');
    expect(lessonType).not.toMatch(/bodyHtml|assetId/);
    expect(sdl).not.toMatch(/AssignmentFieldsBase/);
    expect(sdl).not.toMatch(/CourseFieldsBase|ReleaseBase|LessonFieldsBase/);
  });

  it('has the documented root fields (the kit refuses to build one without an access rule)', async () => {
    const { schema } = await buildLearningSchema();
    const names = (fields: Record<string, unknown>) =>
      Object.keys(fields)
        .filter((n) => !n.startsWith('_'))
        .sort();
    expect(names(schema.getQueryType()!.getFields())).toEqual([
      'assignment',
      'certificate',
      'course',
      'courses',
      'ebook',
      'ebooks',
      'lesson',
      'myEnrollments',
      'quiz',
      'readerSettings',
    ]);
    expect(names(schema.getMutationType()!.getFields())).toEqual([
      'acceptCourseInvitation',
      'addAssignment',
      'addCourseModule',
      'addEbookBookmark',
      'addEbookChapter',
      'addEbookHighlight',
      'addEbookToLibrary',
      'addLesson',
      'addQuiz',
      'approveCourse',
      'archiveCourse',
      'archiveEbook',
      'cancelEnrollment',
      'completeLesson',
      'createCourse',
      'createEbook',
      'deleteCourseModule',
      'deleteCourseReview',
      'deleteEbookBookmark',
      'deleteEbookChapter',
      'deleteEbookHighlight',
      'deleteLesson',
      'deleteQuiz',
      'downloadEbook',
      'enrollInCourse',
      'enrollLearner',
      'gradeSubmission',
      'moveCourseModule',
      'moveLesson',
      'publishEbook',
      'rejectCourse',
      'reviewCourse',
      'saveLessonPosition',
      'saveReadingProgress',
      'setCoursePrerequisites',
      'startQuizAttempt',
      'submitAssignment',
      'submitCourseForReview',
      'submitQuizAttempt',
      'updateAssignment',
      'updateCourse',
      'updateCourseModule',
      'updateEbookChapter',
      'updateEbookHighlight',
      'updateLesson',
      'updateReaderSettings',
    ]);
  });

  it('is a subgraph definition on port 4005 with its own schema', () => {
    expect(subgraph).toMatchObject({ name: 'learning', schemaName: 'learning', defaultPort: 4005 });
  });
});
