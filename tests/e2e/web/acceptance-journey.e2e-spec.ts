import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, ok, TEST_PASSWORD, withRoles } from '../../src/harness/actors.js';
import { createPublishedCourse } from '../../src/harness/content.js';
import type { TestPlatform } from '../../src/harness/test-platform.js';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  startWebPlatform,
  type WebPlatform,
} from '../../src/web/browser.js';

/**
 * The web app's acceptance journey in one flow, in real headless Chromium against the whole platform: a new person
 * signs up, buys a course with the SANDBOX card, completes a lesson, joins a community, posts, and chats live with
 * the community's owner, who is signed in in a second browser context. Only the instructor's content (a priced,
 * approved course and a public community) is made through the API beforehand.
 */

const COURSE = 'Community Building 101';
const COMMUNITY = 'Builders Circle';
const OWNER_EMAIL = 'olga.journey@example.com';

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  web = await startWebPlatform('journey');
  ({ platform, origin } = web);
  const admin = await makeAdmin(platform, 'ada.journey@example.com');
  const owner = await withRoles(platform, OWNER_EMAIL, 'Olga Owner', ['LEARNER', 'INSTRUCTOR']);
  await createPublishedCourse(platform, owner, admin, {
    title: COURSE,
    summary: 'Start, grow and keep a learning community.',
    lessons: [
      { title: 'Why communities', bodyHtml: '<p>People learn <strong>together</strong>.</p>' },
      { title: 'First members', bodyHtml: '<p>Invite ten people you know.</p>' },
    ],
    price: { amount: 1_900, currency: 'USD' },
  });
  await ok(
    platform,
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
    {
      input: {
        name: COMMUNITY,
        slug: 'builders-circle',
        description: 'Course graduates building communities.',
        visibility: 'PUBLIC',
      },
    },
    owner.token,
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

async function openContext(errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  return { context, page };
}

describe('the acceptance journey', () => {
  it('sign up → buy a course → complete a lesson → join a community → post → chat live with another person', async () => {
    const errors: string[] = [];
    const contexts: BrowserContext[] = [];
    try {
      // The community's owner is signed in elsewhere, on the chat page.
      const olga = await openContext(errors);
      contexts.push(olga.context);
      await olga.page.goto(`${origin}/sign-in`);
      await olga.page.getByLabel('Email').fill(OWNER_EMAIL);
      await olga.page.getByLabel('Password').fill(TEST_PASSWORD);
      await olga.page.getByRole('button', { name: 'Sign in' }).click();
      await olga.page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await olga.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
      await olga.page.getByRole('heading', { level: 1, name: 'Chat' }).waitFor();
      await olga.page.getByText('No conversations yet.').waitFor();

      // 1. Sign up.
      const nia = await openContext(errors);
      contexts.push(nia.context);
      const page = nia.page;
      await page.goto(`${origin}/`);
      await page.getByRole('link', { name: 'Sign up' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill('Nia Newcomer');
      await page.getByLabel('Email').fill('nia.journey@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await screenshot(page, 'journey-01-signed-up');

      // 2. Buy the course with the SANDBOX test card.
      await page.getByRole('link', { name: COURSE }).click();
      await page.getByRole('heading', { level: 1, name: COURSE }).waitFor();
      await page.getByRole('button', { name: /^Buy for / }).click();
      await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
      await page.getByRole('list', { name: 'Cart' }).getByText(COURSE).waitFor();
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await page.getByRole('button', { name: 'Pay now' }).click();
      await page.getByRole('heading', { level: 1, name: 'Thank you for your order' }).waitFor();
      // order.paid crosses commerce's outbox to learning; the page waits for the enrollment
      const start = page.getByRole('link', { name: `Start learning: ${COURSE}` });
      await start.waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'order');
      await screenshot(page, 'journey-02-order-paid');

      // 3. Complete a lesson.
      await start.click();
      await page.getByRole('heading', { level: 1, name: COURSE }).waitFor();
      await page.getByText('Course progress 0%').waitFor();
      await page.getByRole('link', { name: /^Start: Why communities/ }).click();
      await page.getByRole('heading', { level: 2, name: 'Why communities' }).waitFor();
      await page.getByText('together').waitFor();
      await page.getByRole('button', { name: 'Mark as complete' }).click();
      await page.getByText('You completed this lesson.').waitFor();
      await page.getByText('Course progress 50%').waitFor();
      await expectAccessible(page, 'player');
      await screenshot(page, 'journey-03-lesson-completed');

      // 4. Join the community.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Communities' }).click();
      await page.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
      await page.getByRole('link', { name: COMMUNITY }).click();
      await page.getByRole('heading', { level: 1, name: COMMUNITY }).waitFor();
      await page.getByRole('button', { name: `Join ${COMMUNITY}` }).click();
      await page.getByText('You are member').waitFor();

      // 5. Post.
      await page.getByLabel('Title (optional)').fill('Hello, builders');
      await page
        .getByLabel('Post', { exact: true })
        .fill('I just finished my first lesson of Community Building 101.');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 2, name: 'Hello, builders' }).waitFor();
      await expectAccessible(page, 'community feed');
      await screenshot(page, 'journey-04-posted');

      // 6. Message the owner from the member list; both sides chat live.
      await page.getByRole('link', { name: 'Members', exact: true }).click();
      await page.getByText('Olga Owner · owner').waitFor();
      await page.getByRole('button', { name: 'Message Olga Owner' }).click();
      await page.getByRole('heading', { level: 1, name: 'Chat' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Olga Owner' }).waitFor();
      await page.getByLabel('Message', { exact: true }).fill('Hi Olga! Thanks for the course.');
      await page.getByRole('button', { name: 'Send' }).click();
      await page
        .getByRole('log', { name: 'Messages' })
        .getByText('Hi Olga! Thanks for the course.')
        .waitFor();

      // Olga's list learns of the conversation and its unread message over graphql-ws, without a reload.
      const conversations = olga.page.getByRole('navigation', { name: 'Conversations' });
      await conversations.getByRole('link', { name: 'Nia Newcomer' }).waitFor();
      await conversations.getByText('1 unread').waitFor();
      await screenshot(olga.page, 'journey-05-owner-unread');
      await conversations.getByRole('link', { name: 'Nia Newcomer' }).click();
      await olga.page
        .getByRole('log', { name: 'Messages' })
        .getByText('Hi Olga! Thanks for the course.')
        .waitFor();

      // Olga types (Nia sees it), then her reply arrives live.
      await olga.page.getByLabel('Message', { exact: true }).click();
      await olga.page.keyboard.type('Welcome, Nia! Glad you joined.');
      await page.getByText('Olga Owner is typing…').waitFor();
      await olga.page.keyboard.press('Enter');
      await page.getByRole('log', { name: 'Messages' }).getByText('Welcome, Nia! Glad you joined.').waitFor();
      await page.getByText('Olga Owner is typing…').waitFor({ state: 'detached' });
      await expectAccessible(page, 'chat');
      await screenshot(page, 'journey-06-chat');

      expect(errors).toEqual([]);
    } finally {
      for (const context of contexts) await context.close();
    }
  }, 240_000);
});
