import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, withRoles } from '../../src/harness/actors.js';
import type { TestPlatform } from '../../src/harness/test-platform.js';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  startWebPlatform,
  type WebPlatform,
} from '../../src/web/browser.js';

/**
 * A community owner in headless Chromium against the whole platform (trusted documents required): an instructor
 * creates a private community in the web app and an invite link for one person; someone signed out opens the
 * link, signs up and joins; a third person finds the link used up and asks to join, and the owner approves;
 * the owner makes the first a moderator and bans the second, who cannot come back.
 */

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
const NAME = 'Night Owls Study Group';
const SLUG = 'night-owls-study-group';

beforeAll(async () => {
  web = await startWebPlatform('community-owner');
  ({ platform, origin } = web);
  await withRoles(platform, 'ivy.owner@example.com', 'Ivy Instructor', ['LEARNER', 'INSTRUCTOR']);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('community owner', () => {
  it('creates a private community, invites, approves, promotes and bans', async () => {
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    const open = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(String(error)));
      return page;
    };
    const signUp = async (page: Page, name: string, email: string) => {
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
    };
    try {
      // the instructor signs in and creates a private community from the directory
      const owner = await open();
      await owner.goto(`${origin}/sign-in`);
      await owner.getByLabel('Email').fill('ivy.owner@example.com');
      await owner.getByLabel('Password').fill(TEST_PASSWORD);
      await owner.getByRole('button', { name: 'Sign in' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await owner.getByRole('link', { name: 'Communities' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
      await owner.getByRole('link', { name: 'Create a community' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Create a community' }).waitFor();
      await owner.getByLabel('Name').fill(NAME);
      expect(await owner.getByLabel('Address').inputValue()).toBe(SLUG);
      await owner.getByLabel('Description').fill('Late-night revision, together.');
      await owner.getByLabel('Private — only members read it').check();
      expect(await owner.getByLabel('Who may join').inputValue()).toBe('APPROVAL');
      await owner.getByLabel('Categories').fill('study, revision');
      await expectAccessible(owner, 'create a community');
      await screenshot(owner, 'community-owner-01-create');
      await owner.getByRole('button', { name: 'Create community' }).click();
      await owner.getByRole('heading', { level: 1, name: NAME }).waitFor();
      expect(new URL(owner.url()).pathname).toBe(`/communities/${SLUG}`);
      await owner.getByText('You are owner').waitFor();
      await owner.getByText('1 member · Private').waitFor();

      // an invite link for one person
      await owner.getByRole('link', { name: 'Manage', exact: true }).click();
      await owner.getByRole('heading', { level: 2, name: 'Invite links' }).waitFor();
      await owner.getByText('No requests are waiting.').waitFor();
      await owner.getByLabel('Maximum uses').fill('1');
      await owner.getByRole('button', { name: 'Create invite link' }).click();
      const link = owner.getByLabel('Invite link to share');
      await link.waitFor();
      const inviteUrl = await link.inputValue();
      expect(inviteUrl).toMatch(new RegExp(`^${origin}/communities/${SLUG}/invite/[A-Za-z0-9_-]{16,}$`));
      await owner.getByRole('cell', { name: 'Active' }).waitFor();
      await owner.getByRole('cell', { name: '0 of 1' }).waitFor();
      await expectAccessible(owner, 'manage tab');
      await screenshot(owner, 'community-owner-02-manage');

      // someone signed out opens the link: sign up, come back, join
      const bea = await open();
      await bea.goto(inviteUrl);
      await bea.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(new URL(bea.url()).searchParams.get('next')).toBe(new URL(inviteUrl).pathname);
      await bea.getByRole('link', { name: 'Create an account' }).click();
      await signUp(bea, 'Bea Invitee', 'bea.invitee@example.com');
      await bea.getByRole('heading', { level: 1, name: `You are invited to ${NAME}` }).waitFor();
      await bea.getByText('Late-night revision, together.').waitFor();
      await expectAccessible(bea, 'invite page');
      await screenshot(bea, 'community-owner-03-invite');
      await bea.getByRole('button', { name: `Join ${NAME}`, exact: true }).click();
      await bea.getByRole('heading', { level: 1, name: NAME }).waitFor();
      await bea.getByText('You are member').waitFor();

      // a third person finds the link used up and asks to join instead
      const cal = await open();
      await cal.goto(`${origin}/sign-up`);
      await signUp(cal, 'Cal Requester', 'cal.requester@example.com');
      await cal.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await cal.goto(inviteUrl);
      await cal.getByText('This invite link has been used as many times as it allows.').waitFor();
      expect(await cal.getByRole('button', { name: `Join ${NAME}`, exact: true }).count()).toBe(0);
      await cal.getByRole('button', { name: `Request to join ${NAME}` }).click();
      await cal.getByText('Your request is waiting for approval.').waitFor();

      // the owner approves the request
      await owner.getByRole('link', { name: 'Feed', exact: true }).click();
      await owner.getByRole('link', { name: 'Manage', exact: true }).click();
      await owner.getByRole('button', { name: 'Approve Cal Requester' }).click();
      await owner.getByText('No requests are waiting.').waitFor();

      // the members tab: Bea becomes a moderator, Cal is banned (after confirming)
      await owner.getByRole('link', { name: 'Members', exact: true }).click();
      await owner.getByText('Cal Requester · member').waitFor();
      expect(await owner.getByText('Manage Ivy Instructor').count()).toBe(0);
      await owner.getByText('Manage Bea Invitee').click();
      await owner.getByLabel('Role of Bea Invitee').selectOption('MODERATOR');
      await owner.getByRole('button', { name: 'Change role' }).click();
      await owner.getByText('Bea Invitee is now moderator.').waitFor();
      await owner.getByText('Bea Invitee · moderator').waitFor();
      await owner.getByText('Manage Cal Requester').click();
      await owner.getByRole('button', { name: 'Ban Cal Requester' }).click();
      await owner.getByLabel('Reason (optional)').fill('Spam in the feed');
      await expectAccessible(owner, 'member actions with a ban to confirm');
      await screenshot(owner, 'community-owner-04-ban');
      await owner.getByRole('button', { name: 'Yes, ban Cal Requester' }).click();
      await owner.getByText('Cal Requester · member').waitFor({ state: 'detached' });
      await owner.getByRole('link', { name: 'Manage', exact: true }).click();
      await owner.getByRole('list', { name: 'Banned members' }).getByText('Cal Requester').waitFor();
      await owner.getByText('Spam in the feed').waitFor();

      // Bea, now a moderator, sees the Manage tab for requests and invites
      await bea.reload();
      await bea.getByText('You are moderator').waitFor();
      await bea.getByRole('link', { name: 'Manage', exact: true }).click();
      await bea.getByRole('heading', { level: 2, name: 'Join requests' }).waitFor();
      expect(await bea.getByRole('heading', { level: 2, name: 'Settings' }).count()).toBe(0);

      // Cal cannot come back: not by request, not with a fresh link
      // (a private community is hidden from people it banned)
      await cal.goto(`${origin}/communities/${SLUG}`);
      await cal.getByText('This community does not exist, or it is private.').waitFor();
      expect(await cal.getByRole('button', { name: `Request to join ${NAME}` }).count()).toBe(0);
      await owner.getByRole('button', { name: 'Create invite link' }).click();
      await owner.getByLabel('Invite link to share').waitFor();
      const secondUrl = await owner.getByLabel('Invite link to share').inputValue();
      expect(secondUrl).not.toBe(inviteUrl);
      await cal.goto(secondUrl);
      await cal.getByRole('heading', { level: 1, name: `You are invited to ${NAME}` }).waitFor();
      await cal.getByText('You were banned from this community.').waitFor();
      expect(await cal.getByRole('button', { name: `Join ${NAME}`, exact: true }).count()).toBe(0);

      // the owner reaches the community from "Communities you run"
      await owner.getByRole('link', { name: 'Communities', exact: true }).click();
      await owner.getByRole('heading', { level: 2, name: 'Communities you run' }).waitFor();
      await owner.getByRole('link', { name: `Manage ${NAME}` }).click();
      await owner.getByRole('heading', { level: 2, name: 'Invite links' }).waitFor();

      expect(errors).toEqual([]);
    } finally {
      for (const c of contexts) await c.close();
    }
  }, 240_000);
});
