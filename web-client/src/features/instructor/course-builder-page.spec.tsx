// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  BuilderCourseDocument,
  MoveCourseModuleDocument,
  type BuilderCourseQuery,
  type BuilderModuleFragment,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { CourseBuilderPage } from './course-builder-page.js';
import { kindsFor } from './upload.js';

const lesson = (id: string, title: string, position: number) => ({
  __typename: 'Lesson' as const,
  id,
  title,
  position,
  contentKind: 'TEXT' as const,
  body: '<p>Hello</p>',
  asset: null,
});

const module = (id: string, title: string, position: number, lessons = [lesson(`${id}-l1`, 'Intro', 1)]) =>
  ({ __typename: 'CourseModule', id, title, position, lessons }) satisfies BuilderModuleFragment;

const course = (modules: BuilderModuleFragment[]): BuilderCourseQuery => ({
  course: {
    __typename: 'Course',
    id: 'c1',
    slug: 'screen-readers',
    title: 'Screen Readers',
    summary: 'Hear the web.',
    level: 'BEGINNER',
    category: null,
    isFree: true,
    status: 'DRAFT',
    reviewNote: 'Add a second lesson, please.',
    product: null,
    modules,
  },
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('CourseBuilderPage', () => {
  it('shows details, price, modules and lessons accessibly, and moves a module by keyboard keeping focus', async () => {
    const before = [module('m1', 'Basics', 1), module('m2', 'Rotor', 2)];
    const after = [module('m2', 'Rotor', 1), module('m1', 'Basics', 2)];
    rendered = await renderPage([{ path: '/teaching/courses/:courseId', element: <CourseBuilderPage /> }], {
      at: '/teaching/courses/c1',
      mocks: [
        {
          request: { query: BuilderCourseDocument, variables: { id: 'c1' } },
          result: { data: course(before) },
        },
        {
          request: { query: MoveCourseModuleDocument, variables: { moduleId: 'm2', position: 1 } },
          result: {
            data: {
              moveCourseModule: {
                __typename: 'CourseModulesPayload',
                modules: [
                  { __typename: 'CourseModule', id: 'm2', position: 1 },
                  { __typename: 'CourseModule', id: 'm1', position: 2 },
                ],
              },
            },
          },
        },
        {
          request: { query: BuilderCourseDocument, variables: { id: 'c1' } },
          result: { data: course(after) },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h1')?.textContent).toBe('Screen Readers'));
    expect(container.textContent).toContain('Reviewer’s note: Add a second lesson, please.');
    expect([...container.querySelectorAll('h3')].map((h) => h.textContent)).toEqual([
      'Module 1: Basics',
      'Module 2: Rotor',
    ]);
    const up = container.querySelector<HTMLButtonElement>('button[aria-label="Move module Basics up"]');
    expect(up?.disabled).toBe(true);
    expect(await axeViolations(container)).toEqual([]);

    const moveUp = container.querySelector<HTMLButtonElement>('button[aria-label="Move module Rotor up"]')!;
    moveUp.focus();
    await click(moveUp);
    await eventually(() =>
      expect([...container.querySelectorAll('h3')].map((h) => h.textContent)).toEqual([
        'Module 1: Rotor',
        'Module 2: Basics',
      ]),
    );
    // the moved module is first now: "up" is disabled, so focus lands on its "down"
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move module Rotor down');
    expect(container.querySelector('[role="status"].eg-visually-hidden-status')?.textContent).toBe(
      'Module “Rotor” moved to position 1.',
    );
  });

  it('opens a lesson with the rich-text editor and the file upload, accessibly', async () => {
    rendered = await renderPage([{ path: '/teaching/courses/:courseId', element: <CourseBuilderPage /> }], {
      at: '/teaching/courses/c1',
      mocks: [
        {
          request: { query: BuilderCourseDocument, variables: { id: 'c1' } },
          result: { data: course([module('m1', 'Basics', 1)]) },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h3')).not.toBeNull());
    await click(button(container, 'Edit Intro'));
    const editor = container.querySelector('[role="textbox"][contenteditable]');
    expect(editor?.innerHTML).toBe('<p>Hello</p>');
    expect(container.querySelector('[role="toolbar"]')?.getAttribute('aria-label')).toBe(
      'Lesson text formatting',
    );
    expect(container.querySelector('input[type="file"]')).not.toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('kindsFor', () => {
  it('maps a file type to the media asset kind and the lesson kind', () => {
    expect(kindsFor('video/mp4')).toEqual({ asset: 'VIDEO', lesson: 'VIDEO' });
    expect(kindsFor('application/pdf')).toEqual({ asset: 'DOCUMENT', lesson: 'PDF' });
    expect(kindsFor('application/vnd.openxmlformats-officedocument.presentationml.presentation')).toEqual({
      asset: 'SLIDES',
      lesson: 'SLIDES',
    });
  });
});
