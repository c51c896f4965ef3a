import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, TEST_PASSWORD, withRoles, type Actor } from '../../src/harness/actors.js';
import type { TestPlatform } from '../../src/harness/test-platform.js';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  startWebPlatform,
  subscribed,
  type WebPlatform,
} from '../../src/web/browser.js';

/**
 * Community moderation in headless Chromium against the whole platform (trusted documents required): a member
 * reports another member's post; a moderator, in a second browser context, finds the case in the Moderation tab,
 * suppresses the post (the reporter's feed loses it live), sees it marked in their own feed, undoes the
 * suppression (it comes back in the reporter's feed), adds a blocked word in the settings — and a post using it
 * is flagged into the queue automatically.
 */

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
let author: Actor;
let communityId: string;
const SLUG = 'moderated-guild';
const NAME = 'Moderated Guild';
const BAD_WORD = 'frobnicator';

const join = (actor: Actor) =>
  ok(
    platform,
    `mutation($input: JoinCommunityInput!) { joinCommunity(input: $input) { membership { id } } }`,
    { input: { communityId, timeZone: 'UTC' } },
    actor.token,
  );

const createPost = (title: string, body: string) =>
  ok<{ createPost: { post: { id: string } } }>(
    platform,
    `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`,
    { input: { communityId, title, body } },
    author.token,
  );

