// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelTierSubscriptionDocument,
  CommunityTiersDocument,
  ConfirmTierPaymentDocument,
  CreatePaywallTierDocument,
  MyTierSubscriptionsDocument,
  SetTierPriceDocument,
  SubscribeToTierDocument,
  type CommunityPermission,
  type TierSubscriptionViewFragment,
  type TierViewFragment,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { LockedPostNotice } from './locked-post-notice.js';
import { TierGateSelect } from './tier-gate-select.js';
import { TiersTab } from './tiers-tab.js';

const MEMBER: CommunityPermission[] = ['CONTENT_READ', 'POST_CREATE'];
const OWNER: CommunityPermission[] = [...MEMBER, 'TIER_MANAGE'];

const tier = (id: string, name: string, overrides: Partial<TierViewFragment> = {}): TierViewFragment => ({
  __typename: 'CommunityTier',
  id,
  communityId: 'c1',
  name,
  description: `${name} members get more.`,
  rank: 1,
  benefits: ['Weekly office hours', 'Members-only posts'],
  archivedAt: null,
  price: { __typename: 'Money', amount: 900, currency: 'EUR' },
  product: {
    __typename: 'Product',
    id: `p-${id}`,
    active: true,
    billingInterval: 'MONTHLY',
    trialDays: 0,
    price: { __typename: 'Money', amount: 900, currency: 'EUR' },
  },
  ...overrides,
});

const GOLD = tier('t1', 'Gold');
const PLATINUM = tier('t2', 'Platinum', {
  rank: 2,
  benefits: [],
  price: { __typename: 'Money', amount: 12000, currency: 'USD' },
  product: {
    __typename: 'Product',
    id: 'p-t2',
    active: true,
    billingInterval: 'ANNUAL',
    trialDays: 14,
    price: { __typename: 'Money', amount: 12000, currency: 'USD' },
  },
});
const DRAFT = tier('t3', 'Draft', { price: null, product: null, benefits: [] });

const tiersMock = (tiers: TierViewFragment[], held: string[] = [], includeArchived = false) => ({
  request: { query: CommunityTiersDocument, variables: { communityId: 'c1', includeArchived } },
  result: {
    data: {
      community: {
        __typename: 'Community' as const,
        id: 'c1',
        tiers,
        viewerTiers: held.map((id) => ({ __typename: 'CommunityTier' as const, id })),
      },
    },
  },
});

const subscription = (
  id: string,
  overrides: Partial<TierSubscriptionViewFragment> = {},
): TierSubscriptionViewFragment => ({
  __typename: 'TierSubscription',
  id,
  status: 'ACTIVE',
  billingInterval: 'MONTHLY',
  price: { __typename: 'Money', amount: 900, currency: 'EUR' },
  trialEndsAt: null,
  currentPeriodStart: '2026-12-01T10:00:00.000Z',
  currentPeriodEnd: '2027-01-01T10:00:00.000Z',
  cancelAtPeriodEnd: false,
  canceledAt: null,
  endedAt: null,
  tier: { __typename: 'CommunityTier', id: 't1', communityId: 'c1', name: 'Gold' },
  ...overrides,
});

const subsMock = (subs: TierSubscriptionViewFragment[]) => ({
  request: { query: MyTierSubscriptionsDocument },
  result: { data: { myTierSubscriptions: subs } },
  maxUsageCount: Number.POSITIVE_INFINITY,
});

