// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AddEbookHighlightDocument,
  EbookChapterBodyDocument,
  EbookReaderDocument,
  SaveReadingProgressDocument,
  type EbookReaderQuery,
  type HighlightViewFragment,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { ReaderPage } from './reader-page.js';

const highlight: HighlightViewFragment = {
  __typename: 'EbookHighlight',
  id: 'h1',
  chapterId: 'ch1',
  startOffset: 0,
  endOffset: 6,
  text: 'Tokens',
  colour: 'GREEN',
  note: 'key idea',
  createdAt: '2026-11-28T09:00:00.000Z',
};

const reader = (highlights: HighlightViewFragment[]): EbookReaderQuery => ({
  ebook: {
    __typename: 'Ebook',
    id: 'b1',
    title: 'Design Tokens Handbook',
    viewerOwns: true,
    chapters: [
      { __typename: 'EbookChapter', id: 'ch1', position: 1, title: 'Foundations', wordCount: 6 },
      { __typename: 'EbookChapter', id: 'ch2', position: 2, title: 'Scaling', wordCount: 2 },
    ],
    viewerHighlights: highlights,
    viewerBookmarks: [],
    viewerProgress: null,
  },
  readerSettings: {
    __typename: 'ReaderSettings',
    theme: 'SEPIA',
    fontSize: 18,
    lineHeight: 1.6,
    fontFamily: 'SERIF',
  },
});

const bodies = {
  ebook: {
    __typename: 'Ebook' as const,
    id: 'b1',
    chapters: [
      {
        __typename: 'EbookChapter' as const,
        id: 'ch1',
        body: '<p>Tokens name decisions.</p><p>Use them <em>everywhere</em>.</p>',
      },
      { __typename: 'EbookChapter' as const, id: 'ch2', body: '<p>Scale up.</p>' },
    ],
  },
};

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('ReaderPage', () => {
  it('shows the chapter with its highlights and settings, and highlights a selection with a colour and note', async () => {
    const added: HighlightViewFragment = {
      ...highlight,
      id: 'h2',
      startOffset: 32,
      endOffset: 42,
      text: 'everywhere',
      colour: 'PINK',
      note: 'remember',
    };
    rendered = await renderPage([{ path: '/library/:ebookId', element: <ReaderPage /> }], {
      at: '/library/b1',
      mocks: [
        {
          request: { query: EbookReaderDocument, variables: { id: 'b1' } },
          result: { data: reader([highlight]) },
        },
        { request: { query: EbookChapterBodyDocument, variables: { id: 'b1' } }, result: { data: bodies } },
        {
          request: {
            query: SaveReadingProgressDocument,
            variables: { input: { chapterId: 'ch1', offset: 0 } },
          },
          result: {
            data: {
              saveReadingProgress: {
                __typename: 'EbookReadingProgress',
                chapterId: 'ch1',
                offset: 0,
                percent: 10,
                updatedAt: '2026-11-28T10:00:00.000Z',
              },
            },
          },
        },
        {
          request: {
            query: AddEbookHighlightDocument,
            variables: {
              input: { chapterId: 'ch1', startOffset: 32, endOffset: 42, colour: 'PINK', note: 'remember' },
            },
          },
          result: { data: { addEbookHighlight: { highlight: added } } },
        },
        {
          request: { query: EbookReaderDocument, variables: { id: 'b1' } },
          result: { data: reader([highlight, added]) },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('.eg-reader mark')?.textContent).toBe('Tokens'));
    const content = container.querySelector<HTMLElement>('.eg-reader')!;
    expect(content.className).toBe('eg-reader eg-reader--sepia');
    expect(content.style.fontSize).toBe('18px');
    expect(content.querySelector('mark')?.className).toBe('eg-highlight eg-highlight--green');
    await eventually(() => expect(container.textContent).toContain('10% read'));
    expect(await axeViolations(container)).toEqual([]);

    // Select "everywhere" and highlight it in pink with a note.
    const em = content.querySelector('em')!.firstChild!;
    await act(async () => {
      const range = document.createRange();
      range.setStart(em, 0);
      range.setEnd(em, 10);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      content.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    await eventually(() =>
      expect(container.querySelector('.eg-reader__selection blockquote')?.textContent).toBe('everywhere'),
    );
    const colour = [...container.querySelectorAll('label')].find((l) => l.textContent === 'Highlight colour')!
      .control as HTMLSelectElement;
    await act(async () => {
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
      setter?.call(colour, 'PINK');
      colour.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const note = [...container.querySelectorAll('label')].find((l) => l.textContent === 'Note (optional)')!
      .control as HTMLInputElement;
    await typeText(note, 'remember');
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Save highlight'));
    await eventually(() =>
      expect([...content.querySelectorAll('mark')].map((m) => `${m.textContent}:${m.className}`)).toEqual([
        'Tokens:eg-highlight eg-highlight--green',
        'everywhere:eg-highlight eg-highlight--pink',
      ]),
    );
    expect(container.querySelector('ul[aria-label="Highlights"]')?.textContent).toContain('Note: remember');
  });
});
