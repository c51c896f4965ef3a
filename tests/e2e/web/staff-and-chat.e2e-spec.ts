import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, pdf, TEST_PASSWORD, withRoles, type Actor } from '../../src/harness/actors.js';
import type { TestPlatform } from '../../src/harness/test-platform.js';
import { totp } from '../../src/harness/totp.js';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  startWebPlatform,
  type WebPlatform,
} from '../../src/web/browser.js';

/**
 * The instructor, admin and chat pages in headless Chromium against the whole platform: an instructor builds a
 * course and uploads a lesson PDF (through the gateway's media proxy, scanned by the real clamd), an admin approves
 * it and flips a kill switch, an assignment is submitted and graded, and two people chat live in two browser contexts.
 */

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
let teacher: Actor;
let learner: Actor;
let adminSecret: string;
let adminToken: string;

beforeAll(async () => {
  web = await startWebPlatform('staff');
  ({ platform, origin } = web);
  teacher = await withRoles(platform, 'ines.staff@example.com', 'Ines Instructor', ['LEARNER', 'INSTRUCTOR']);
  learner = await withRoles(platform, 'lea.staff@example.com', 'Lea Learner', ['LEARNER']);
  const admin = await withRoles(platform, 'ada.staff@example.com', 'Ada Admin', ['LEARNER', 'ADMIN']);
  const { beginTwoFactorEnrollment } = await ok<{ beginTwoFactorEnrollment: { secret: string } }>(
    platform,
    'mutation { beginTwoFactorEnrollment { secret } }',
    {},
    admin.token,
  );
  adminSecret = beginTwoFactorEnrollment.secret;
  await ok(
    platform,
    'mutation($input: ConfirmTwoFactorEnrollmentInput!) { confirmTwoFactorEnrollment(input: $input) }',
    { input: { code: totp(adminSecret) } },
    admin.token,
  );
  // the limited session becomes a full one once two-factor is on (as makeAdmin does)
  const full = await ok<{ refreshSession: { accessToken: string } }>(
    platform,
    'mutation($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken } }',
    { input: { refreshToken: admin.refreshToken } },
  );
  adminToken = full.refreshSession.accessToken;
  await ok(
    platform,
    `mutation($input: CreateFeatureFlagInput!) { createFeatureFlag(input: $input) { featureFlag { id } } }`,
    {
      input: {
        key: 'staff-e2e-flag',
        description: 'A flag for the admin page test',
        environments: [],
        strategy: 'BOOLEAN',
        booleanValue: true,
      },
    },
    adminToken,
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

async function signedInPage(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
  return { context, page };
}

type CourseSetup = { courseId: string; slug: string; moduleId: string; lessonId: string };

/** A draft course with one module and one text lesson, through the API (set-up, not what is tested). */
async function draftCourse(title: string, lessonTitle: string): Promise<CourseSetup> {
  const { createCourse } = await ok<{ createCourse: { course: { id: string; slug: string } } }>(
    platform,
    `mutation($title: String!) { createCourse(input: { title: $title, isFree: true }) { course { id slug } } }`,
    { title },
    teacher.token,
  );
  const courseId = createCourse.course.id;
  const { addCourseModule } = await ok<{ addCourseModule: { module: { id: string } } }>(
    platform,
    `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id } } }`,
    { input: { courseId, title: 'Week one' } },
    teacher.token,
  );
  const moduleId = addCourseModule.module.id;
  const { addLesson } = await ok<{ addLesson: { lesson: { id: string } } }>(
    platform,
    `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`,
    { input: { moduleId, title: lessonTitle, contentKind: 'TEXT', bodyHtml: '<p>Read this first.</p>' } },
    teacher.token,
  );
  return { courseId, slug: createCourse.course.slug, moduleId, lessonId: addLesson.lesson.id };
}

describe('the instructor builder', () => {
  it('creates a course with two modules and a lesson, reorders by keyboard, writes the lesson and submits it', async () => {
    const { context, page } = await signedInPage('ines.staff@example.com');
    try {
      await page.goto(`${origin}/teaching`);
      await page.getByRole('heading', { level: 1, name: 'Your courses' }).waitFor();
      await page.getByLabel('Course title').fill('Screen Reader Basics');
      await page.getByRole('button', { name: 'Create course' }).click();
      await page.getByRole('heading', { level: 1, name: 'Screen Reader Basics' }).waitFor();
      await page.getByText('DRAFT').first().waitFor();

      await page.getByLabel('Summary').fill('Hear the web the way many people do.');
      await page.getByLabel('Free course').check();
      await page.getByRole('button', { name: 'Save details' }).click();
      await page.getByText('Course details saved.').waitFor();

      await page.getByLabel('New module title').fill('Getting started');
      await page.getByRole('button', { name: 'Add module' }).click();
      await page.getByRole('heading', { level: 3, name: 'Module 1: Getting started' }).waitFor();
      await page.getByLabel('New module title').fill('Advanced rotor');
      await page.getByRole('button', { name: 'Add module' }).click();
      await page.getByRole('heading', { level: 3, name: 'Module 2: Advanced rotor' }).waitFor();

      // keyboard: focus "Move … up" and press Enter; focus stays on the moved module's control
      await page.getByRole('button', { name: 'Move module Advanced rotor up' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 3, name: 'Module 1: Advanced rotor' }).waitFor();
      await page.getByText('Module “Advanced rotor” moved to position 1.').waitFor();
      expect(
        await page.evaluate<string | null>(`document.activeElement?.getAttribute('aria-label') ?? null`),
      ).toBe('Move module Advanced rotor down');

      await page.getByLabel('New lesson in Getting started').fill('Meet your screen reader');
      await page.getByRole('button', { name: 'Add lesson' }).nth(1).click();
      await page.getByText('Lesson “Meet your screen reader” added.').waitFor();
      await page.getByRole('button', { name: 'Edit Meet your screen reader' }).click();
      const body = page.getByRole('textbox', { name: 'Lesson text' });
      await body.click();
      await page.keyboard.type('Press Insert and Space');
      await page.getByRole('button', { name: 'Save lesson' }).click();
      await page.getByText('Lesson “Meet your screen reader” saved.').waitFor();
      await expectAccessible(page, 'course builder');
      await screenshot(page, 'staff-01-course-builder');

      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.getByText('Course submitted for review.').waitFor();
      await page.getByText('REVIEW').first().waitFor();

      const { courses } = await ok<{
        courses: {
          edges: {
            node: {
              title: string;
              status: string;
              modules: { title: string; lessons: { title: string; body: string | null }[] }[];
            };
          }[];
        };
      }>(
        platform,
        `{ courses(filter: { mine: true }, first: 10) { edges { node { title status modules { title lessons { title body } } } } } }`,
        {},
        teacher.token,
      );
      const course = courses.edges.map((e) => e.node).find((c) => c.title === 'Screen Reader Basics')!;
      expect(course.status).toBe('REVIEW');
      expect(course.modules.map((m) => m.title)).toEqual(['Advanced rotor', 'Getting started']);
      expect(course.modules[1]!.lessons[0]!.title).toBe('Meet your screen reader');
      expect(course.modules[1]!.lessons[0]!.body).toContain('Press Insert and Space');

      await page.goto(`${origin}/teaching`);
      await page.getByRole('list', { name: 'Your courses' }).getByText('REVIEW').waitFor();
      await expectAccessible(page, 'teaching page');
      await screenshot(page, 'staff-02-teaching');
      await page.getByRole('link', { name: 'Grading inbox' }).click();
      await page.getByRole('heading', { level: 1, name: 'Grading inbox' }).waitFor();
      await expectAccessible(page, 'grading inbox');
      await page.goto(`${origin}/teaching/sales`);
      await page.getByRole('heading', { level: 1, name: 'Sales and balance' }).waitFor();
      await expectAccessible(page, 'sales page');
      await screenshot(page, 'staff-03-sales');
    } finally {
      await context.close();
    }
  }, 120_000);
  it('uploads a lesson PDF same-origin through the gateway: progress bar, virus scan to READY', async () => {
    const course = await draftCourse('Braille Displays', 'Refreshable cells');
    const { context, page } = await signedInPage('ines.staff@example.com');
    const puts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') puts.push(request.url());
    });
    try {
      await page.goto(`${origin}/teaching/courses/${course.courseId}`);
      await page.getByRole('heading', { level: 1, name: 'Braille Displays' }).waitFor();
      await page.getByRole('button', { name: 'Edit Refreshable cells' }).click();
      const bytes = pdf('Refreshable braille cells');
      await page
        .getByLabel('Lesson file')
        .setInputFiles({ name: 'braille-cells.pdf', mimeType: 'application/pdf', buffer: bytes });
      const progress = page.getByRole('progressbar', { name: 'Upload progress' });
      await progress.waitFor();
      await page.locator('progress[aria-label="Upload progress"][value="100"]').waitFor();
      // completeUpload, then the real clamd scan; the page polls the status every 2 s
      await page
        .getByRole('status')
        .filter({ hasText: 'braille-cells.pdf: Ready' })
        .waitFor({ timeout: 90_000 });
      expect(await progress.getAttribute('value')).toBe('100');
      expect(puts).toHaveLength(1);
      expect(new URL(puts[0]!).origin).toBe(origin);
      expect(new URL(puts[0]!).pathname).toMatch(/^\/media\/objects\/incoming\//);
      await expectAccessible(page, 'course builder with an uploaded lesson file');
      await screenshot(page, 'staff-08-lesson-upload');

      const { lesson } = await ok<{
        lesson: { contentKind: string; asset: { status: string; fileName: string; size: number } | null };
      }>(
        platform,
        `query($id: ID!) { lesson(id: $id) { contentKind asset { status fileName size } } }`,
        { id: course.lessonId },
        teacher.token,
      );
      expect(lesson).toEqual({
        contentKind: 'PDF',
        asset: { status: 'READY', fileName: 'braille-cells.pdf', size: bytes.length },
      });
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe('the admin page', () => {
  it('approves the submitted course, kills a flag and shows the audit trail and the GraphiQL link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('ada.staff@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const code = page.getByLabel('Authentication code');
      await code.waitFor();
      await code.fill(totp(adminSecret, new Date(), 1));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
      expect(await page.getByRole('link', { name: 'GraphQL explorer (GraphiQL)' }).getAttribute('href')).toBe(
        '/graphql',
      );
      const kill = page.getByRole('switch', { name: 'Kill staff-e2e-flag' });
      expect(await kill.isChecked()).toBe(false);
      await kill.check();
      await page.getByRole('switch', { name: 'Kill staff-e2e-flag', checked: true }).waitFor();
      // the audit trail, filtered by action: the flag created in the set-up
      await page.getByLabel('Action').fill('feature_flag.created');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('cell', { name: 'feature_flag.created' }).first().waitFor();
      expect(await page.getByRole('cell', { name: 'Ada Admin' }).count()).toBeGreaterThan(0);
      await expectAccessible(page, 'admin page');
      await screenshot(page, 'staff-04-admin');

      await page.getByRole('link', { name: 'Course review queue' }).click();
      await page.getByRole('heading', { level: 1, name: 'Courses waiting for review' }).waitFor();
      await expectAccessible(page, 'review queue');
      await page.getByRole('button', { name: 'Approve Screen Reader Basics' }).click();
      await page.getByText('“Screen Reader Basics” is published.').waitFor();

      const { featureFlag } = await ok<{ featureFlag: { killed: boolean } }>(
        platform,
        '{ featureFlag(key: "staff-e2e-flag") { killed } }',
        {},
        adminToken,
      );
      expect(featureFlag.killed).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('pricing', () => {
  it('sets the course price in the builder (commerce setProductPrice) and shows it back', async () => {
    const { courses } = await ok<{ courses: { edges: { node: { id: string; title: string } }[] } }>(
      platform,
      `{ courses(filter: { mine: true }, first: 10) { edges { node { id title } } } }`,
      {},
      teacher.token,
    );
    const course = courses.edges.map((e) => e.node).find((c) => c.title === 'Screen Reader Basics')!;
    const { context, page } = await signedInPage('ines.staff@example.com');
    try {
      await page.goto(`${origin}/teaching/courses/${course.id}`);
      await page.getByRole('heading', { level: 1, name: 'Screen Reader Basics' }).waitFor();
      await page.getByLabel('Price', { exact: true }).fill('49.00');
      await page.getByRole('button', { name: 'Set price' }).click();
      await page.getByText('Price set to 49.00 EUR.').waitFor();
      await page.getByText('Current price: 49.00 EUR.').waitFor();
      const { productFor } = await ok<{ productFor: { price: { amount: number; currency: string } } }>(
        platform,
        `query($id: ID!) { productFor(refId: $id, kind: COURSE) { price { amount currency } } }`,
        { id: course.id },
        teacher.token,
      );
      expect(productFor.price).toEqual({ amount: 4900, currency: 'EUR' });
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('grading', () => {
  it('a learner submits an assignment, the instructor grades it in the inbox, the learner sees the grade', async () => {
    // set-up through the API: a published free course with an assignment, the learner enrolled
    const course = await draftCourse('Keyboard Navigation', 'Tab order');
    const { addAssignment } = await ok<{ addAssignment: { assignment: { id: string } } }>(
      platform,
      `mutation($input: AddAssignmentInput!) { addAssignment(input: $input) { assignment { id } } }`,
      {
        input: {
          moduleId: course.moduleId,
          title: 'Audit a form',
          instructionsHtml: '<p>Tab through a form and list what you hear.</p>',
          maxScore: 10,
          passScore: 6,
        },
      },
      teacher.token,
    );
    const assignmentId = addAssignment.assignment.id;
    await ok(
      platform,
      `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { id } } }`,
      { id: course.courseId },
      teacher.token,
    );
    await ok(
      platform,
      `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { id } } }`,
      { id: course.courseId },
      adminToken,
    );
    await ok(
      platform,
      `mutation($id: ID!) { enrollInCourse(input: { courseId: $id }) { enrollment { id } } }`,
      { id: course.courseId },
      learner.token,
    );

    const lea = await signedInPage('lea.staff@example.com');
    const ines = await signedInPage('ines.staff@example.com');
    try {
      const assignmentUrl = `${origin}/learn/${course.slug}/assignments/${assignmentId}`;
      await lea.page.goto(assignmentUrl);
      await lea.page.getByRole('heading', { level: 2, name: 'Audit a form' }).waitFor();
      await lea.page.getByLabel('Your answer').fill('The email field has no label; the button says "Go".');
      await lea.page.getByRole('button', { name: 'Submit assignment' }).click();
      await lea.page.getByText('Your work was submitted.').waitFor();
      const mine = lea.page.getByRole('list', { name: 'Your submissions' });
      await mine.getByText('Waiting for a grade.').waitFor();

      await ines.page.goto(`${origin}/teaching`);
      await ines.page.getByRole('link', { name: 'Grading inbox' }).click();
      await ines.page.getByRole('heading', { level: 1, name: 'Grading inbox' }).waitFor();
      const card = ines.page.getByRole('form', { name: 'Lea Learner · Audit a form' });
      await card.waitFor();
      await ines.page.getByText('The email field has no label').waitFor();
      await expectAccessible(ines.page, 'grading inbox with a submission');
      await screenshot(ines.page, 'staff-09-grading-inbox');
      await card.getByLabel('Score (out of 10)').fill('8');
      await card.getByLabel('Feedback').fill('Good catch on the missing label.');
      await card.getByRole('button', { name: 'Save grade' }).click();
      await ines.page.getByText('Graded Lea Learner · Audit a form: 8 of 10.').waitFor();
      await card.waitFor({ state: 'detached' });
      await ines.page.getByText('Nothing to grade: every submission has a grade.').waitFor();

      await lea.page.reload();
      await mine.getByText('Grade: 8 of 10').waitFor();
      await mine.getByText('Feedback: Good catch on the missing label.').waitFor();
      await expectAccessible(lea.page, 'graded assignment');
      await screenshot(lea.page, 'staff-10-assignment-graded');

      const { assignment } = await ok<{
        assignment: { viewerSubmissions: { status: string; score: number; feedback: string }[] };
      }>(
        platform,
        `query($id: ID!) { assignment(id: $id) { viewerSubmissions { status score feedback } } }`,
        { id: assignmentId },
        learner.token,
      );
      expect(assignment.viewerSubmissions).toEqual([
        { status: 'GRADED', score: 8, feedback: 'Good catch on the missing label.' },
      ]);
    } finally {
      await lea.context.close();
      await ines.context.close();
    }
  }, 180_000);
});

describe('chat', () => {
  it('two people chat live in two browser contexts: unread badge, typing indicator, messages without reload', async () => {
    const ines = await signedInPage('ines.staff@example.com');
    const lea = await signedInPage('lea.staff@example.com');
    try {
      await lea.page.goto(`${origin}/chat`);
      await lea.page.getByRole('heading', { level: 1, name: 'Chat' }).waitFor();
      await lea.page.getByText('No conversations yet.').waitFor();

      await ines.page.goto(`${origin}/chat`);
      await ines.page.getByRole('heading', { level: 1, name: 'Chat' }).waitFor();
      await ines.page.getByLabel('User id').fill(learner.id);
      await ines.page.getByRole('button', { name: 'Start conversation' }).click();
      await ines.page.getByRole('heading', { level: 2, name: 'Lea Learner' }).waitFor();
      const composer = ines.page.getByLabel('Message', { exact: true });
      await composer.fill('Welcome to the course!');
      await ines.page.getByRole('button', { name: 'Send' }).click();
      await ines.page.getByRole('log', { name: 'Messages' }).getByText('Welcome to the course!').waitFor();

      // Lea's list learns about the conversation and its unread message without a reload
      const conversations = lea.page.getByRole('navigation', { name: 'Conversations' });
      await conversations.getByRole('link', { name: 'Ines Instructor' }).waitFor();
      await conversations.getByText('1 unread').waitFor();
      await expectAccessible(lea.page, 'chat list with an unread badge');
      await screenshot(lea.page, 'staff-05-chat-unread');

      await conversations.getByRole('link', { name: 'Ines Instructor' }).click();
      const leaLog = lea.page.getByRole('log', { name: 'Messages' });
      await leaLog.getByText('Welcome to the course!').waitFor();
      await conversations.getByText('1 unread').waitFor({ state: 'detached' });

      // typing: Ines types, Lea sees it; then the message arrives live
      await composer.click();
      await ines.page.keyboard.type('See you in module one');
      await lea.page.getByText('Ines Instructor is typing…').waitFor();
      await expectAccessible(lea.page, 'conversation with a typing indicator');
      await screenshot(lea.page, 'staff-06-chat-typing');
      await ines.page.getByRole('button', { name: 'Send' }).click();
      await leaLog.getByText('See you in module one').waitFor();
      await lea.page.getByText('Ines Instructor is typing…').waitFor({ state: 'detached' });

      // and back the other way, with presence shown
      await lea.page.getByLabel('Message', { exact: true }).fill('Thanks, see you there');
      await lea.page.keyboard.press('Enter');
      await ines.page.getByRole('log', { name: 'Messages' }).getByText('Thanks, see you there').waitFor();
      await ines.page.getByText('Lea Learner: online').waitFor();
      await expectAccessible(ines.page, 'conversation');
      await screenshot(ines.page, 'staff-07-chat-conversation');
    } finally {
      await ines.context.close();
      await lea.context.close();
    }
  }, 120_000);
});
