import { readFile } from 'node:fs/promises';
import { subgraphDefinitions } from '@edugraph/launcher';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, ok, TEST_PASSWORD, withRoles, type Actor } from '../../src/harness/actors.js';
import { createPublishedCourse } from '../../src/harness/content.js';
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
 * The web app in real headless Chromium (Debian's `chromium`, driven by playwright-core) against the whole
 * platform: the gateway serves the freshly built app at `/`, same origin as `/graphql`.
 */

const PASSWORD = 'correct horse battery staple';
const COURSE_TITLE = 'Accessible Interfaces';
const PRICED_TITLE = 'Inclusive Design Systems';
const EBOOK_TITLE = 'The Token Handbook';

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
let admin: Actor;

/** A priced course: an open module (a TEXT lesson with HTML to sanitise, a second lesson, a quiz) and a dripped one. */
async function createPricedCourse(teacher: Actor): Promise<void> {
  const { createCourse } = await ok<{ createCourse: { course: { id: string } } }>(
    platform,
    `mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } } }`,
    {
      input: {
        title: PRICED_TITLE,
        summary: 'Tokens, components and audits that scale.',
        level: 'INTERMEDIATE',
        isFree: false,
      },
    },
    teacher.token,
  );
  const courseId = createCourse.course.id;
  const addModule = async (title: string, releaseOffsetDays?: number) =>
    (
      await ok<{ addCourseModule: { module: { id: string } } }>(
        platform,
        `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id } } }`,
        { input: { courseId, title, ...(releaseOffsetDays ? { releaseOffsetDays } : {}) } },
        teacher.token,
      )
    ).addCourseModule.module.id;
  const addLesson = (moduleId: string, title: string, bodyHtml: string) =>
    ok(
      platform,
      `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`,
      { input: { moduleId, title, contentKind: 'TEXT', bodyHtml } },
      teacher.token,
    );
  const basics = await addModule('Basics');
  await addLesson(basics, 'Design tokens', '<p>Tokens name <strong>decisions</strong>.</p>');
  await addLesson(basics, 'Components', '<p>Components use tokens.</p>');
  await ok(
    platform,
    `mutation($input: AddQuizInput!) { addQuiz(input: $input) { quiz { id } } }`,
    {
      input: {
        moduleId: basics,
        title: 'Tokens check',
        passPercent: 50,
        attemptLimit: 2,
        timeLimitSeconds: 600,
        questions: [
          {
            kind: 'SINGLE_CHOICE',
            prompt: 'Tokens name…',
            options: ['decisions', 'files'],
            correctOptions: [0],
          },
        ],
      },
    },
    teacher.token,
  );
  const later = await addModule('Audits', 7);
  await addLesson(later, 'Audit checklist', '<p>Check contrast.</p>');
  await ok(
    platform,
    `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { id } } }`,
    { id: courseId },
    teacher.token,
  );
  await ok(
    platform,
    `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { id } } }`,
    { id: courseId },
    admin.token,
  );
  await ok(
    platform,
    `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
    { input: { kind: 'COURSE', refId: courseId, title: PRICED_TITLE, amount: 2_900, currency: 'EUR' } },
    teacher.token,
  );
}

/** A priced, published ebook with two chapters. */
async function createPricedEbook(teacher: Actor): Promise<void> {
  const { createEbook } = await ok<{ createEbook: { ebook: { id: string } } }>(
    platform,
    'mutation($input: CreateEbookInput!) { createEbook(input: $input) { ebook { id } } }',
    {
      input: { title: EBOOK_TITLE, description: 'Naming the decisions of a design system.', language: 'en' },
    },
    teacher.token,
  );
  const ebookId = createEbook.ebook.id;
  for (const [title, bodyHtml] of [
    ['Why tokens', '<p>Tokens name decisions.</p><p>Use them <em>everywhere</em> in the system.</p>'],
    ['Naming', '<p>Name tokens by role, not by value.</p>'],
  ])
    await ok(
      platform,
      'mutation($input: AddEbookChapterInput!) { addEbookChapter(input: $input) { chapter { id } } }',
      { input: { ebookId, title, bodyHtml } },
      teacher.token,
    );
  await ok(
    platform,
    'mutation($input: EbookIdInput!) { publishEbook(input: $input) { ebook { id } } }',
    { input: { ebookId } },
    teacher.token,
  );
  await ok(
    platform,
    `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
    { input: { kind: 'EBOOK', refId: ebookId, title: EBOOK_TITLE, amount: 1_500, currency: 'EUR' } },
    teacher.token,
  );
}

beforeAll(async () => {
  web = await startWebPlatform('app');
  ({ platform, origin } = web);
  // The platform's demo seed: theme packs (ui.themes) and the ui-theme-rollout flag.
  const platformDefinition = subgraphDefinitions.find((d) => d.name === 'platform');
  await platformDefinition?.seed?.(platform.subgraphEnv, () => undefined);
  const config = await ok<{ publicConfig: { key: string }[] }>(platform, '{ publicConfig { key } }');
  expect(config.publicConfig.map((e) => e.key)).toContain('ui.themes');
  admin = await makeAdmin(platform, 'ada.web@example.com');
  const teacher = await withRoles(platform, 'ines.web@example.com', 'Ines Instructor', [
    'LEARNER',
    'INSTRUCTOR',
  ]);
  await createPublishedCourse(platform, teacher, admin, {
    title: COURSE_TITLE,
    summary: 'Keyboard, screen readers and contrast, end to end.',
    lessons: [{ title: 'Why accessibility', bodyHtml: '<p>Everyone learns.</p>' }],
  });
  await createPricedCourse(teacher);
  await createPricedEbook(teacher);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

describe('the refresh cookie at the gateway', () => {
  const signUpWithCookie = (email: string) =>
    fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-edugraph-refresh-cookie': '1',
        'x-internal-token': platform.internalApiToken, // a free-form document (trusted documents required)
      },
      body: JSON.stringify({
        query: `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken } }`,
        variables: { input: { email, password: PASSWORD, displayName: 'Cookie Tester' } },
      }),
    });
  const refresh = (cookie: string | null, optIn = true) =>
    fetch(`${origin}/auth/refresh`, {
      method: 'POST',
      headers: { ...(optIn ? { 'x-edugraph-refresh-cookie': '1' } : {}), ...(cookie ? { cookie } : {}) },
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? null;

  it('moves the refresh token into an httpOnly SameSite=Strict cookie, rotates it, and ends the session on replay', async () => {
    const signedUp = await signUpWithCookie('cookie@example.com');
    const body = (await signedUp.json()) as {
      data: { signUp: { accessToken: string; refreshToken: string } };
    };
    expect(body.data.signUp.refreshToken).toBe('');
    expect(body.data.signUp.accessToken).toMatch(/^ey/);
    const setCookie = signedUp.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^edugraph_refresh=[^;]+; Path=\/auth; HttpOnly; SameSite=Strict; Max-Age=2592000$/,
    );
    const first = cookieOf(signedUp)!;

    expect((await refresh(first, false)).status).toBe(400);
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const tokens = (await rotated.json()) as { accessToken: string; accessTokenExpiresAt: string };
    expect(tokens.accessToken).toMatch(/^ey/);
    const viewer = await platform.graphql<{ viewer: { email: string } }>(
      '{ viewer { email } }',
      {},
      {
        authorization: `Bearer ${tokens.accessToken}`,
      },
    );
    expect(viewer.data?.viewer.email).toBe('cookie@example.com');
    const second = cookieOf(rotated)!;
    expect(second).not.toBe(first);

    // A replayed (stolen) cookie is refused, cleared, and ends the whole session family.
    const replay = await refresh(first);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(replay.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await refresh(second)).status).toBe(401);
    // No cookie at all: no session in this browser, which is not an error.
    expect((await refresh(null)).status).toBe(204);
  });
});