const payment = (status: string, failureCode: string | null = null) => ({
  __typename: 'PaymentSession' as const,
  provider: 'SANDBOX',
  status,
  failureCode,
});
const order = (id: string, status: string, failureCode: string | null = null) => ({
  __typename: 'Order' as const,
  id,
  status,
  failureCode,
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

const renderTab = (
  mocks: Parameters<typeof renderPage>[1] extends infer O
    ? O extends { mocks?: infer M }
      ? M
      : never
    : never,
  props: { permissions?: CommunityPermission[]; isOwner?: boolean } = {},
) =>
  renderPage(
    [
      {
        path: '/communities/:slug/:tab',
        element: (
          <TiersTab
            communityId="c1"
            slug="guild"
            permissions={props.permissions ?? MEMBER}
            isOwner={props.isOwner ?? false}
            signedIn
          />
        ),
      },
      { path: '/communities/:slug/feed', element: <h1>Feed</h1> },
    ],
    { mocks, at: '/communities/guild/membership' },
  );

const tierCard = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll<HTMLElement>('ul[aria-label="Tiers"] > li')].find(
    (li) => li.querySelector('h3')?.textContent === name,
  );

describe('TiersTab', () => {
  it('lists the tiers with price, interval, trial and what they unlock; the tier held is marked', async () => {
    rendered = await renderTab([tiersMock([GOLD, PLATINUM, DRAFT], ['t1']), subsMock([])]);
    const { container } = rendered;
    await eventually(() => expect(tierCard(container, 'Platinum')).toBeDefined());
    const gold = tierCard(container, 'Gold')!;
    expect(gold.textContent).toContain('€9.00 a month');
    expect(gold.textContent).toContain('Weekly office hours');
    expect(gold.textContent).toContain('You hold this tier.');
    expect(gold.querySelector('button')).toBeNull();
    const platinum = tierCard(container, 'Platinum')!;
    expect(platinum.textContent).toContain('$120.00 a year · 14-day free trial');
    expect(platinum.textContent).toContain('rank 2');
    expect(platinum.querySelector('button[aria-label="Subscribe to Platinum"]')).not.toBeNull();
    const draft = tierCard(container, 'Draft')!;
    expect(draft.textContent).toContain('Not for sale yet');
    expect(draft.querySelector('button')).toBeNull();
    // members neither edit nor archive
    expect(container.textContent).not.toContain('Manage tiers');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('subscribes with the SANDBOX card: a decline is explained, the retry asks for 3-D Secure, then waits for the grant', async () => {
    const incomplete = subscription('s1', {
      status: 'INCOMPLETE',
      currentPeriodStart: null,
      currentPeriodEnd: null,
    });
    rendered = await renderTab([
      tiersMock([GOLD]),
      subsMock([]),
      {
        request: {
          query: SubscribeToTierDocument,
          variables: {
            input: {
              productId: 'p-t1',
              paymentMethod: '4000000000000002',
              billingCountry: 'DE',
              provider: 'SANDBOX',
            },
          },
        },
        result: {
          data: {
            subscribeToTier: {
              __typename: 'SubscribeToTierPayload',
              subscription: incomplete,
              order: order('o1', 'PAYMENT_FAILED', 'card_declined'),
              payment: payment('FAILED', 'card_declined'),
            },
          },
        },
      },
      {
        request: {
          query: CancelTierSubscriptionDocument,
          variables: { input: { subscriptionId: 's1', atPeriodEnd: false } },
        },
        result: {
          data: {
            cancelTierSubscription: {
              __typename: 'TierSubscriptionPayload',
              subscription: { ...incomplete, status: 'CANCELED' },
            },
          },
        },
      },
      {
        request: {
          query: SubscribeToTierDocument,
          variables: {
            input: {
              productId: 'p-t1',
              paymentMethod: '4000002500003155',
              billingCountry: 'DE',
              provider: 'SANDBOX',
            },
          },
        },
        result: {
          data: {
            subscribeToTier: {
              __typename: 'SubscribeToTierPayload',
              subscription: { ...incomplete, id: 's2' },
              order: order('o2', 'REQUIRES_ACTION'),
              payment: payment('REQUIRES_ACTION'),
            },
          },
        },
      },
      {
        request: { query: ConfirmTierPaymentDocument, variables: { input: { orderId: 'o2' } } },
        result: {
          data: {
            confirmOrderPayment: {
              __typename: 'CheckoutPayload',
              order: order('o2', 'PAID'),
              payment: payment('SUCCEEDED'),
            },
          },
        },
      },
      // community has not granted the tier yet, then it has
      tiersMock([GOLD]),
      tiersMock([GOLD], ['t1']),
      tiersMock([GOLD], ['t1']),
    ]);
    const { container } = rendered;
    await eventually(() => expect(tierCard(container, 'Gold')).toBeDefined());
    await click(
      tierCard(container, 'Gold')!.querySelector<HTMLButtonElement>(
        'button[aria-label="Subscribe to Gold"]',
      )!,
    );
    const form = container.querySelector<HTMLFormElement>('form[aria-label="Pay for Gold"]')!;
    expect(form).not.toBeNull();
    expect(await axeViolations(container)).toEqual([]);
    const country = form.querySelector('select')!;
    await act(async () => {
      country.value = 'DE';
      country.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await typeText(field(container, 'Card number'), '4000 0000 0000 0002');
    await click(button(container, 'Pay €9.00 a month'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'Your card was declined. Try another card.',
      ),
    );

    await typeText(field(container, 'Card number'), '4000 0025 0000 3155');
    await click(button(container, 'Pay €9.00 a month'));
    await eventually(() => expect(container.textContent).toContain('Confirm with your bank'));
    await click(button(container, 'Confirm payment'));
    await eventually(() => expect(container.textContent).toContain('Payment received. Unlocking Gold…'));
    await eventually(() => expect(container.textContent).toContain('You now hold Gold.'));
    expect(container.querySelector('a[href="/communities/guild/feed"]')).not.toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('cancels at period end after confirming, then shows the end date', async () => {
    const active = subscription('s1');
    rendered = await renderTab([
      tiersMock([GOLD], ['t1']),
      subsMock([active]),
      {
        request: {
          query: CancelTierSubscriptionDocument,
          variables: { input: { subscriptionId: 's1', atPeriodEnd: true } },
        },
        result: {
          data: {
            cancelTierSubscription: {
              __typename: 'TierSubscriptionPayload',
              subscription: { ...active, cancelAtPeriodEnd: true, canceledAt: '2026-12-05T10:00:00.000Z' },
            },
          },
        },
      },
    ]);
    const { container } = rendered;
    await eventually(() => expect(container.textContent).toContain('Active: renews on Jan 1, 2027.'));
    expect(tierCard(container, 'Gold')!.textContent).toContain('You hold this tier.');
    await click(button(container, 'Cancel at period end'));
    const confirm = container.querySelector<HTMLElement>(
      '[role="group"][aria-label="Confirm cancellation"]',
    )!;
    expect(confirm.textContent).toContain('Stop renewing Gold? You keep it until Jan 1, 2027.');
    expect(await axeViolations(container)).toEqual([]);
    // changing one's mind keeps it
    await click(button(container, 'Keep my subscription'));
    expect(container.querySelector('[aria-label="Confirm cancellation"]')).toBeNull();
    await click(button(container, 'Cancel at period end'));
    await click(button(container, 'Yes, cancel'));
    await eventually(() => expect(container.textContent).toContain('Active: canceled, ends on Jan 1, 2027.'));
    expect(container.textContent).not.toContain('Cancel at period end');
    expect(container.querySelector('[aria-label="Confirm cancellation"]')).toBeNull();
  });

  it('starts a free trial (no charge now, no order) and waits for the grant', async () => {
    const trialing = subscription('s3', {
      tier: { __typename: 'CommunityTier', id: 't2', communityId: 'c1', name: 'Platinum' },
      status: 'TRIALING',
      billingInterval: 'ANNUAL',
      price: { __typename: 'Money', amount: 12000, currency: 'USD' },
      trialEndsAt: '2026-12-19T10:00:00.000Z',
      currentPeriodStart: null,
      currentPeriodEnd: null,
    });
    rendered = await renderTab([
      tiersMock([PLATINUM]),
      subsMock([]),
      {
        request: {
          query: SubscribeToTierDocument,
          variables: {
            input: {
              productId: 'p-t2',
              paymentMethod: '4242424242424242',
              billingCountry: 'US',
              provider: 'SANDBOX',
            },
          },
        },
        result: {
          data: {
            subscribeToTier: {
              __typename: 'SubscribeToTierPayload',
              subscription: trialing,
              order: null,
              payment: null,
            },
          },
        },
      },
      tiersMock([PLATINUM], ['t2']),
      tiersMock([PLATINUM], ['t2']),
    ]);
    const { container } = rendered;
    await eventually(() => expect(tierCard(container, 'Platinum')).toBeDefined());
    await click(button(container, 'Subscribe'));
    expect(container.textContent).toContain('$120.00 a year after a 14-day free trial.');
    await typeText(field(container, 'Card number'), '4242 4242 4242 4242');
    await click(button(container, 'Start free trial'));
    await eventually(() => expect(container.textContent).toContain('You now hold Platinum.'));
  });

  it('ends a trial now after confirming; the tiers held are read again', async () => {
    const trialing = subscription('s3', {
      status: 'TRIALING',
      trialEndsAt: '2026-12-19T10:00:00.000Z',
      currentPeriodStart: null,
      currentPeriodEnd: null,
    });
    rendered = await renderTab([
      tiersMock([GOLD], ['t1']),
      subsMock([trialing]),
      {
        request: {
          query: CancelTierSubscriptionDocument,
          variables: { input: { subscriptionId: 's3', atPeriodEnd: false } },
        },
        result: {
          data: {
            cancelTierSubscription: {
              __typename: 'TierSubscriptionPayload',
              subscription: {
                ...trialing,
                status: 'CANCELED',
                canceledAt: '2026-12-06T10:00:00.000Z',
                endedAt: '2026-12-06T10:00:00.000Z',
              },
            },
          },
        },
      },
      tiersMock([GOLD]),
    ]);
    const { container } = rendered;
    await eventually(() =>
      expect(container.textContent).toContain(
        'Free trial: ends on Dec 19, 2026, when the first period is charged.',
      ),
    );
    // a trial has no paid period to run out: only "now"
    expect(() => button(container, 'Cancel at period end')).toThrow();
    await click(button(container, 'Cancel trial now'));
    expect(container.textContent).toContain('End Gold now? You lose access to its posts at once');
    await click(button(container, 'Yes, cancel'));
    await eventually(() => expect(container.textContent).toContain('Canceled: ended on Dec 6, 2026.'));
    await eventually(() =>
      expect(tierCard(container, 'Gold')!.textContent).not.toContain('You hold this tier.'),
    );
    expect(() => button(container, 'Cancel trial now')).toThrow();
  });

  it('lets the owner create a priced tier: a taken name is shown on the field, the price is sent in minor units', async () => {
    const created = tier('t9', 'Platinum', { price: null, product: null, benefits: ['Live Q&A'] });
    rendered = await renderTab(
      [
        tiersMock([GOLD], [], true),
        subsMock([]),
        {
          request: {
            query: CreatePaywallTierDocument,
            variables: {
              input: { communityId: 'c1', name: 'Gold', description: '', rank: 2, benefits: ['Live Q&A'] },
            },
          },
          result: {
            errors: [
              {
                message: 'This community already has a tier named "Gold".',
                extensions: { code: 'TIER_NAME_TAKEN', field: 'name' },
              },
            ],
          },
        },
        {
          request: {
            query: CreatePaywallTierDocument,
            variables: {
              input: {
                communityId: 'c1',
                name: 'Platinum',
                description: '',
                rank: 2,
                benefits: ['Live Q&A'],
              },
            },
          },
          result: { data: { createPaywallTier: { __typename: 'CommunityTierPayload', tier: created } } },
        },
        {
          request: {
            query: SetTierPriceDocument,
            variables: {
              input: {
                kind: 'COMMUNITY_TIER',
                refId: 't9',
                title: 'Platinum',
                amount: 1950,
                currency: 'EUR',
                billingInterval: 'MONTHLY',
                trialDays: 7,
              },
            },
          },
          result: {
            data: {
              setProductPrice: {
                __typename: 'SetProductPricePayload',
                product: {
                  __typename: 'Product',
                  id: 'p-t9',
                  refId: 't9',
                  active: true,
                  billingInterval: 'MONTHLY',
                  trialDays: 7,
                  price: { __typename: 'Money', amount: 1950, currency: 'EUR' },
                },
              },
            },
          },
        },
        tiersMock([GOLD, tier('t9', 'Platinum')], [], true),
      ],
      { permissions: OWNER, isOwner: true },
    );
    const { container } = rendered;
    await eventually(() => expect(tierCard(container, 'Gold')).toBeDefined());
    expect(tierCard(container, 'Gold')!.querySelector('button[aria-label="Archive Gold"]')).not.toBeNull();
    // the owner sells the tiers, so is not offered to buy them
    expect(tierCard(container, 'Gold')!.querySelector('button[aria-label="Subscribe to Gold"]')).toBeNull();
    await click(button(container, 'New tier'));
    await typeText(field(container, 'Tier name'), 'Gold');
    await typeText(field(container, 'Rank'), '2');
    const benefits = [...container.querySelectorAll('label')].find(
      (l) => l.textContent === 'What it unlocks (one a line)',
    )!.control as HTMLTextAreaElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    await act(async () => {
      setter.call(benefits, 'Live Q&A\n');
      benefits.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await typeText(field(container, 'Amount'), '19.5');
    await typeText(field(container, 'Currency'), 'eur');
    await typeText(field(container, 'Free trial days'), '7');
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Create tier'));
    await eventually(() => expect(field(container, 'Tier name').getAttribute('aria-invalid')).toBe('true'));
    expect(container.textContent).toContain('This community already has a tier named "Gold".');

    await typeText(field(container, 'Tier name'), 'Platinum');
    await click(button(container, 'Create tier'));
    await eventually(() => expect(container.textContent).toContain('Platinum is saved.'));
    await eventually(() => expect(tierCard(container, 'Platinum')?.textContent).toContain('€9.00 a month'));
    expect(container.querySelector('form[aria-label="New tier"]')).toBeNull();
  });

  it('tells an admin who is not the owner that only the owner prices a tier', async () => {
    rendered = await renderTab([tiersMock([GOLD], [], true), subsMock([])], {
      permissions: OWNER,
      isOwner: false,
    });
    const { container } = rendered;
    await eventually(() => expect(tierCard(container, 'Gold')).toBeDefined());
    await click(button(container, 'Edit'));
    expect(field(container, 'Tier name').value).toBe('Gold');
    expect(container.textContent).toContain('Only the community’s owner sets a tier’s price');
    expect(() => field(container, 'Amount')).toThrow();
  });
});

describe('LockedPostNotice', () => {
  it('names the tier that opens a locked post and links to the membership tab', async () => {
    rendered = await renderPage(
      [
        {
          path: '/communities/:slug/:tab',
          element: <LockedPostNotice requiredTierId="t1" communityId="c1" />,
        },
      ],
      {
        at: '/communities/guild/feed',
        mocks: [tiersMock([GOLD])],
      },
    );
    const { container } = rendered;
    await eventually(() => expect(container.textContent).toContain('For members of the Gold tier'));
    const link = container.querySelector('a')!;
    expect(link.textContent).toBe('Unlock with Gold');
    expect(link.getAttribute('href')).toBe('/communities/guild/membership');
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('TierGateSelect', () => {
  it('offers everyone or one of the live tiers', async () => {
    const chosen: string[] = [];
    rendered = await renderPage(
      [
        {
          path: '/',
          element: <TierGateSelect communityId="c1" value="" onChange={(id) => chosen.push(id)} />,
        },
      ],
      { mocks: [tiersMock([GOLD, PLATINUM])] },
    );
    const { container } = rendered;
    await eventually(() => expect(container.querySelectorAll('option')).toHaveLength(3));
    expect([...container.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Everyone who can see the community',
      'Members of Gold (or a higher tier)',
      'Members of Platinum (or a higher tier)',
    ]);
    const select = container.querySelector('select')!;
    await act(async () => {
      select.value = 't2';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(chosen).toEqual(['t2']);
    expect(await axeViolations(container)).toEqual([]);
  });
});
