import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, TEST_PASSWORD, withRoles, type Actor } from '../../src/harness/actors.js';
import { signUp, type TestPlatform } from '../../src/harness/test-platform.js';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  startWebPlatform,
  type WebPlatform,
} from '../../src/web/browser.js';

/**
 * Community membership tiers in headless Chromium against the whole platform (trusted documents required): the
 * owner sets up a community, a priced tier (community's createPaywallTier, commerce's setProductPrice with kind
 * COMMUNITY_TIER) and a post gated on it through the API. A member sees the post locked with the tier that
 * opens it, follows the link to the Membership tab, subscribes with the SANDBOX card (declined, then 3-D
 * Secure), waits until community granted the tier (subscription.activated crosses commerce's outbox into
 * community's inbox) and reads the post; then cancels at period end and sees the date the tier ends.
 */

let platform: TestPlatform;
let web: WebPlatform;
let origin: string;
let browser: Browser;
let owner: Actor;
let memberToken: string;
const SLUG = 'tier-guild';
const NAME = 'Tier Guild';
const POST_TITLE = 'Gold-only deep dive';
const SECRET = 'The secret sauce is semantic HTML.';
// Longer than the 280-character excerpt everyone sees, so the secret is only in the gated body.
const TEASER = 'Everyone may read this teaser about building accessible web apps. '.repeat(5);