describe('the web app in Chromium', () => {
  const email = 'lea.web@example.com';
  let page: Page;
  let context: BrowserContext;

  const pageErrors: string[] = [];
  /** The two-factor secret shown on the security page, and one of the recovery codes shown there. */
  let secret = '';
  let recoveryCode = '';

  beforeAll(async () => {
    ({ context, page } = await newPage());
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });
  afterAll(async () => {
    await context?.close();
  });

  it('shows the catalogue to a visitor, accessibly', async () => {
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['cache-control']).toBe('no-cache');
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByRole('link', { name: COURSE_TITLE }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual([
      'Catalogue',
      'Communities',
      'Sign in',
      'Sign up',
    ]);
    await expectAccessible(page, 'catalogue (visitor)');
    await screenshot(page, '01-catalogue-visitor');

    // Subscriptions: the page's CSP and the gateway let a graphql-ws socket open on the same origin.
    const handshake = await page.evaluate<string>(`new Promise((resolve) => {
      const socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
      socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.onmessage = (event) => { socket.close(); resolve(JSON.parse(event.data).type); };
      socket.onerror = () => resolve('error');
    })`);
    expect(handshake).toBe('connection_ack');
  }, 60_000);

  it('signs up, keeps no token where script can read it, and survives a reload (silent refresh)', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await expectAccessible(page, 'sign-up');
    await page.getByLabel('Name').fill('Lea Learner');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByText('Lea Learner').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual([
      'Catalogue',
      'My learning',
      'Library',
      'Chat',
      'Communities',
      'Sessions',
      'Security',
    ]);

    // Evaluated in the page (strings: this package is typed for Node, not the DOM).
    const storage = await page.evaluate<{ cookie: string; local: string; session: string }>(
      `({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) })`,
    );
    expect(storage.cookie).not.toContain('edugraph_refresh');
    expect(`${storage.local}${storage.session}`).not.toMatch(/ey[A-Za-z0-9_-]{10,}\.|refresh/i);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'edugraph_refresh')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/auth',
    });

    await page.reload();
    await page.getByText('Lea Learner').waitFor();
    await expectAccessible(page, 'catalogue (signed in)');
    await screenshot(page, '02-catalogue-signed-in');
  }, 60_000);

  it('opens a course and enrolls in it', async () => {
    await page.getByRole('link', { name: COURSE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: COURSE_TITLE }).waitFor();
    await page.getByRole('heading', { name: 'Course outline' }).waitFor();
    await page.getByText('Why accessibility').waitFor();
    await page.getByRole('button', { name: 'Enroll for free' }).click();
    await page.getByText('You are enrolled in this course.').waitFor();
    await expectAccessible(page, 'course page');
    await screenshot(page, '03-course');
  }, 60_000);

  it('lists the sessions with this browser marked', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Where you are signed in' }).waitFor();
    const list = page.getByRole('list', { name: 'Sessions' });
    await list.getByText('This browser').waitFor();
    await list.getByText('Chrome on Linux').first().waitFor();
    await expectAccessible(page, 'sessions page');
    await screenshot(page, '04-sessions');
  }, 60_000);

  it('signs out (the cookie goes too) and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByText('You are signed out.').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'edugraph_refresh')).toBeUndefined();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '05-sign-in');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The email or password is incorrect.').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByText('Lea Learner').waitFor();
  }, 60_000);

  it('turns two-factor on from the security page: QR code and setup key, code, recovery codes shown once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account security' }).waitFor();
    await page.getByText('Status: Off').waitFor();
    await expectAccessible(page, 'security page (off)');

    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const scan = page.getByRole('heading', { name: 'Step 1 of 2: add Edugraph to your authenticator app' });
    await scan.waitFor();
    expect(await scan.evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const shown = await page.locator('.eg-security__secret').innerText();
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    secret = shown.replace(/\s+/g, '');
    expect(
      await page
        .getByRole('link', { name: 'Open in an authenticator app on this device' })
        .getAttribute('href'),
    ).toMatch(new RegExp(`^otpauth://totp/.*secret=${secret}`));
    await expectAccessible(page, 'security page (enrol)');
    await screenshot(page, '06-security-enrol');

    const code = page.getByLabel('Authentication code');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByText('That code is not valid.').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');

    // Every code is accepted once, and identity accepts the steps either side of now. Start early in a
    // 30-second step, so the three codes this test needs (previous, current, next step) all stay valid.
    const intoStep = Date.now() % 30_000;
    if (intoStep > 18_000) await page.waitForTimeout(30_000 - intoStep + 250);
    const at = new Date();
    await code.fill(totp(secret, at, -1));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByRole('heading', { name: 'Create your recovery codes' }).waitFor();
    await page.getByText('Status: On').waitFor();
    await page.getByRole('status').getByText('Two-factor authentication is on.').waitFor();

    await page.getByLabel('New authentication code').fill(totp(secret, at, 0));
    await page.getByRole('button', { name: 'Create recovery codes' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    const codes = await list.getByRole('listitem').allInnerTexts();
    expect(codes).toHaveLength(10);
    for (const recovery of codes) expect(recovery).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    recoveryCode = codes[0]!;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download codes (.txt)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('edugraph-recovery-codes.txt');
    const downloaded = await readFile((await download.path())!, 'utf8');
    expect(downloaded).toContain(`Edugraph recovery codes for ${email}`);
    expect(downloaded).toContain(codes.join('\n'));
    await expectAccessible(page, 'security page (recovery codes)');
    await screenshot(page, '07-security-recovery-codes');

    const done = page.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await done.click();
    await page
      .getByRole('status')
      .getByText(/recovery codes are saved/)
      .waitFor();
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Turn off two-factor' }).waitFor();
    await expectAccessible(page, 'security page (on)');
    await screenshot(page, '08-security-on');

    // Signing in now asks for a code: a wrong one is refused, the next step's code works.
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByText('You are signed out.').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const signInCode = page.getByLabel('Authentication code');
    await signInCode.waitFor();
    expect(await page.evaluate<string | null>(`document.activeElement?.getAttribute('name') ?? null`)).toBe(
      'totpCode',
    );
    await expectAccessible(page, 'two-factor step');
    await screenshot(page, '06-two-factor');
    await signInCode.fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code is not valid.').waitFor();
    // the previous and current steps' codes were spent confirming the enrolment and creating recovery codes
    await signInCode.fill(totp(secret, at, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByText('Lea Learner').waitFor();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('signs in with a recovery code from the page, once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByText('You are signed out.').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const signInCode = page.getByLabel('Authentication code');
    await signInCode.fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByText('Lea Learner').waitFor();

    // single use: the same code no longer works
    const again = await platform.graphql<unknown>(
      'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
      { input: { email, password: PASSWORD, totpCode: recoveryCode } },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_CODE');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

describe('an admin without two-factor', () => {
  it('is taken to the security page after sign-in, with the reason', async () => {
    await withRoles(platform, 'finn.web@example.com', 'Finn Admin', ['LEARNER', 'ADMIN']);
    const { context, page } = await newPage();
    try {
      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('finn.web@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Account security' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/account/security');
      await page.getByText('Your Admin role requires two-factor authentication').waitFor();
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).waitFor();
      await expectAccessible(page, 'security page (admin must enrol)');

      // elsewhere, a banner keeps pointing there
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await page.getByRole('link', { name: 'Set up two-factor authentication' }).click();
      await page.getByRole('heading', { level: 1, name: 'Account security' }).waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('role-based navigation', () => {
  it('shows an instructor the teaching area with their own courses; a learner is told it is not for them', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${origin}/teaching`);
      // signed out: sent to sign in, and back afterwards
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(new URL(page.url()).search).toBe('?next=%2Fteaching');
      await page.getByLabel('Email').fill('ines.web@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your courses' }).waitFor();
      await page
        .getByRole('list', { name: 'Your courses' })
        .getByRole('link', { name: COURSE_TITLE })
        .waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual([
        'Catalogue',
        'My learning',
        'Library',
        'Teaching',
        'Chat',
        'Communities',
        'Sessions',
        'Security',
      ]);
      await expectAccessible(page, 'teaching page');
      await screenshot(page, '10-teaching');

      await page.goto(`${origin}/admin/review`);
      await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
      await page.getByText('This page is for admin accounts.').waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the learner journey', () => {
  it('signs up, buys a course with the SANDBOX card (declined, then 3-D Secure), opens the player, completes a lesson and sees progress', async () => {
    const { context, page } = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    try {
      await page.goto(`${origin}/sign-up`);
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill('Bea Buyer');
      await page.getByLabel('Email').fill('bea.web@example.com');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();

      await page.getByRole('link', { name: PRICED_TITLE }).click();
      await page.getByRole('heading', { level: 1, name: PRICED_TITLE }).waitFor();
      await page.getByRole('button', { name: /^Buy for / }).click();

      // Checkout: the cart, then a declined card, then 3-D Secure.
      await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
      await page.getByRole('list', { name: 'Cart' }).getByText(PRICED_TITLE).waitFor();
      await expectAccessible(page, 'checkout');
      await screenshot(page, '20-checkout');
      await page.getByLabel('Card number').fill('4000 0000 0000 0002');
      await page.getByRole('button', { name: 'Pay now' }).click();
      await page.getByRole('alert').getByText('Your card was declined. Try another card.').waitFor();
      await expectAccessible(page, 'checkout (declined)');
      await screenshot(page, '21-checkout-declined');
      await page.getByLabel('Card number').fill('4000 0025 0000 3155');
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { name: 'Confirm with your bank' }).waitFor();
      await expectAccessible(page, 'checkout (3-D Secure)');
      await screenshot(page, '22-checkout-3ds');
      await page.getByRole('button', { name: 'Confirm payment' }).click();

      // Paid; order.paid crosses the outbox to learning, the page waits for the enrollment.
      await page.getByRole('heading', { level: 1, name: 'Thank you for your order' }).waitFor();
      const start = page.getByRole('link', { name: `Start learning: ${PRICED_TITLE}` });
      await start.waitFor({ timeout: 30_000 });
      await page.getByText('Payment received. Everything you bought is ready.').waitFor();
      await expectAccessible(page, 'order');
      await screenshot(page, '23-order-paid');

      // The player: outline with the dripped module locked (not a link), progress at 0 %.
      await start.click();
      await page.getByRole('heading', { level: 1, name: PRICED_TITLE }).waitFor();
      await page.getByRole('heading', { name: 'Course outline' }).waitFor();
      await page.getByText('Course progress 0%').waitFor();
      await page.getByText('Audit checklist').waitFor();
      expect(await page.getByRole('link', { name: /Audit checklist/ }).count()).toBe(0);
      await page.getByText(/^Lesson · Unlocks /).waitFor();
      await expectAccessible(page, 'player');
      await page.getByRole('link', { name: /^Start: Design tokens/ }).click();
      await page.getByRole('heading', { level: 2, name: 'Design tokens' }).waitFor();
      await page.getByText('decisions').waitFor();
      await page.getByRole('button', { name: 'Mark as complete' }).click();
      await page.getByText('You completed this lesson.').waitFor();
      // 1 of 4 required items: three lessons (the dripped one too) and the quiz
      await page.getByText('Course progress 25%').waitFor();
      await expectAccessible(page, 'player lesson');
      await screenshot(page, '24-player-lesson');

      // The quiz shows its rules; an attempt is scored.
      await page.getByRole('link', { name: /Tokens check/ }).click();
      await page.getByRole('heading', { level: 2, name: 'Tokens check' }).waitFor();
      await page.getByText('0 of 2 used').waitFor();
      await page.getByText('10 minutes').waitFor();
      await page.getByRole('button', { name: 'Start the quiz' }).click();
      await page.getByLabel('decisions').check();
      await expectAccessible(page, 'quiz attempt');
      await page.getByRole('button', { name: 'Submit answers' }).click();
      await page.getByText('You scored 1 of 1 (100%): passed.').waitFor();
      await screenshot(page, '25-player-quiz');

      // My learning lists the course with its progress and resume point.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My learning' }).click();
      await page.getByRole('heading', { level: 1, name: 'My learning' }).waitFor();
      const card = page.getByRole('list', { name: 'Your courses' }).getByRole('listitem');
      await card.getByText(PRICED_TITLE).waitFor();
      await card.getByText('Course progress 50%').waitFor(); // the passed quiz counts
      await card.getByRole('link', { name: `Resume ${PRICED_TITLE}` }).waitFor();
      await expectAccessible(page, 'my learning');
      await screenshot(page, '26-my-learning');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('buys an ebook from the library and reads it: highlight with a colour and note, bookmark, progress, settings', async () => {
    const { context, page } = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    try {
      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('bea.web@example.com');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your library' }).waitFor();
      await page.getByText('Your library is empty.').waitFor();
      await expectAccessible(page, 'library');
      await page.getByRole('button', { name: `Buy ${EBOOK_TITLE} for €15.00` }).click();
      await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
      await page.getByLabel('Card number').fill('4242424242424242');
      await page.getByRole('button', { name: 'Pay now' }).click();
      const read = page.getByRole('link', { name: `Read now: ${EBOOK_TITLE}` });
      await read.waitFor({ timeout: 30_000 });
      await read.click();

      await page.getByRole('heading', { level: 1, name: EBOOK_TITLE }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Why tokens' }).waitFor();
      await page.getByText('% read').waitFor();
      // Select "everywhere" in the chapter, as a reader would with the mouse.
      await page.evaluate(`(() => {
        const text = document.querySelector('.eg-reader em').firstChild;
        const range = document.createRange();
        range.setStart(text, 0);
        range.setEnd(text, 10);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        document.querySelector('.eg-reader').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      })()`);
      await page.getByLabel('Highlight colour').selectOption({ label: 'Green' });
      await page.getByLabel('Note (optional)').fill('the key word');
      await expectAccessible(page, 'reader (highlighting)');
      await page.getByRole('button', { name: 'Save highlight' }).click();
      await page.locator('.eg-reader mark.eg-highlight--green', { hasText: 'everywhere' }).waitFor();
      await page.getByRole('list', { name: 'Highlights' }).getByText('Note: the key word').waitFor();
      await page.getByRole('button', { name: 'Bookmark this chapter' }).click();
      await page.getByRole('list', { name: 'Bookmarks' }).getByRole('link', { name: 'Why tokens' }).waitFor();
      await page.getByLabel('Page colour').selectOption({ label: 'Sepia' });
      await page.locator('.eg-reader.eg-reader--sepia').waitFor();
      await expectAccessible(page, 'reader');
      await screenshot(page, '27-ebook-reader');

      // The highlight is stored at the offsets the API computes from the chapter text, so it is back after a reload.
      await page.reload();
      await page.locator('.eg-reader mark.eg-highlight--green', { hasText: 'everywhere' }).waitFor();
      await page.getByRole('button', { name: 'Next chapter' }).click();
      await page.getByRole('heading', { level: 2, name: 'Naming' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('themes from runtime config', () => {
  it('offers the delivered packs, switches at runtime, and follows the roll-out flag', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      const picker = page.getByLabel('Theme');
      await picker.locator('option', { hasText: 'Winter' }).waitFor({ state: 'attached' });
      expect(await picker.locator('option').allInnerTexts()).toEqual([
        'Automatic',
        'Light',
        'Dark',
        'High contrast',
        'Winter',
      ]);
      const current = () =>
        page.evaluate<{ theme: string; background: string }>(
          `({ theme: document.documentElement.dataset.theme, background: document.documentElement.style.getPropertyValue('--eg-color-background') })`,
        );
      expect(await current()).toEqual({ theme: 'light', background: '#ffffff' });

      for (const [label, id] of [
        ['Dark', 'dark'],
        ['High contrast', 'high-contrast'],
      ] as const) {
        await picker.selectOption({ label });
        expect((await current()).theme).toBe(id);
        await expectAccessible(page, `catalogue in ${id}`);
        await screenshot(page, `07-catalogue-${id}`);
      }
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      expect(await current()).toEqual({ theme: 'high-contrast', background: '#000000' });

      // Roll the seasonal pack out: people who have not chosen a theme get it by default.
      await page.getByLabel('Theme').selectOption({ label: 'Automatic' });
      await ok(
        platform,
        `mutation { updateFeatureFlag(input: { key: "ui-theme-rollout", booleanValue: true }) { featureFlag { key } } }`,
        {},
        admin.token,
      );
      await page.reload();
      await page.locator('html[data-theme="winter"]').waitFor({ state: 'attached' });
      await expectAccessible(page, 'catalogue in winter');
      await screenshot(page, '08-catalogue-winter');

      // The kill switch rolls it back.
      await ok(
        platform,
        `mutation { setFeatureFlagKillSwitch(input: { key: "ui-theme-rollout", killed: true }) { featureFlag { key } } }`,
        {},
        admin.token,
      );
      await page.reload();
      await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('is usable on a phone-sized screen: the menu folds and opens', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      await expectAccessible(page, 'phone layout');
      await screenshot(page, '09-phone');
    } finally {
      await context.close();
    }
  }, 60_000);
});
