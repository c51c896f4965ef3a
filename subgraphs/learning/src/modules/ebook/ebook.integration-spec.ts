import 'reflect-metadata';
import { createHmac, randomUUID } from 'node:crypto';
import type { DomainEvent } from '@edugraph/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

const NOW = new Date('2026-07-01T12:00:00.000Z');
let h: LearningHarness;
let author: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('ebook', { now: NOW });
  author = await h.user(['INSTRUCTOR']);
});
afterAll(async () => {
  await h?.close();
});

const CREATE = `mutation($input: CreateEbookInput!) { createEbook(input: $input) { ebook { id status } } }`;
const CHAPTER = `mutation($input: AddEbookChapterInput!) { addEbookChapter(input: $input) { chapter { id position wordCount } } }`;
const PUBLISH = `mutation($id: ID!) { publishEbook(input: { ebookId: $id }) { ebook { status publishedAt } } }`;
const READ = `query($id: ID!) { ebook(id: $id) { title wordCount viewerOwns chapters { title wordCount body } } }`;
const HIGHLIGHT = `mutation($input: AddEbookHighlightInput!) { addEbookHighlight(input: $input) { highlight { id text colour note startOffset endOffset } } }`;
const DOWNLOAD = `mutation($id: ID!) { downloadEbook(input: { ebookId: $id }) { id watermark issuedAt remaining content } }`;

async function ebook(isFree: boolean): Promise<{ ebookId: string; chapterIds: string[] }> {
  const created = await h.ok<{ createEbook: { ebook: { id: string } } }>(
    CREATE,
    { input: { title: 'Graphs in Practice', isFree } },
    author,
  );
  const ebookId = created.createEbook.ebook.id;
  expect(codes(await h.gql(PUBLISH, { id: ebookId }, author))).toEqual(['EBOOK_INCOMPLETE']);
  const chapterIds: string[] = [];
  for (const [title, bodyHtml] of [
    ['Nodes', '<p>A graph has nodes and edges.</p><script>steal()</script>'],
    ['Edges', '<p>Edges connect two nodes together.</p>'],
  ] as const)
    chapterIds.push(
      (
        await h.ok<{ addEbookChapter: { chapter: { id: string } } }>(
          CHAPTER,
          { input: { ebookId, title, bodyHtml } },
          author,
        )
      ).addEbookChapter.chapter.id,
    );
  await h.ok(PUBLISH, { id: ebookId }, author);
  return { ebookId, chapterIds };
}

