import {
  Authenticated,
  ConnectionArgs,
  ForbiddenError,
  Public,
  Roles,
  type RequestContext,
} from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import type { EbookEntity } from './ebook.entity.js';
import {
  AddEbookBookmarkInput,
  AddEbookChapterInput,
  AddEbookHighlightInput,
  CreateEbookInput,
  DeleteEbookBookmarkInput,
  DeleteEbookHighlightInput,
  DeletedPayload,
  Ebook,
  EbookBookmark,
  EbookBookmarkPayload,
  EbookChapter,
  EbookChapterIdInput,
  EbookChapterPayload,
  EbookConnection,
  EbookDownload,
  EbookHighlight,
  EbookHighlightPayload,
  EbookIdInput,
  EbookPayload,
  EbookReadingProgress,
  ReaderSettings,
  ReaderFontEnum,
  ReaderThemeEnum,
  SaveReadingProgressInput,
  UpdateEbookChapterInput,
  UpdateEbookHighlightInput,
  UpdateReaderSettingsInput,
} from './ebook.type.js';

const payload = (ebook: EbookEntity): EbookPayload => ({ ebook: Ebook.from(ebook) });

@Resolver(() => Ebook)
export class EbookResolver extends ServicesResolver {
  private async owned(ebookId: string, ctx: RequestContext): Promise<boolean> {
    if (!ctx.viewer) return false;
    return (
      (await ctx.loaders.get(this.services.loaders.libraryEntry).load(`${ebookId}|${ctx.viewer.userId}`)) !==
      null
    );
  }

