import { createHmac, randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ForbiddenError,
  hasRole,
  NotFoundError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { LearningError, LimitReachedError } from '../../common/learning.errors.js';
import { sanitizeLessonHtml } from '../../common/sanitize.js';
import { assertUuid, intInRange, isUuid, text } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { plainText, wordCount } from './ebook-text.js';
import {
  EbookBookmarkEntity,
  EbookChapterEntity,
  EbookDownloadEntity,
  EbookEntity,
  EbookHighlightEntity,
  EbookLibraryEntity,
  EbookProgressEntity,
  ReaderSettingsEntity,
  type HighlightColour,
  type ReaderFont,
  type ReaderTheme,
} from './ebook.entity.js';

export const MAX_CHAPTERS = 200;

export type EbookOptions = { downloadLimit: number; watermarkSecret: string };

export type ReaderSettings = {
  theme: ReaderTheme;
  fontSize: number;
  lineHeight: number;
  fontFamily: ReaderFont;
};

export const DEFAULT_READER_SETTINGS: ReaderSettings = {
  theme: 'LIGHT',
  fontSize: 16,
  lineHeight: 1.5,
  fontFamily: 'SERIF',
};

export type EbookDownload = { download: EbookDownloadEntity; content: string; remaining: number };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Ebooks: authoring (chapters of sanitised HTML with word counts; DRAFT → PUBLISHED → ARCHIVED), the library
 * (bought through commerce or free), reading (settings, highlights, bookmarks, progress) and watermarked
 * downloads, at most `downloadLimit` per reader and ebook.
 */
export class EbookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: EbookOptions,
  ) {}

  get downloadLimit(): number {
    return this.options.downloadLimit;
  }

  async byIds(ids: readonly string[]): Promise<EbookEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(EbookEntity).findBy({ id: In(valid) }) : [];
  }

  async chaptersOf(ebookIds: readonly string[]): Promise<EbookChapterEntity[]> {
    return this.dataSource
      .getRepository(EbookChapterEntity)
      .find({ where: { ebookId: In([...ebookIds]) }, order: { position: 'ASC' } });
  }

  /** Key `ebookId|userId`. */
  async libraryEntries(keys: readonly string[]): Promise<EbookLibraryEntity[]> {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    if (pairs.length === 0) return [];
    return this.dataSource
      .getRepository(EbookLibraryEntity)
      .find({ where: pairs.map(([ebookId, userId]) => ({ ebookId, userId })) });
  }

  isAuthor(viewer: Viewer | null, ebook: EbookEntity): boolean {
    return viewer !== null && (viewer.userId === ebook.authorId || hasRole(viewer, 'ADMIN'));
  }

  /** Published ebooks for everyone, others for their author and admins. */
  mayView(viewer: Viewer | null, ebook: EbookEntity, owned: boolean): boolean {
    return ebook.status === 'PUBLISHED' || this.isAuthor(viewer, ebook) || owned;
  }

  /** May read the chapters: the author, admins, or the ebook is in the reader's library. */
  mayRead(viewer: Viewer | null, ebook: EbookEntity, owned: boolean): boolean {
    return this.isAuthor(viewer, ebook) || (viewer !== null && owned);
  }

  async catalogue(args: ConnectionArgs): Promise<Connection<EbookEntity>> {
    const qb = this.dataSource
      .getRepository(EbookEntity)
      .createQueryBuilder('b')
      .where(`b.status = 'PUBLISHED'`);
    return paginate(qb, args, { alias: 'b', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** A user's library (themselves and admins): their ebooks, newest acquisition first. */
  async library(viewer: Viewer, userId: string, args: ConnectionArgs): Promise<Connection<EbookEntity>> {
    if (viewer.userId !== userId && !hasRole(viewer, 'ADMIN'))
      throw new ForbiddenError('Only you (or an admin) may see your library.');
    const qb = this.dataSource
      .getRepository(EbookEntity)
      .createQueryBuilder('b')
      .innerJoin(EbookLibraryEntity, 'l', 'l.ebook_id = b.id AND l.user_id = :userId', { userId });
    return paginate(qb, args, { alias: 'b', sortBy: 'createdAt', direction: 'DESC' });
  }

  private async forAuthoring(manager: EntityManager, viewer: Viewer, ebookId: string): Promise<EbookEntity> {
    const ebook = await manager
      .getRepository(EbookEntity)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.id = :id', { id: assertUuid(ebookId, 'ebookId') })
      .getOne();
    if (!ebook) throw new NotFoundError('Ebook');
    if (!this.isAuthor(viewer, ebook))
      throw new ForbiddenError('Only the author or an admin may change this ebook.');
    if (ebook.status === 'ARCHIVED')
      throw new LearningError('INVALID_EBOOK_STATE', 'An archived ebook cannot be changed.', {
        status: ebook.status,
      });
    return ebook;
  }

  async create(
    viewer: Viewer,
    fields: { title: string; description?: string | null; language?: string | null; isFree?: boolean | null },
  ): Promise<EbookEntity> {
    const now = this.clock.now();
    const language = (fields.language ?? 'en').trim();
    if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(language))
      throw new BadUserInputError('"language" is a BCP 47 code.', 'language');
    const ebook = Object.assign(new EbookEntity(), {
      id: randomUUID(),
      authorId: viewer.userId,
      title: text(fields.title, 'title', 1, 200),
      description: fields.description ? text(fields.description, 'description', 0, 5000) : '',
      language,
      isFree: fields.isFree ?? false,
      status: 'DRAFT',
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    } satisfies EbookEntity);
    await this.dataSource.getRepository(EbookEntity).insert(ebook);
    return ebook;
  }

  async setStatus(viewer: Viewer, ebookId: string, status: 'PUBLISHED' | 'ARCHIVED'): Promise<EbookEntity> {
    return this.dataSource.transaction(async (manager) => {
      const ebook = await this.forAuthoring(manager, viewer, ebookId);
      const now = this.clock.now();
      if (status === 'PUBLISHED') {
        if (ebook.status !== 'DRAFT')
          throw new LearningError('INVALID_EBOOK_STATE', 'Only a draft is published.', {
            status: ebook.status,
          });
        if ((await manager.getRepository(EbookChapterEntity).countBy({ ebookId: ebook.id })) === 0)
          throw new LearningError('EBOOK_INCOMPLETE', 'Add a chapter before publishing.');
        Object.assign(ebook, { status, publishedAt: now, updatedAt: now });
      } else {
        Object.assign(ebook, { status, publishedAt: ebook.publishedAt ?? now, updatedAt: now });
      }
      await manager.getRepository(EbookEntity).save(ebook);
      return ebook;
    });
  }

  async addChapter(
    viewer: Viewer,
    ebookId: string,
    fields: { title: string; bodyHtml: string; position?: number | null },
  ): Promise<EbookChapterEntity> {
    const body = sanitizeLessonHtml(fields.bodyHtml);
    if (!body || body.length > 500_000)
      throw new BadUserInputError('"bodyHtml" must have 1–500000 characters.', 'bodyHtml');
    return this.dataSource.transaction(async (manager) => {
      const ebook = await this.forAuthoring(manager, viewer, ebookId);
      const repo = manager.getRepository(EbookChapterEntity);
      const count = await repo.countBy({ ebookId: ebook.id });
      if (count >= MAX_CHAPTERS) throw new LimitReachedError('chapters', MAX_CHAPTERS);
      const position =
        fields.position === null || fields.position === undefined
          ? count + 1
          : Math.min(intInRange(fields.position, 'position', 1, 100_000), count + 1);
      await manager.query(
        `UPDATE "learning".ebook_chapters SET position = position + 1 WHERE ebook_id = $1 AND position >= $2`,
        [ebook.id, position],
      );
      const now = this.clock.now();
      const chapter = Object.assign(new EbookChapterEntity(), {
        id: randomUUID(),
        ebookId: ebook.id,
        position,
        title: text(fields.title, 'title', 1, 200),
        bodyHtml: body,
        wordCount: wordCount(body),
        createdAt: now,
        updatedAt: now,
      } satisfies EbookChapterEntity);
      await repo.insert(chapter);
      return chapter;
    });
  }

  /** Renames a chapter or replaces its text (sanitised, words counted again). */
  async updateChapter(
    viewer: Viewer,
    chapterId: string,
    fields: { title?: string | null; bodyHtml?: string | null },
  ): Promise<EbookChapterEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(EbookChapterEntity);
      const chapter = await repo.findOneBy({ id: assertUuid(chapterId, 'chapterId') });
      if (!chapter) throw new NotFoundError('Chapter');
      await this.forAuthoring(manager, viewer, chapter.ebookId);
      if (fields.title !== undefined && fields.title !== null)
        chapter.title = text(fields.title, 'title', 1, 200);
      if (fields.bodyHtml !== undefined && fields.bodyHtml !== null) {
        const body = sanitizeLessonHtml(fields.bodyHtml);
        if (!body || body.length > 500_000)
          throw new BadUserInputError('"bodyHtml" must have 1–500000 characters.', 'bodyHtml');
        chapter.bodyHtml = body;
        chapter.wordCount = wordCount(body);
      }
      chapter.updatedAt = this.clock.now();
      await repo.save(chapter);
      return chapter;
    });
  }

  /** Deletes a chapter (with readers' highlights and bookmarks in it); the following chapters close up. */
  async deleteChapter(viewer: Viewer, chapterId: string): Promise<EbookChapterEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(EbookChapterEntity);
      const chapter = await repo.findOneBy({ id: assertUuid(chapterId, 'chapterId') });
      if (!chapter) throw new NotFoundError('Chapter');
      const ebook = await this.forAuthoring(manager, viewer, chapter.ebookId);
      if (ebook.status === 'PUBLISHED' && (await repo.countBy({ ebookId: ebook.id })) === 1)
        throw new LearningError('EBOOK_INCOMPLETE', 'A published ebook keeps at least one chapter.');
      await repo.delete({ id: chapter.id });
      await manager.query(
        `UPDATE "learning".ebook_chapters SET position = position - 1 WHERE ebook_id = $1 AND position > $2`,
        [ebook.id, chapter.position],
      );
      await manager.query(`DELETE FROM "learning".ebook_progress WHERE chapter_id = $1`, [chapter.id]);
      return chapter;
    });
  }

  /** Adds a free published ebook to the viewer's library. */
  async addFree(viewer: Viewer, ebookId: string): Promise<EbookEntity> {
    return this.dataSource.transaction(async (manager) => {
      const ebook = await manager
        .getRepository(EbookEntity)
        .findOneBy({ id: assertUuid(ebookId, 'ebookId') });
      if (!ebook || ebook.status !== 'PUBLISHED') throw new NotFoundError('Ebook');
      if (!ebook.isFree) throw new LearningError('EBOOK_NOT_FREE', 'This ebook is sold through the shop.');
      await this.grant(manager, ebook.id, viewer.userId, 'FREE', null);
      return ebook;
    });
  }

  /** Puts an ebook in a reader's library (idempotent). */
  async grant(
    manager: EntityManager,
    ebookId: string,
    userId: string,
    source: 'PURCHASE' | 'FREE',
    orderId: string | null,
  ): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "learning".ebook_library (user_id, ebook_id, source, order_id, acquired_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ebook_id`,
      [userId, ebookId, source, orderId, this.clock.now()],
    );
    return inserted.length > 0;
  }

  /** Loads a chapter and checks the viewer may read its ebook. */
  private async readable(manager: EntityManager, viewer: Viewer, chapterId: string) {
    const chapter = await manager
      .getRepository(EbookChapterEntity)
      .findOneBy({ id: assertUuid(chapterId, 'chapterId') });
    if (!chapter) throw new NotFoundError('Chapter');
    const ebook = await this.requireReadable(manager, viewer, chapter.ebookId);
    return { chapter, ebook };
  }

  private async requireReadable(
    manager: EntityManager,
    viewer: Viewer,
    ebookId: string,
  ): Promise<EbookEntity> {
    const ebook = await manager.getRepository(EbookEntity).findOneBy({ id: assertUuid(ebookId, 'ebookId') });
    if (!ebook) throw new NotFoundError('Ebook');
    const owned = await manager
      .getRepository(EbookLibraryEntity)
      .existsBy({ ebookId: ebook.id, userId: viewer.userId });
    if (!this.mayRead(viewer, ebook, owned))
      throw new ForbiddenError('Add this ebook to your library to read it.');
    return ebook;
  }

  async readerSettings(userId: string): Promise<ReaderSettings> {
    const row = await this.dataSource.getRepository(ReaderSettingsEntity).findOneBy({ userId });
    return row
      ? {
          theme: row.theme,
          fontSize: row.fontSize,
          lineHeight: Number(row.lineHeight),
          fontFamily: row.fontFamily,
        }
      : DEFAULT_READER_SETTINGS;
  }

  async updateReaderSettings(viewer: Viewer, fields: Partial<ReaderSettings>): Promise<ReaderSettings> {
    const current = await this.readerSettings(viewer.userId);
    const next: ReaderSettings = {
      theme: fields.theme ?? current.theme,
      fontSize:
        fields.fontSize === undefined ? current.fontSize : intInRange(fields.fontSize, 'fontSize', 10, 40),
      lineHeight: fields.lineHeight ?? current.lineHeight,
      fontFamily: fields.fontFamily ?? current.fontFamily,
    };
    if (!(next.lineHeight >= 1 && next.lineHeight <= 3))
      throw new BadUserInputError('"lineHeight" is between 1 and 3.', 'lineHeight');
    await this.dataSource.getRepository(ReaderSettingsEntity).upsert(
      {
        userId: viewer.userId,
        theme: next.theme,
        fontSize: next.fontSize,
        lineHeight: next.lineHeight.toFixed(2),
        fontFamily: next.fontFamily,
        updatedAt: this.clock.now(),
      },
      ['userId'],
    );
    return next;
  }

  async addHighlight(
    viewer: Viewer,
    input: {
      chapterId: string;
      startOffset: number;
      endOffset: number;
      colour: HighlightColour;
      note?: string | null;
    },
  ): Promise<EbookHighlightEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { chapter } = await this.readable(manager, viewer, input.chapterId);
      const body = plainText(chapter.bodyHtml);
      const start = intInRange(input.startOffset, 'startOffset', 0, body.length - 1);
      const end = intInRange(input.endOffset, 'endOffset', start + 1, body.length);
      if (end - start > 5000)
        throw new BadUserInputError('A highlight spans at most 5000 characters.', 'endOffset');
      const repo = manager.getRepository(EbookHighlightEntity);
      if ((await repo.countBy({ userId: viewer.userId, ebookId: chapter.ebookId })) >= 2000)
        throw new LimitReachedError('highlights per ebook', 2000);
      const now = this.clock.now();
      const highlight = Object.assign(new EbookHighlightEntity(), {
        id: randomUUID(),
        userId: viewer.userId,
        ebookId: chapter.ebookId,
        chapterId: chapter.id,
        startOffset: start,
        endOffset: end,
        text: body.slice(start, end),
        colour: input.colour,
        note: input.note ? text(input.note, 'note', 0, 5000) : null,
        createdAt: now,
        updatedAt: now,
      } satisfies EbookHighlightEntity);
      await repo.insert(highlight);
      return highlight;
    });
  }

  async updateHighlight(
    viewer: Viewer,
    highlightId: string,
    fields: { colour?: HighlightColour | null; note?: string | null },
  ): Promise<EbookHighlightEntity> {
    const repo = this.dataSource.getRepository(EbookHighlightEntity);
    const highlight = await repo.findOneBy({ id: assertUuid(highlightId, 'highlightId') });
    if (!highlight || highlight.userId !== viewer.userId) throw new NotFoundError('Highlight');
    if (fields.colour) highlight.colour = fields.colour;
    if (fields.note !== undefined) highlight.note = fields.note ? text(fields.note, 'note', 0, 5000) : null;
    highlight.updatedAt = this.clock.now();
    await repo.save(highlight);
    return highlight;
  }

  async deleteHighlight(viewer: Viewer, highlightId: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(EbookHighlightEntity)
      .delete({ id: assertUuid(highlightId, 'highlightId'), userId: viewer.userId });
    if (!result.affected) throw new NotFoundError('Highlight');
  }

  async addBookmark(
    viewer: Viewer,
    input: { chapterId: string; offset: number; label?: string | null },
  ): Promise<EbookBookmarkEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { chapter } = await this.readable(manager, viewer, input.chapterId);
      const offset = intInRange(input.offset, 'offset', 0, plainText(chapter.bodyHtml).length);
      const repo = manager.getRepository(EbookBookmarkEntity);
      const existing = await repo.findOneBy({ userId: viewer.userId, chapterId: chapter.id, offset });
      if (existing) return existing;
      const bookmark = Object.assign(new EbookBookmarkEntity(), {
        id: randomUUID(),
        userId: viewer.userId,
        ebookId: chapter.ebookId,
        chapterId: chapter.id,
        offset,
        label: input.label ? text(input.label, 'label', 0, 200) : '',
        createdAt: this.clock.now(),
      } satisfies EbookBookmarkEntity);
      await repo.insert(bookmark);
      return bookmark;
    });
  }

  async deleteBookmark(viewer: Viewer, bookmarkId: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(EbookBookmarkEntity)
      .delete({ id: assertUuid(bookmarkId, 'bookmarkId'), userId: viewer.userId });
    if (!result.affected) throw new NotFoundError('Bookmark');
  }

  /** Saves the reading position; percent = words before it over all words. */
  async saveProgress(viewer: Viewer, chapterId: string, offset: number): Promise<EbookProgressEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { chapter } = await this.readable(manager, viewer, chapterId);
      const chapterText = plainText(chapter.bodyHtml);
      const at = intInRange(offset, 'offset', 0, chapterText.length);
      const chapters = await manager
        .getRepository(EbookChapterEntity)
        .find({ where: { ebookId: chapter.ebookId } });
      const total = chapters.reduce((sum, c) => sum + c.wordCount, 0);
      const before = chapters
        .filter((c) => c.position < chapter.position)
        .reduce((sum, c) => sum + c.wordCount, 0);
      const within = chapterText.slice(0, at).split(' ').filter(Boolean).length;
      const percent = total === 0 ? 0 : Math.min(100, Math.floor((100 * (before + within)) / total));
      const progress = Object.assign(new EbookProgressEntity(), {
        userId: viewer.userId,
        ebookId: chapter.ebookId,
        chapterId: chapter.id,
        offset: at,
        percent,
        updatedAt: this.clock.now(),
      } satisfies EbookProgressEntity);
      await manager.getRepository(EbookProgressEntity).save(progress);
      return progress;
    });
  }

  private pairs(keys: readonly string[]): { ebookId: string; userId: string }[] {
    return keys.map((k) => {
      const [ebookId = '', userId = ''] = k.split('|');
      return { ebookId, userId };
    });
  }

  /** Key `ebookId|userId` → the reader's highlights (oldest first, at most 2000 per ebook). */
  async highlightsOf(keys: readonly string[]): Promise<EbookHighlightEntity[]> {
    return this.dataSource
      .getRepository(EbookHighlightEntity)
      .find({ where: this.pairs(keys), order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Key `ebookId|userId` → the reader's bookmarks. */
  async bookmarksOf(keys: readonly string[]): Promise<EbookBookmarkEntity[]> {
    return this.dataSource
      .getRepository(EbookBookmarkEntity)
      .find({ where: this.pairs(keys), order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Key `ebookId|userId` → reading position. */
  async progressOf(keys: readonly string[]): Promise<EbookProgressEntity[]> {
    return this.dataSource.getRepository(EbookProgressEntity).find({ where: this.pairs(keys) });
  }

  /** Key `ebookId|userId` → downloads used. */
  async downloadCounts(keys: readonly string[]): Promise<number[]> {
    const pairs = this.pairs(keys);
    const rows: { ebook_id: string; user_id: string; n: number }[] = await this.dataSource.query(
      `SELECT d.ebook_id, d.user_id, count(*)::int AS n FROM "learning".ebook_downloads d
       JOIN unnest($1::uuid[], $2::uuid[]) AS k(ebook_id, user_id) ON d.ebook_id = k.ebook_id AND d.user_id = k.user_id
       GROUP BY d.ebook_id, d.user_id`,
      [pairs.map((p) => p.ebookId), pairs.map((p) => p.userId)],
    );
    const counts = new Map(rows.map((r) => [`${r.ebook_id}|${r.user_id}`, r.n]));
    return keys.map((k) => counts.get(k) ?? 0);
  }

  watermarkOf(ebookId: string, userId: string, issuedAt: Date): string {
    return createHmac('sha256', this.options.watermarkSecret)
      .update(`${ebookId}|${userId}|${issuedAt.toISOString()}`)
      .digest('hex');
  }

  /**
   * A watermarked copy for a reader who owns the ebook (or its author): the HMAC of ebook, user and time is
   * recorded and embedded. At most `downloadLimit` per reader and ebook (LIMIT_REACHED after), counted under a
   * lock so concurrent requests cannot exceed it.
   */
  async download(viewer: Viewer, ebookId: string): Promise<EbookDownload> {
    return this.dataSource.transaction(async (manager) => {
      const ebook = await this.requireReadable(manager, viewer, ebookId);
      // Serialise one reader's downloads of this ebook.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `ebook-download:${ebook.id}:${viewer.userId}`,
      ]);
      const repo = manager.getRepository(EbookDownloadEntity);
      const used = await repo.countBy({ userId: viewer.userId, ebookId: ebook.id });
      if (used >= this.options.downloadLimit)
        throw new LimitReachedError('downloads per reader', this.options.downloadLimit);
      const issuedAt = this.clock.now();
      const download = Object.assign(new EbookDownloadEntity(), {
        id: randomUUID(),
        userId: viewer.userId,
        ebookId: ebook.id,
        watermark: this.watermarkOf(ebook.id, viewer.userId, issuedAt),
        issuedAt,
      } satisfies EbookDownloadEntity);
      await repo.insert(download);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'ebook.downloaded',
        aggregateId: ebook.id,
        payload: {
          ebookId: ebook.id,
          userId: viewer.userId,
          downloadId: download.id,
          issuedAt: issuedAt.toISOString(),
        },
      });
      const chapters = await manager
        .getRepository(EbookChapterEntity)
        .find({ where: { ebookId: ebook.id }, order: { position: 'ASC' } });
      const mark = `Licensed to ${viewer.userId} · ${download.id} · ${issuedAt.toISOString()}`;
      const content = [
        '<!doctype html><html><head><meta charset="utf-8">',
        `<title>${escapeHtml(ebook.title)}</title>`,
        `<meta name="edugraph-watermark" content="${download.watermark}">`,
        `<meta name="edugraph-download" content="${download.id}">`,
        '</head><body>',
        `<h1>${escapeHtml(ebook.title)}</h1>`,
        ...chapters.map(
          (c) =>
            `<section><h2>${escapeHtml(c.title)}</h2>${c.bodyHtml}<footer data-watermark="${download.watermark}">${escapeHtml(mark)}</footer></section>`,
        ),
        '</body></html>',
      ].join('\n');
      return { download, content, remaining: this.options.downloadLimit - used - 1 };
    });
  }
}