describe('ebooks', () => {
  it('authoring counts words and sanitises; only owners read chapters; purchase through order.paid fills the library', async () => {
    const { ebookId, chapterIds } = await ebook(false);
    const reader = await h.user();
    const outline = await h.gql<{
      ebook: { wordCount: number; viewerOwns: boolean; chapters: { body: string | null }[] };
    }>(READ, { id: ebookId }, reader);
    expect(outline.data?.ebook).toMatchObject({ wordCount: 11, viewerOwns: false });
    expect(codes(outline)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(
      codes(
        await h.gql(
          `mutation($id: ID!) { addEbookToLibrary(input: { ebookId: $id }) { ebook { id } } }`,
          { id: ebookId },
          reader,
        ),
      ),
    ).toEqual(['EBOOK_NOT_FREE']);
    expect(
      codes(
        await h.gql(HIGHLIGHT, { input: { chapterId: chapterIds[0], startOffset: 0, endOffset: 7 } }, reader),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(DOWNLOAD, { id: ebookId }, reader))).toEqual(['FORBIDDEN']);

    const event: DomainEvent = {
      id: randomUUID(),
      type: 'order.paid',
      source: 'commerce',
      aggregateId: 'ord_ebook',
      occurredAt: NOW.toISOString(),
      payload: {
        orderId: 'ord_ebook',
        userId: reader.id,
        currency: 'EUR',
        totalMinor: 900,
        paidAt: NOW.toISOString(),
        lines: [{ kind: 'EBOOK', refId: ebookId, quantity: 1 }],
      },
    };
    await h.dataSource.transaction((manager) => h.services.enrollments.onOrderPaid(event, manager));
    await h.dataSource.transaction((manager) => h.services.enrollments.onOrderPaid(event, manager));
    const owned = await h.ok<{
      ebook: { viewerOwns: boolean; chapters: { title: string; wordCount: number; body: string }[] };
    }>(READ, { id: ebookId }, reader);
    expect(owned.ebook.viewerOwns).toBe(true);
    expect(owned.ebook.chapters).toEqual([
      { title: 'Nodes', wordCount: 6, body: '<p>A graph has nodes and edges.</p>' },
      { title: 'Edges', wordCount: 5, body: '<p>Edges connect two nodes together.</p>' },
    ]);
    // The author edits a chapter (words recounted) and removes one; readers cannot.
    const UPDATE_CHAPTER = `mutation($input: UpdateEbookChapterInput!) { updateEbookChapter(input: $input) { chapter { title wordCount } } }`;
    expect(
      codes(await h.gql(UPDATE_CHAPTER, { input: { chapterId: chapterIds[1], title: 'Mine' } }, reader)),
    ).toEqual(['FORBIDDEN']);
    const edited = await h.ok<{ updateEbookChapter: { chapter: unknown } }>(
      UPDATE_CHAPTER,
      { input: { chapterId: chapterIds[1], title: 'Links', bodyHtml: '<p>Edges link nodes.</p>' } },
      author,
    );
    expect(edited.updateEbookChapter.chapter).toEqual({ title: 'Links', wordCount: 3 });
    const DELETE_CHAPTER = `mutation($id: ID!) { deleteEbookChapter(input: { chapterId: $id }) { deletedId } }`;
    await h.ok(DELETE_CHAPTER, { id: chapterIds[0] }, author);
    expect(codes(await h.gql(DELETE_CHAPTER, { id: chapterIds[1] }, author))).toEqual(['EBOOK_INCOMPLETE']);
    const toc = await h.ok<{ ebook: { wordCount: number; chapters: { title: string }[] } }>(
      READ,
      { id: ebookId },
      reader,
    );
    expect(toc.ebook).toMatchObject({ wordCount: 3, chapters: [{ title: 'Links' }] });
    const library = (await h.dataSource.query(
      `SELECT source, order_id FROM learning.ebook_library WHERE user_id = $1`,
      [reader.id],
    )) as unknown[];
    expect(library).toEqual([{ source: 'PURCHASE', order_id: 'ord_ebook' }]);
  });

  it('highlights, bookmarks, reader settings and reading progress belong to the reader', async () => {
    const { ebookId, chapterIds } = await ebook(true);
    const reader = await h.user();
    const other = await h.user();
    await h.ok(
      `mutation($id: ID!) { addEbookToLibrary(input: { ebookId: $id }) { ebook { id } } }`,
      { id: ebookId },
      reader,
    );
    const added = await h.ok<{ addEbookHighlight: { highlight: { id: string } & Record<string, unknown> } }>(
      HIGHLIGHT,
      {
        input: { chapterId: chapterIds[0], startOffset: 2, endOffset: 7, colour: 'GREEN', note: 'key term' },
      },
      reader,
    );
    expect(added.addEbookHighlight.highlight).toMatchObject({
      text: 'graph',
      colour: 'GREEN',
      note: 'key term',
      startOffset: 2,
      endOffset: 7,
    });
    expect(
      codes(
        await h.gql(
          HIGHLIGHT,
          { input: { chapterId: chapterIds[0], startOffset: 5, endOffset: 500 } },
          reader,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    const updateHighlight = `mutation($input: UpdateEbookHighlightInput!) { updateEbookHighlight(input: $input) { highlight { colour note } } }`;
    expect(
      codes(
        await h.gql(
          updateHighlight,
          { input: { highlightId: added.addEbookHighlight.highlight.id, colour: 'PINK' } },
          other,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    const recoloured = await h.ok<{ updateEbookHighlight: { highlight: unknown } }>(
      updateHighlight,
      { input: { highlightId: added.addEbookHighlight.highlight.id, colour: 'PINK', note: null } },
      reader,
    );
    expect(recoloured.updateEbookHighlight.highlight).toEqual({ colour: 'PINK', note: null });
    await h.ok(
      `mutation($input: AddEbookBookmarkInput!) { addEbookBookmark(input: $input) { bookmark { id } } }`,
      { input: { chapterId: chapterIds[1], offset: 6, label: 'resume' } },
      reader,
    );
    const progress = await h.ok<{ saveReadingProgress: { percent: number } }>(
      `mutation($input: SaveReadingProgressInput!) { saveReadingProgress(input: $input) { percent chapterId offset } }`,
      { input: { chapterId: chapterIds[1], offset: 6 } },
      reader,
    );
    expect(progress.saveReadingProgress.percent).toBe(63); // 6 + 1 of 11 words
    const settings = await h.ok<{ updateReaderSettings: unknown }>(
      `mutation { updateReaderSettings(input: { theme: SEPIA, fontSize: 20, lineHeight: 1.75 }) { theme fontSize lineHeight fontFamily } }`,
      {},
      reader,
    );
    expect(settings.updateReaderSettings).toEqual({
      theme: 'SEPIA',
      fontSize: 20,
      lineHeight: 1.75,
      fontFamily: 'SERIF',
    });
    expect(
      codes(await h.gql(`mutation { updateReaderSettings(input: { fontSize: 99 }) { theme } }`, {}, reader)),
    ).toEqual(['BAD_USER_INPUT']);
    const mine = await h.ok<{ ebook: Record<string, unknown> }>(
      `query($id: ID!) { ebook(id: $id) { viewerHighlights { text colour } viewerBookmarks { label offset } viewerProgress { percent } } }`,
      { id: ebookId },
      reader,
    );
    expect(mine.ebook).toEqual({
      viewerHighlights: [{ text: 'graph', colour: 'PINK' }],
      viewerBookmarks: [{ label: 'resume', offset: 6 }],
      viewerProgress: { percent: 63 },
    });
    const theirs = await h.ok<{ ebook: Record<string, unknown> }>(
      `query($id: ID!) { ebook(id: $id) { viewerHighlights { text } viewerBookmarks { label } viewerProgress { percent } } }`,
      { id: ebookId },
      other,
    );
    expect(theirs.ebook).toEqual({ viewerHighlights: [], viewerBookmarks: [], viewerProgress: null });
    const defaults = await h.ok<{ readerSettings: unknown }>(
      `{ readerSettings { theme fontSize lineHeight fontFamily } }`,
      {},
      other,
    );
    expect(defaults.readerSettings).toEqual({
      theme: 'LIGHT',
      fontSize: 16,
      lineHeight: 1.5,
      fontFamily: 'SERIF',
    });
  });

  it('watermarked downloads: HMAC of ebook, reader and time recorded and embedded, at most 3 per reader', async () => {
    const { ebookId } = await ebook(true);
    const reader = await h.user();
    await h.ok(
      `mutation($id: ID!) { addEbookToLibrary(input: { ebookId: $id }) { ebook { id } } }`,
      { id: ebookId },
      reader,
    );
    const downloads: {
      id: string;
      watermark: string;
      issuedAt: string;
      remaining: number;
      content: string;
    }[] = [];
    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(1000);
      downloads.push(
        (await h.ok<{ downloadEbook: (typeof downloads)[number] }>(DOWNLOAD, { id: ebookId }, reader))
          .downloadEbook,
      );
    }
    expect(downloads.map((d) => d.remaining)).toEqual([2, 1, 0]);
    expect(new Set(downloads.map((d) => d.watermark)).size).toBe(3);
    const rows = (await h.dataSource.query(
      `SELECT id, watermark, issued_at FROM learning.ebook_downloads WHERE user_id = $1 ORDER BY issued_at`,
      [reader.id],
    )) as { id: string; watermark: string; issued_at: Date }[];
    expect(rows.map((r) => r.id)).toEqual(downloads.map((d) => d.id));
    const first = downloads[0]!;
    expect(first.content).toContain(`<meta name="edugraph-watermark" content="${first.watermark}">`);
    expect(first.content).toContain(`Licensed to ${reader.id}`);
    expect(first.content).toContain('<p>A graph has nodes and edges.</p>');
    // Only someone holding the secret can produce the watermark; here we check it binds ebook, reader and time.
    const secret = (h.services.ebooks as unknown as { options: { watermarkSecret: string } }).options
      .watermarkSecret;
    expect(first.watermark).toBe(
      createHmac('sha256', secret).update(`${ebookId}|${reader.id}|${first.issuedAt}`).digest('hex'),
    );
    const fourth = await h.gql(DOWNLOAD, { id: ebookId }, reader);
    expect(codes(fourth)).toEqual(['LIMIT_REACHED']);
    const count = (await h.dataSource.query(
      `SELECT count(*)::int AS n FROM learning.ebook_downloads WHERE user_id = $1`,
      [reader.id],
    )) as {
      n: number;
    }[];
    expect(count).toEqual([{ n: 3 }]);
    // User.library lists it with the reader's own data, batched per page; others see null.
    const LIBRARY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User {
      library { edges { node { id viewerDownloadsRemaining viewerHighlights { id } viewerProgress { percent } } } } } } }`;
    const library = await h.ok<{
      _entities: { library: { edges: { node: Record<string, unknown> }[] } | null }[];
    }>(LIBRARY, { reps: [{ __typename: 'User', id: reader.id }] }, reader);
    expect(library._entities[0]!.library!.edges.map((e) => e.node)).toEqual([
      { id: ebookId, viewerDownloadsRemaining: 0, viewerHighlights: [], viewerProgress: null },
    ]);
    const foreign = await h.ok<{ _entities: { library: unknown }[] }>(
      LIBRARY,
      { reps: [{ __typename: 'User', id: reader.id }] },
      author,
    );
    expect(foreign._entities[0]!.library).toBeNull();
    // Concurrent requests of another reader cannot exceed the cap either.
    const racer = await h.user();
    await h.ok(
      `mutation($id: ID!) { addEbookToLibrary(input: { ebookId: $id }) { ebook { id } } }`,
      { id: ebookId },
      racer,
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.gql(DOWNLOAD, { id: ebookId }, racer)),
    );
    expect(results.filter((r) => !r.errors).length).toBe(3);
    expect(results.flatMap(codes)).toEqual(['LIMIT_REACHED', 'LIMIT_REACHED', 'LIMIT_REACHED']);
  });
});
