import type { Browser, BrowserContext } from 'playwright-core';
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
 * The community pages in headless Chromium against the whole platform: a new person signs up, finds a public
 * community (created through the API), joins, posts — and the owner, in a second browser context, sees the post
 * arrive over `communityFeedUpdated` without a reload — then answers an event that is full (waitlisted).
 */

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
let owner: Actor;
const SLUG = 'web-guild';
const NAME = 'Web Guild';

beforeAll(async () => {
  web = await startWebPlatform('community');
  ({ platform, origin } = web);
  owner = await withRoles(platform, 'olga.web@example.com', 'Olga Owner', ['LEARNER', 'INSTRUCTOR']);
  const created = await ok<{ createCommunity: { community: { id: string } } }>(
    platform,
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
    {
      input: {
        name: NAME,
        slug: SLUG,
        description: 'People building accessible web apps.',
        visibility: 'PUBLIC',
      },
    },
    owner.token,
  );
  const communityId = created.createCommunity.community.id;
  const startsAt = new Date(Date.now() + 2 * 24 * 3_600_000);
  startsAt.setUTCMinutes(0, 0, 0);
  const event = await ok<{ createCommunityEvent: { event: { id: string } } }>(
    platform,
    `mutation($input: CreateCommunityEventInput!) { createCommunityEvent(input: $input) { event { id } } }`,
    {
      input: {
        communityId,
        title: 'Accessibility clinic',
        description: '<p>Bring a page to review.</p>',
        timeZone: 'UTC',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        meetingUrl: 'https://meet.example.com/clinic',
        capacity: 1,
      },
    },
    owner.token,
  );
  // the owner takes the only place, so the newcomer is waitlisted
  await ok(
    platform,
    `mutation($input: RsvpCommunityEventInput!) { rsvpCommunityEvent(input: $input) { rsvp { status } } }`,
    { input: { eventId: event.createCommunityEvent.event.id, status: 'GOING' } },
    owner.token,
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('community pages', () => {
  it('signs up, joins, posts (seen live by another member), and answers a full event', async () => {
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    try {
      // the owner watches the feed in another browser context
      const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      ownerContext.setDefaultTimeout(20_000);
      contexts.push(ownerContext);
      const watcher = await ownerContext.newPage();
      watcher.on('pageerror', (error) => errors.push(String(error)));
      await watcher.goto(`${origin}/sign-in`);
      await watcher.getByLabel('Email').fill('olga.web@example.com');
      await watcher.getByLabel('Password').fill(TEST_PASSWORD);
      await watcher.getByRole('button', { name: 'Sign in' }).click();
      await watcher.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      const feedSubscribed = subscribed(watcher, 'communityFeedUpdated');
      await watcher.getByRole('link', { name: 'Communities' }).click();
      await watcher.getByRole('list', { name: 'Communities' }).getByRole('link', { name: NAME }).click();
      await watcher.getByRole('heading', { level: 1, name: NAME }).waitFor();
      await watcher.getByText('You are owner').waitFor();
      await watcher.getByText('No posts yet.').waitFor();
      await feedSubscribed;

      // a newcomer signs up, finds the community and joins
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${origin}/sign-up`);
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill('Sam Newcomer');
      await page.getByLabel('Email').fill('sam.community@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();

      await page.getByRole('link', { name: 'Communities' }).click();
      await page.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
      await page.getByLabel('Search communities').fill('Web Guild');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: NAME }).waitFor();
      await expectAccessible(page, 'communities directory');
      await screenshot(page, 'community-01-directory');
      await page.getByRole('link', { name: NAME }).click();
      await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
      // a public community: outsiders read the feed, but only members write
      await page.getByText('No posts yet.').waitFor();
      expect(await page.getByRole('form', { name: 'New post' }).count()).toBe(0);
      await page.getByRole('button', { name: `Join ${NAME}` }).click();
      await page.getByText('You are member').waitFor();
      await page.getByRole('form', { name: 'New post' }).waitFor();
      await expectAccessible(page, 'community feed');

      // a post with a tag and a poll
      await page.getByLabel('Title (optional)').fill('Hello from Sam');
      await page
        .getByLabel('Post', { exact: true })
        .fill('Glad to be here. Which screen reader do you test with?');
      await page.getByLabel('Tags').fill('intro, a11y');
      await page.getByLabel('Add a poll').check();
      await page.getByLabel('Poll options (one a line)').fill('NVDA\nVoiceOver');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 2, name: 'Hello from Sam' }).waitFor();

      // the owner sees it without reloading
      await watcher.getByRole('heading', { level: 2, name: 'Hello from Sam' }).waitFor();
      await watcher.getByText('#a11y').waitFor();
      await screenshot(watcher, 'community-02-live-post-other-context');

      // the owner reacts; the newcomer votes and sees the results
      await watcher.getByRole('button', { name: /^👍 0 reactions/ }).click();
      await watcher.getByRole('button', { name: '👍 1 reaction, yours' }).waitFor();
      // the newcomer sees the owner's reaction arrive (UPDATED over communityFeedUpdated), not as theirs
      await page.getByRole('button', { name: '👍 1 reaction', exact: true }).waitFor();
      await page.getByRole('radio', { name: 'VoiceOver' }).check();
      await page.getByRole('button', { name: 'Vote' }).click();
      await page.getByText('1 voter', { exact: true }).waitFor();
      await expectAccessible(page, 'feed with a poll');
      await screenshot(page, 'community-03-feed');

      // a comment and a reply
      await page.getByRole('button', { name: '0 comments' }).click();
      await page.getByLabel('Add a comment').fill('First!');
      await page.getByRole('button', { name: 'Comment', exact: true }).click();
      await page.locator('.eg-comment').getByText('First!').waitFor();
      await page.getByRole('button', { name: 'Reply to Sam Newcomer' }).click();
      await page.getByLabel('Reply to Sam Newcomer').fill('A reply in the thread');
      await page.getByRole('button', { name: 'Reply', exact: true }).click();
      await page.locator('.eg-comment .eg-comment').getByText('A reply in the thread').waitFor();

      // the event is full: going puts the newcomer on the waitlist
      await page.getByRole('link', { name: 'Events' }).click();
      await page.getByRole('heading', { level: 2, name: 'Accessibility clinic' }).waitFor();
      await page.getByText('1 going · 0 interested · 0 spots left').waitFor();
      await page.getByRole('button', { name: 'Going', exact: true }).click();
      await page.getByText('You are on the waitlist (position 1).').waitFor();
      expect(await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toMatch(
        /^webcal:/,
      );
      await expectAccessible(page, 'events');
      await screenshot(page, 'community-04-events');
      await page.getByRole('button', { name: 'Month' }).click();
      await page.getByRole('table').waitFor();
      await expectAccessible(page, 'month view');

      await page.getByRole('link', { name: 'Leaderboard' }).click();
      await page.getByLabel('Ranked by').waitFor();
      await page.getByRole('link', { name: 'Members', exact: true }).click();
      await page.getByText('Olga Owner · owner').waitFor();
      await expectAccessible(page, 'members');
      await screenshot(page, 'community-05-members');

      // small screens: the tabs wrap and the feed stays usable
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('link', { name: 'Feed' }).click();
      await page.getByRole('heading', { level: 2, name: 'Hello from Sam' }).waitFor();
      await expectAccessible(page, 'feed on a phone');
      await screenshot(page, 'community-06-feed-phone');

      expect(errors).toEqual([]);
    } finally {
      for (const c of contexts) await c.close();
    }
  }, 180_000);
});
