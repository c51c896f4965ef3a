// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  AddEbookToLibraryDocument,
  AddToCartDocument,
  MyCartDocument,
  MyLibraryDocument,
  type MyLibraryQuery,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { LibraryPage } from './library-page.js';

const author = { __typename: 'User' as const, id: 'u9', displayName: 'Ines Instructor' };
type Listed = MyLibraryQuery['ebooks']['edges'][number]['node'];
const listed = (id: string, title: string, isFree: boolean, viewerOwns = false): Listed => ({
  __typename: 'Ebook',
  id,
  title,
  description: `${title}, explained.`,
  isFree,
  viewerOwns,
  price: isFree ? null : { __typename: 'Money', amount: 1500, currency: 'EUR' },
  product: isFree ? null : { __typename: 'Product', id: `p-${id}` },
  author,
});

const library = (owned: boolean): MyLibraryQuery => ({
  viewer: {
    __typename: 'User',
    id: 'u1',
    library: {
      __typename: 'EbookConnection',
      edges: owned
        ? [
            {
              __typename: 'EbookEdge',
              node: {
                __typename: 'Ebook',
                id: 'b2',
                title: 'Free Primer',
                description: 'Free Primer, explained.',
                author,
                viewerProgress: { __typename: 'EbookReadingProgress', chapterId: 'c1', percent: 40 },
              },
            },
          ]
        : [],
    },
  },
  ebooks: {
    __typename: 'EbookConnection',
    edges: [listed('b1', 'Token Handbook', false), listed('b2', 'Free Primer', true, owned)].map((node) => ({
      __typename: 'EbookEdge' as const,
      node,
    })),
  },
});

const emptyCart = { myCart: { __typename: 'Cart' as const, items: [] } };

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('LibraryPage', () => {
  it('adds a free ebook to the library and sends a priced one to checkout', async () => {
    rendered = await renderPage(
      [
        { path: '/library', element: <LibraryPage /> },
        { path: '/checkout', element: <h1>Checkout page</h1> },
      ],
      {
        mocks: [
          { request: { query: MyLibraryDocument }, result: { data: library(false) } },
          {
            request: { query: AddEbookToLibraryDocument, variables: { input: { ebookId: 'b2' } } },
            result: {
              data: { addEbookToLibrary: { ebook: { __typename: 'Ebook', id: 'b2', viewerOwns: true } } },
            },
          },
          { request: { query: MyLibraryDocument }, result: { data: library(true) } },
          {
            request: { query: AddToCartDocument, variables: { input: { productId: 'p-b1', quantity: 1 } } },
            result: { data: { addToCart: { cart: emptyCart.myCart } } },
          },
          { request: { query: MyCartDocument }, result: { data: emptyCart } },
        ],
      },
    );
    const { container, router } = rendered;
    await eventually(() => expect(container.textContent).toContain('Your library is empty.'));
    expect(await axeViolations(container)).toEqual([]);
    await click(
      container.querySelector<HTMLButtonElement>('button[aria-label="Add Free Primer to your library"]')!,
    );
    await eventually(() =>
      expect(container.querySelector('ul[aria-label="Your ebooks"]')?.textContent).toContain('40% read'),
    );
    expect(container.querySelector('ul[aria-label="Your ebooks"] a')?.getAttribute('href')).toBe(
      '/library/b2',
    );
    await click(button(container, 'Buy Token Handbook for €15.00'));
    await eventually(() => expect(router.state.location.pathname).toBe('/checkout'));
  });
});