  @Public()
  @Query(() => Ebook, {
    nullable: true,
    description: 'Published ebooks for everyone; drafts for their author.',
  })
  async ebook(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Ebook | null> {
    const ebook = await ctx.loaders.get(this.services.loaders.ebook).load(id);
    if (!ebook || !this.services.ebooks.mayView(ctx.viewer, ebook, await this.owned(ebook.id, ctx)))
      return null;
    return Ebook.from(ebook);
  }

  @Public()
  @Query(() => EbookConnection, { description: 'Published ebooks, newest first.' })
  async ebooks(@Args(() => ConnectionArgs) args: ConnectionArgs) {
    return mapConnection(await this.services.ebooks.catalogue(args), Ebook.from);
  }

  @Authenticated()
  @Query(() => ReaderSettings, { description: 'The viewer’s reader settings (defaults until changed).' })
  async readerSettings(@Ctx() ctx: RequestContext): Promise<ReaderSettings> {
    return (await this.services.ebooks.readerSettings(viewerOf(ctx).userId)) as ReaderSettings;
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EbookPayload, { description: 'A DRAFT ebook by the viewer.' })
  async createEbook(
    @Arg('input', () => CreateEbookInput) input: CreateEbookInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload(await this.services.ebooks.create(viewerOf(ctx), input));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EbookChapterPayload, {
    description: 'Adds a chapter (sanitised HTML; its words are counted).',
  })
  async addEbookChapter(
    @Arg('input', () => AddEbookChapterInput) input: AddEbookChapterInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookChapterPayload> {
    const { ebookId, ...fields } = input;
    return {
      chapter: EbookChapter.from(await this.services.ebooks.addChapter(viewerOf(ctx), ebookId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EbookChapterPayload, { description: 'Renames a chapter or replaces its text.' })
  async updateEbookChapter(
    @Arg('input', () => UpdateEbookChapterInput) input: UpdateEbookChapterInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookChapterPayload> {
    const { chapterId, ...fields } = input;
    return {
      chapter: EbookChapter.from(await this.services.ebooks.updateChapter(viewerOf(ctx), chapterId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => DeletedPayload, { description: 'Deletes a chapter; the following ones close up.' })
  async deleteEbookChapter(
    @Arg('input', () => EbookChapterIdInput) input: EbookChapterIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletedPayload> {
    await this.services.ebooks.deleteChapter(viewerOf(ctx), input.chapterId);
    return { deletedId: input.chapterId };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EbookPayload, { description: 'DRAFT → PUBLISHED (needs a chapter).' })
  async publishEbook(@Arg('input', () => EbookIdInput) input: EbookIdInput, @Ctx() ctx: RequestContext) {
    return payload(await this.services.ebooks.setStatus(viewerOf(ctx), input.ebookId, 'PUBLISHED'));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EbookPayload, { description: 'Leaves the catalogue; readers keep it in their library.' })
  async archiveEbook(@Arg('input', () => EbookIdInput) input: EbookIdInput, @Ctx() ctx: RequestContext) {
    return payload(await this.services.ebooks.setStatus(viewerOf(ctx), input.ebookId, 'ARCHIVED'));
  }

  @Authenticated()
  @Mutation(() => EbookPayload, { description: 'Adds a free published ebook to the viewer’s library.' })
  async addEbookToLibrary(@Arg('input', () => EbookIdInput) input: EbookIdInput, @Ctx() ctx: RequestContext) {
    return payload(await this.services.ebooks.addFree(viewerOf(ctx), input.ebookId));
  }

  @Authenticated()
  @Mutation(() => ReaderSettings)
  async updateReaderSettings(
    @Arg('input', () => UpdateReaderSettingsInput) input: UpdateReaderSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ReaderSettings> {
    const fields: {
      theme?: ReaderThemeEnum;
      fontSize?: number;
      lineHeight?: number;
      fontFamily?: ReaderFontEnum;
    } = {};
    if (input.theme) fields.theme = input.theme;
    if (input.fontSize !== null && input.fontSize !== undefined) fields.fontSize = input.fontSize;
    if (input.lineHeight !== null && input.lineHeight !== undefined) fields.lineHeight = input.lineHeight;
    if (input.fontFamily) fields.fontFamily = input.fontFamily;
    return (await this.services.ebooks.updateReaderSettings(viewerOf(ctx), fields)) as ReaderSettings;
  }

  @Authenticated()
  @Mutation(() => EbookHighlightPayload, {
    description: 'Highlights a range of a chapter of an ebook the viewer owns.',
  })
  async addEbookHighlight(
    @Arg('input', () => AddEbookHighlightInput) input: AddEbookHighlightInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookHighlightPayload> {
    return { highlight: EbookHighlight.from(await this.services.ebooks.addHighlight(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => EbookHighlightPayload)
  async updateEbookHighlight(
    @Arg('input', () => UpdateEbookHighlightInput) input: UpdateEbookHighlightInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookHighlightPayload> {
    const { highlightId, ...fields } = input;
    return {
      highlight: EbookHighlight.from(
        await this.services.ebooks.updateHighlight(viewerOf(ctx), highlightId, fields),
      ),
    };
  }

  @Authenticated()
  @Mutation(() => DeletedPayload)
  async deleteEbookHighlight(
    @Arg('input', () => DeleteEbookHighlightInput) input: DeleteEbookHighlightInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletedPayload> {
    await this.services.ebooks.deleteHighlight(viewerOf(ctx), input.highlightId);
    return { deletedId: input.highlightId };
  }

  @Authenticated()
  @Mutation(() => EbookBookmarkPayload)
  async addEbookBookmark(
    @Arg('input', () => AddEbookBookmarkInput) input: AddEbookBookmarkInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookBookmarkPayload> {
    return { bookmark: EbookBookmark.from(await this.services.ebooks.addBookmark(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => DeletedPayload)
  async deleteEbookBookmark(
    @Arg('input', () => DeleteEbookBookmarkInput) input: DeleteEbookBookmarkInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletedPayload> {
    await this.services.ebooks.deleteBookmark(viewerOf(ctx), input.bookmarkId);
    return { deletedId: input.bookmarkId };
  }

  @Authenticated()
  @Mutation(() => EbookReadingProgress, { description: 'Saves where the viewer is reading.' })
  async saveReadingProgress(
    @Arg('input', () => SaveReadingProgressInput) input: SaveReadingProgressInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookReadingProgress> {
    return EbookReadingProgress.from(
      await this.services.ebooks.saveProgress(viewerOf(ctx), input.chapterId, input.offset),
    );
  }

  @Authenticated()
  @Mutation(() => EbookDownload, {
    description:
      'A watermarked copy for an owner of the ebook; at most EBOOK_DOWNLOAD_LIMIT (3) per reader (LIMIT_REACHED).',
  })
  async downloadEbook(
    @Arg('input', () => EbookIdInput) input: EbookIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookDownload> {
    const { download, content, remaining } = await this.services.ebooks.download(
      viewerOf(ctx),
      input.ebookId,
    );
    return {
      id: download.id,
      watermark: download.watermark,
      issuedAt: download.issuedAt,
      remaining,
      content,
    };
  }

  @FieldResolver(() => User)
  author(@Root() ebook: Ebook): User {
    return { id: ebook.entity.authorId };
  }

  @FieldResolver(() => [EbookChapter], { description: 'The table of contents.' })
  async chapters(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<EbookChapter[]> {
    return (await ctx.loaders.get(this.services.loaders.chapters).load(ebook.id)).map(EbookChapter.from);
  }

  @FieldResolver(() => Int)
  async wordCount(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.get(this.services.loaders.chapters).load(ebook.id)).reduce(
      (sum, c) => sum + c.wordCount,
      0,
    );
  }

  @FieldResolver(() => Boolean, { description: 'In the viewer’s library.' })
  viewerOwns(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.owned(ebook.id, ctx);
  }

  @FieldResolver(() => [EbookHighlight], { description: 'The viewer’s highlights.' })
  async viewerHighlights(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<EbookHighlight[]> {
    if (!ctx.viewer) return [];
    return (
      await ctx.loaders.get(this.services.loaders.highlights).load(`${ebook.id}|${ctx.viewer.userId}`)
    ).map(EbookHighlight.from);
  }

  @FieldResolver(() => [EbookBookmark], { description: 'The viewer’s bookmarks.' })
  async viewerBookmarks(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<EbookBookmark[]> {
    if (!ctx.viewer) return [];
    return (
      await ctx.loaders.get(this.services.loaders.bookmarks).load(`${ebook.id}|${ctx.viewer.userId}`)
    ).map(EbookBookmark.from);
  }

  @FieldResolver(() => EbookReadingProgress, { nullable: true })
  async viewerProgress(
    @Root() ebook: Ebook,
    @Ctx() ctx: RequestContext,
  ): Promise<EbookReadingProgress | null> {
    if (!ctx.viewer) return null;
    const progress = await ctx.loaders
      .get(this.services.loaders.readingProgress)
      .load(`${ebook.id}|${ctx.viewer.userId}`);
    return progress ? EbookReadingProgress.from(progress) : null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Downloads the viewer has left (null when signed out).',
  })
  async viewerDownloadsRemaining(@Root() ebook: Ebook, @Ctx() ctx: RequestContext): Promise<number | null> {
    if (!ctx.viewer) return null;
    const used = await ctx.loaders
      .get(this.services.loaders.downloadsUsed)
      .load(`${ebook.id}|${ctx.viewer.userId}`);
    return Math.max(0, this.services.ebooks.downloadLimit - used);
  }
}

@Resolver(() => EbookChapter)
export class EbookChapterResolver extends ServicesResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Sanitised HTML. FORBIDDEN unless the ebook is in the viewer’s library.',
  })
  async body(@Root() chapter: EbookChapter, @Ctx() ctx: RequestContext): Promise<string> {
    const ebook = await ctx.loaders.get(this.services.loaders.ebook).load(chapter.entity.ebookId);
    const owned =
      ctx.viewer !== null &&
      (await ctx.loaders
        .get(this.services.loaders.libraryEntry)
        .load(`${chapter.entity.ebookId}|${ctx.viewer.userId}`)) !== null;
    if (!ebook || !this.services.ebooks.mayRead(ctx.viewer, ebook, owned))
      throw new ForbiddenError('Add this ebook to your library to read it.');
    return chapter.entity.bodyHtml;
  }
}

/** `User.library`: the ebooks a user owns (themselves and admins; null for others). */
@Resolver(() => User)
export class UserLibraryResolver extends ServicesResolver {
  @FieldResolver(() => EbookConnection, { nullable: true })
  async library(
    @Root() user: User,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const viewer = ctx.viewer;
    if (!viewer || (viewer.userId !== user.id && !viewer.roles.includes('ADMIN'))) return null;
    return mapConnection(await this.services.ebooks.library(viewer, user.id, args), Ebook.from);
  }
}