beforeAll(async () => {
  web = await startWebPlatform('tiers');
  ({ platform, origin } = web);
  // setProductPrice needs a seller (INSTRUCTOR) and commerce's seller rule asks community: the owner sells.
  owner = await withRoles(platform, 'tia.owner@example.com', 'Tia Owner', ['LEARNER', 'INSTRUCTOR']);
  const created = await ok<{ createCommunity: { community: { id: string } } }>(
    platform,
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
    {
      input: { name: NAME, slug: SLUG, description: 'Deep dives for paying members.', visibility: 'PUBLIC' },
    },
    owner.token,
  );
  const communityId = created.createCommunity.community.id;
  const tier = await ok<{ createPaywallTier: { tier: { id: string } } }>(
    platform,
    `mutation($input: CreatePaywallTierInput!) { createPaywallTier(input: $input) { tier { id } } }`,
    {
      input: {
        communityId,
        name: 'Gold',
        description: 'Weekly deep dives.',
        rank: 1,
        benefits: ['Gold-only posts', 'Monthly Q&A'],
      },
    },
    owner.token,
  );
  const tierId = tier.createPaywallTier.tier.id;
  await ok(
    platform,
    `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
    {
      input: {
        kind: 'COMMUNITY_TIER',
        refId: tierId,
        title: `${NAME} — Gold`,
        amount: 900,
        currency: 'EUR',
        billingInterval: 'MONTHLY',
        trialDays: 0,
      },
    },
    owner.token,
  );
  await ok(
    platform,
    `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`,
    {
      input: {
        communityId,
        title: POST_TITLE,
        body: `<p>${TEASER}</p><p>${SECRET}</p>`,
        requiredTierId: tierId,
      },
    },
    owner.token,
  );
  const member = await signUp(platform, 'mo.member@example.com', 'Mo Member');
  memberToken = member.accessToken;
  await ok(
    platform,
    `mutation($input: JoinCommunityInput!) { joinCommunity(input: $input) { membership { id } } }`,
    { input: { communityId } },
    memberToken,
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('community membership tiers', () => {
  it('a member sees a locked post, subscribes with the SANDBOX card, reads it, then cancels at period end', async () => {
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
      context.setDefaultTimeout(30_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('mo.member@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();

      // the feed: the post is locked and says which tier opens it
      await page.goto(`${origin}/communities/${SLUG}/feed`);
      await page.getByRole('heading', { level: 2, name: POST_TITLE }).waitFor();
      await page.getByText('For members of the Gold tier').waitFor();
      expect(await page.getByText(SECRET).count()).toBe(0);
      await expectAccessible(page, 'feed with a locked post');
      await screenshot(page, 'community-tiers-01-locked-post');

      // the membership tab: the tier, its price and what it unlocks
      await page.getByRole('link', { name: 'Unlock with Gold' }).click();
      await page.getByRole('heading', { level: 2, name: 'Membership tiers' }).waitFor();
      const gold = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 3, name: 'Gold' }) });
      await gold.getByText('€9.00 a month').waitFor();
      await gold.getByText('Monthly Q&A').waitFor();
      await expectAccessible(page, 'membership tab');
      await screenshot(page, 'community-tiers-02-tiers');

      // subscribing: a declined card, then 3-D Secure
      await gold.getByRole('button', { name: 'Subscribe to Gold' }).click();
      await page.getByRole('heading', { level: 2, name: 'Subscribe to Gold' }).waitFor();
      await page.getByLabel('Card number').fill('4000 0000 0000 0002');
      await page.getByRole('button', { name: 'Pay €9.00 a month' }).click();
      await page.getByRole('alert').getByText('Your card was declined. Try another card.').waitFor();
      await expectAccessible(page, 'subscribe (declined)');
      await page.getByLabel('Card number').fill('4000 0025 0000 3155');
      await page.getByRole('button', { name: 'Pay €9.00 a month' }).click();
      await page.getByRole('heading', { name: 'Confirm with your bank' }).waitFor();
      await expectAccessible(page, 'subscribe (3-D Secure)');
      await screenshot(page, 'community-tiers-03-3ds');
      await page.getByRole('button', { name: 'Confirm payment' }).click();
      // community grants the tier once subscription.activated arrived from commerce
      await page.getByText('You now hold Gold.').waitFor();
      await page.getByText('You hold this tier.').waitFor();
      await screenshot(page, 'community-tiers-04-granted');

      // the post opens in the feed
      await page.getByRole('link', { name: 'Go to the feed' }).click();
      await page.getByText(SECRET).waitFor();
      expect(await page.getByText('For members of the Gold tier').count()).toBe(0);
      await expectAccessible(page, 'feed with the post open');
      await screenshot(page, 'community-tiers-05-post-open');

      // cancel at period end: the subscription stays active until the end of the paid period
      const subs = await ok<{ myTierSubscriptions: { status: string; currentPeriodEnd: string }[] }>(
        platform,
        '{ myTierSubscriptions { status currentPeriodEnd } }',
        {},
        memberToken,
      );
      const active = subs.myTierSubscriptions.find((s) => s.status === 'ACTIVE');
      expect(active).toBeDefined();
      const endsOn = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(
        new Date(active!.currentPeriodEnd),
      );
      await page.getByRole('link', { name: 'Membership' }).click();
      await page.getByText(`Active: renews on ${endsOn}.`).waitFor();
      await page.getByRole('button', { name: 'Cancel at period end' }).click();
      await page
        .getByRole('group', { name: 'Confirm cancellation' })
        .getByText(`Stop renewing Gold? You keep it until ${endsOn}.`)
        .waitFor();
      await expectAccessible(page, 'confirm cancellation');
      await page.getByRole('button', { name: 'Yes, cancel' }).click();
      await page.getByText(`Active: canceled, ends on ${endsOn}.`).waitFor();
      expect(await page.getByRole('button', { name: 'Cancel at period end' }).count()).toBe(0);
      await expectAccessible(page, 'canceled at period end');
      await screenshot(page, 'community-tiers-06-canceled');

      // still readable until the period ends
      await page.getByRole('link', { name: 'Feed' }).click();
      await page.getByText(SECRET).waitFor();
      expect(errors).toEqual([]);
    } finally {
      for (const c of contexts) await c.close();
    }
  }, 240_000);
  it('the owner creates a priced tier (a taken name refused on the field), posts for its members only, and archives it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(30_000);
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('tia.owner@example.com');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
      await page.goto(`${origin}/communities/${SLUG}/membership`);
      await page.getByRole('heading', { level: 2, name: 'Manage tiers' }).waitFor();
      await page.getByRole('button', { name: 'New tier' }).click();
      const form = page.getByRole('form', { name: 'New tier' });
      await form.getByLabel('Tier name').fill('Gold');
      await form.getByLabel('Rank').fill('2');
      await form.getByLabel('What it unlocks (one a line)').fill('Everything in Gold\nA yearly workshop');
      await form.getByLabel('Amount').fill('19.50');
      await form.getByLabel('Currency').fill('eur');
      await form.getByLabel('Billing interval').selectOption('ANNUAL');
      await form.getByLabel('Free trial days').fill('7');
      await expectAccessible(page, 'tier editor');
      await form.getByRole('button', { name: 'Create tier' }).click();
      // community's typed error (TIER_NAME_TAKEN, field name) is shown on the field
      await form.getByText('This community already has a tier named "Gold".').waitFor();
      expect(await form.getByLabel('Tier name').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'community-tiers-07-owner-name-taken');
      await form.getByLabel('Tier name').fill('Platinum');
      await form.getByRole('button', { name: 'Create tier' }).click();
      await page.getByText('Platinum is saved.').waitFor();
      const platinum = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 3, name: 'Platinum' }) });
      await platinum.getByText('€19.50 a year · 7-day free trial').waitFor();
      await platinum.getByText('A yearly workshop').waitFor();
      expect(await platinum.getByRole('button', { name: 'Subscribe to Platinum' }).count()).toBe(0);
      await expectAccessible(page, 'owner membership tab');
      await screenshot(page, 'community-tiers-08-owner-tiers');

      // a post only Platinum members read (the composer's tier choice): the Gold member sees it locked
      await page.getByRole('link', { name: 'Feed' }).click();
      const composer = page.getByRole('form', { name: 'New post' });
      await composer.getByLabel('Title (optional)').fill('Platinum plans');
      await composer.getByLabel('Post', { exact: true }).fill('Next year we run a workshop series.');
      await composer
        .getByLabel('Who can read it')
        .selectOption({ label: 'Members of Platinum (or a higher tier)' });
      await expectAccessible(page, 'composer with a tier');
      await composer.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 2, name: 'Platinum plans' }).waitFor();
      const feed = await ok<{
        community: {
          feed: { edges: { node: { title: string | null; locked: boolean; body: string | null } }[] };
        };
      }>(
        platform,
        'query($slug: String!) { community(slug: $slug) { feed(first: 10) { edges { node { title locked body } } } } }',
        { slug: SLUG },
        memberToken,
      );
      const plans = feed.community.feed.edges.find((e) => e.node.title === 'Platinum plans');
      expect(plans?.node).toMatchObject({ locked: true, body: null });
      await page.getByRole('link', { name: 'Membership' }).click();

      await platinum.getByRole('button', { name: 'Archive Platinum' }).click();
      await page.getByRole('group', { name: 'Confirm archiving Platinum' }).waitFor();
      await page.getByRole('button', { name: 'Yes, archive' }).click();
      await page.getByText('Platinum is archived: it is no longer offered.').waitFor();
      await platinum.getByText(/Archived on/).waitFor();
      expect(await platinum.getByRole('button', { name: 'Archive Platinum' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
