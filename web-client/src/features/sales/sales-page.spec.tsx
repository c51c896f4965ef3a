// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { MySalesDocument } from '../../generated/graphql.js';
import { axeViolations, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { SalesPage } from './sales-page.js';

// the viewer's locale formats money; the expectations use the same formatter
const shown = (major: number) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(major);

const eur = (amount: number) => ({ __typename: 'Money' as const, amount, currency: 'EUR' });

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('SalesPage', () => {
  it('shows sales with commission and share, the balance owed and payouts', async () => {
    rendered = await renderPage([{ path: '/teaching/sales', element: <SalesPage /> }], {
      mocks: [
        {
          request: { query: MySalesDocument },
          result: {
            data: {
              mySales: {
                __typename: 'SaleConnection',
                edges: [
                  {
                    __typename: 'SaleEdge',
                    node: {
                      __typename: 'Sale',
                      id: 's1',
                      orderId: 'o1',
                      kind: 'COURSE',
                      title: 'Screen Readers',
                      quantity: 1,
                      total: eur(4900),
                      commission: eur(980),
                      sellerShare: eur(3920),
                      createdAt: '2026-11-28T10:00:00.000Z',
                    },
                  },
                ],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 's1' },
              },
              myBalances: [
                { __typename: 'LedgerBalance', accountId: 'acc1', currency: 'EUR', balance: -3920 },
              ],
              myPayouts: [],
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('table tbody tr')).not.toBeNull());
    const cells = [...container.querySelectorAll('table tbody td')].map((td) => td.textContent);
    expect(cells.slice(1)).toEqual(['Screen Readers', '1', shown(49), shown(9.8), shown(39.2)]);
    expect(container.querySelector('ul[aria-label="Balances"]')?.textContent).toBe(
      `Owed to you: ${shown(39.2)}`,
    );
    expect(container.textContent).toContain('No payouts yet.');
    expect(await axeViolations(container)).toEqual([]);
  });
});