beforeAll(async () => {
  web = await startWebPlatform('moderation');
  ({ platform, origin } = web);
  const owner = await withRoles(platform, 'owen.mod@example.com', 'Owen Owner', ['LEARNER', 'INSTRUCTOR']);
  const created = await ok<{ createCommunity: { community: { id: string } } }>(
    platform,
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
    { input: { name: NAME, slug: SLUG, description: 'A community with moderators.', visibility: 'PUBLIC' } },
    owner.token,
  );
  communityId = created.createCommunity.community.id;
  const moderator = await withRoles(platform, 'mo.mod@example.com', 'Mo Moderator', ['LEARNER']);
  const reporter = await withRoles(platform, 'rita.mod@example.com', 'Rita Reporter', ['LEARNER']);
  author = await withRoles(platform, 'sam.mod@example.com', 'Sam Seller', ['LEARNER']);
  for (const actor of [moderator, reporter, author]) await join(actor);
  await ok(
    platform,
    `mutation($input: SetCommunityMemberRoleInput!) { setCommunityMemberRole(input: $input) { membership { id role } } }`,
    { input: { communityId, userId: moderator.id, role: 'MODERATOR' } },
    owner.token,
  );
  const welcome = await createPost(
    'Welcome, everyone',
    '<p>Say hello and tell us what you are learning.</p>',
  );
  await ok(
    platform,
    `mutation($input: CreateCommentInput!) { createComment(input: $input) { comment { id } } }`,
    { input: { postId: welcome.createPost.post.id, body: '<p>Nobody here knows anything.</p>' } },
    author.token,
  );
  await createPost('Cheap watches', '<p>Buy my watches, best prices in town.</p>');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

async function signIn(context: BrowserContext, email: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
  return page;
}

describe('community moderation', () => {
  it('a report reaches the moderator, who suppresses and restores the post live, and a blocked word is flagged', async () => {
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    try {
      // the reporter reads the feed
      const reporterContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      reporterContext.setDefaultTimeout(20_000);
      contexts.push(reporterContext);
      const reporter = await signIn(reporterContext, 'rita.mod@example.com', errors);
      const feedSubscribed = subscribed(reporter, 'communityFeedUpdated');
      await reporter.goto(`${origin}/communities/${SLUG}`);
      await reporter.getByText('You are member').waitFor();
      const watches = reporter.getByRole('heading', { level: 2, name: 'Cheap watches' });
      await watches.waitFor();
      await feedSubscribed;
      // members have no Moderation tab
      expect(await reporter.getByRole('link', { name: 'Moderation' }).count()).toBe(0);

      // Report → a small dialog with the API's reasons and a note
      await reporter.getByRole('button', { name: 'Report Cheap watches' }).click();
      const dialog = reporter.getByRole('dialog', { name: 'Report Cheap watches' });
      await dialog.waitFor();
      await dialog.getByRole('radio', { name: 'Spam' }).check();
      await dialog.getByLabel('Note for the moderators (optional)').fill('Selling watches, not learning');
      await expectAccessible(reporter, 'report dialog');
      await screenshot(reporter, 'moderation-01-report-dialog');
      await dialog.getByRole('button', { name: 'Send report' }).click();
      await reporter
        .getByRole('status')
        .filter({ hasText: 'Thank you — your report about this post was sent to the moderators.' })
        .waitFor();
      // reporting again is answered by the API (ALREADY_REPORTED) and explained
      await reporter.getByRole('button', { name: 'Report Cheap watches' }).click();
      await dialog.getByRole('radio', { name: 'Off topic' }).check();
      await dialog.getByRole('button', { name: 'Send report' }).click();
      await reporter
        .getByRole('status')
        .filter({ hasText: 'You already reported this post; the moderators have your report.' })
        .waitFor();

      // a comment is reported the same way
      await reporter.getByRole('button', { name: '1 comment' }).click();
      await reporter.getByRole('button', { name: 'Report comment by Sam Seller' }).click();
      const commentDialog = reporter.getByRole('dialog', { name: 'Report comment by Sam Seller' });
      await commentDialog.getByRole('radio', { name: 'Harassment or bullying' }).check();
      await commentDialog.getByRole('button', { name: 'Send report' }).click();
      await reporter
        .getByRole('status')
        .filter({ hasText: 'Thank you — your report about this comment was sent to the moderators.' })
        .waitFor();

      // the moderator, in another browser context, opens the queue
      const moderatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      moderatorContext.setDefaultTimeout(20_000);
      contexts.push(moderatorContext);
      const moderator = await signIn(moderatorContext, 'mo.mod@example.com', errors);
      await moderator.goto(`${origin}/communities/${SLUG}`);
      await moderator.getByText('You are moderator').waitFor();
      await moderator.getByRole('link', { name: 'Moderation' }).click();
      const kase = moderator.getByRole('article', { name: 'Post by Sam Seller' });
      await kase.waitFor();
      await kase.getByText('Severity: Low').waitFor();
      await kase.getByText('Spam — Rita Reporter: “Selling watches, not learning”').waitFor();
      await kase.getByText('Buy my watches, best prices in town.').waitFor();
      await moderator
        .getByRole('article', { name: 'Comment by Sam Seller' })
        .getByText('Harassment or bullying — Rita Reporter')
        .waitFor();
      await expectAccessible(moderator, 'moderation queue');
      await screenshot(moderator, 'moderation-02-queue');

      // suppress: the reporter's feed loses the post without a reload
      await kase.getByLabel('Reason for the audit (optional)').fill('Advertising');
      await kase.getByRole('button', { name: 'Suppress', exact: true }).click();
      await kase.getByText('Suppress: done. The case is resolved.').waitFor();
      await kase.getByText('Resolved (Suppress)').waitFor();
      await watches.waitFor({ state: 'detached' });
      await reporter.getByRole('heading', { level: 2, name: 'Welcome, everyone' }).waitFor();
      await screenshot(reporter, 'moderation-03-reporter-feed-without-post');

      // the moderator still sees it in the feed, marked
      await moderator.getByRole('link', { name: 'Feed' }).click();
      await moderator
        .getByRole('article', { name: 'Cheap watches' })
        .getByText('Suppressed — hidden from members')
        .waitFor();
      await expectAccessible(moderator, 'feed with a suppressed post');
      await screenshot(moderator, 'moderation-04-moderator-feed-marker');

      // the case is resolved now: undo it from the resolved cases, with its audit trail
      await moderator.getByRole('link', { name: 'Moderation' }).click();
      await moderator.getByRole('button', { name: 'Resolved cases' }).click();
      const resolved = moderator.getByRole('article', { name: 'Post by Sam Seller' });
      await resolved.getByText('Audit trail (1)').click();
      await resolved.getByText('Suppress by Mo Moderator').waitFor();
      await resolved.getByRole('button', { name: 'Undo suppress' }).click();
      await resolved.getByText('Suppress undone.').waitFor();
      await resolved.getByText('(undone)').waitFor();
      // …and the post is back in the reporter's feed, live
      await watches.waitFor();
      await screenshot(reporter, 'moderation-05-reporter-feed-restored');

      // a blocked word in the settings; a post using it is flagged automatically
      await moderator.getByLabel('Blocked words (one a line)').fill(BAD_WORD);
      await moderator.getByRole('button', { name: 'Save settings' }).click();
      await moderator.getByText('Saved: 1 word added to the built-in list.').waitFor();
      await createPost('Tools', `<p>My ${BAD_WORD} is the best tool here.</p>`);
      await moderator.getByRole('button', { name: 'Open cases' }).click();
      const flagged = moderator
        .getByRole('article', { name: 'Post by Sam Seller' })
        .filter({ hasText: `Blocked words (+40): ${BAD_WORD}` });
      // the flag arrives through the event pipeline: refresh until it is there
      for (let attempt = 0; attempt < 60 && (await flagged.count()) === 0; attempt += 1) {
        await moderator.getByRole('button', { name: 'Refresh' }).click();
        await moderator.waitForTimeout(500);
      }
      await flagged.waitFor();
      await flagged.getByText('Severity: Medium').waitFor();
      await flagged.getByText('0 reports').waitFor();
      await expectAccessible(moderator, 'queue with an automatic flag');
      await screenshot(moderator, 'moderation-06-auto-flag');

      expect(errors).toEqual([]);
    } finally {
      for (const c of contexts) await c.close();
    }
  }, 240_000);
});
