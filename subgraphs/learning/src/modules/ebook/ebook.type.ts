import { ConnectionType } from '@edugraph/kit';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  EbookBookmarkEntity,
  EbookChapterEntity,
  EbookEntity,
  EbookHighlightEntity,
  EbookProgressEntity,
} from './ebook.entity.js';

export enum EbookStatusEnum {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(EbookStatusEnum, { name: 'EbookStatus' });

export enum ReaderThemeEnum {
  LIGHT = 'LIGHT',
  DARK = 'DARK',
  SEPIA = 'SEPIA',
}
registerEnumType(ReaderThemeEnum, { name: 'ReaderTheme' });

export enum ReaderFontEnum {
  SERIF = 'SERIF',
  SANS_SERIF = 'SANS_SERIF',
  MONOSPACE = 'MONOSPACE',
  DYSLEXIC = 'DYSLEXIC',
}
registerEnumType(ReaderFontEnum, { name: 'ReaderFont' });

export enum HighlightColourEnum {
  YELLOW = 'YELLOW',
  GREEN = 'GREEN',
  BLUE = 'BLUE',
  PINK = 'PINK',
  PURPLE = 'PURPLE',
}
registerEnumType(HighlightColourEnum, { name: 'HighlightColour' });

/** An ebook. Commerce adds `price`/`product`. */
@Directive('@key(fields: "id")')
@ObjectType('Ebook')
export class Ebook {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  language!: string;

  @Field(() => Boolean)
  isFree!: boolean;

  @Field(() => EbookStatusEnum)
  status!: EbookStatusEnum;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: EbookEntity;

  static from(entity: EbookEntity): Ebook {
    return Object.assign(new Ebook(), {
      id: entity.id,
      title: entity.title,
      description: entity.description,
      language: entity.language,
      isFree: entity.isFree,
      status: entity.status as EbookStatusEnum,
      publishedAt: entity.publishedAt,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

export const EbookConnection = ConnectionType(Ebook, 'Ebook');

@ObjectType('EbookChapter', { description: '`body` needs the ebook in the reader’s library.' })
export class EbookChapter {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  wordCount!: number;

  entity!: EbookChapterEntity;

  static from(entity: EbookChapterEntity): EbookChapter {
    return Object.assign(new EbookChapter(), {
      id: entity.id,
      position: entity.position,
      title: entity.title,
      wordCount: entity.wordCount,
      entity,
    });
  }
}

@ObjectType('ReaderSettings')
export class ReaderSettings {
  @Field(() => ReaderThemeEnum)
  theme!: ReaderThemeEnum;

  @Field(() => Int)
  fontSize!: number;

  @Field(() => Float)
  lineHeight!: number;

  @Field(() => ReaderFontEnum)
  fontFamily!: ReaderFontEnum;
}

@ObjectType('EbookHighlight')
export class EbookHighlight {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int, { description: 'Character offsets into the chapter’s plain text.' })
  startOffset!: number;

  @Field(() => Int)
  endOffset!: number;

  @Field(() => String, { description: 'The highlighted text (taken from the chapter).' })
  text!: string;

  @Field(() => HighlightColourEnum)
  colour!: HighlightColourEnum;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(entity: EbookHighlightEntity): EbookHighlight {
    return Object.assign(new EbookHighlight(), {
      id: entity.id,
      chapterId: entity.chapterId,
      startOffset: entity.startOffset,
      endOffset: entity.endOffset,
      text: entity.text,
      colour: entity.colour as HighlightColourEnum,
      note: entity.note,
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType('EbookBookmark')
export class EbookBookmark {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int)
  offset!: number;

  @Field(() => String)
  label!: string;

  @Field(() => Date)
  createdAt!: Date;

  static from(entity: EbookBookmarkEntity): EbookBookmark {
    return Object.assign(new EbookBookmark(), {
      id: entity.id,
      chapterId: entity.chapterId,
      offset: entity.offset,
      label: entity.label,
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType('EbookReadingProgress')
export class EbookReadingProgress {
  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int)
  offset!: number;

  @Field(() => Int, { description: 'Words read, percent of the ebook.' })
  percent!: number;

  @Field(() => Date)
  updatedAt!: Date;

  static from(entity: EbookProgressEntity): EbookReadingProgress {
    return Object.assign(new EbookReadingProgress(), {
      chapterId: entity.chapterId,
      offset: entity.offset,
      percent: entity.percent,
      updatedAt: entity.updatedAt,
    });
  }
}

@ObjectType('EbookDownload', { description: 'A watermarked copy (HTML) for one reader.' })
export class EbookDownload {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: 'HMAC-SHA256 of ebook, reader and time (hex), also embedded in `content`.',
  })
  watermark!: string;

  @Field(() => Date)
  issuedAt!: Date;

  @Field(() => Int, { description: 'Downloads left for this reader and ebook.' })
  remaining!: number;

  @Field(() => String, { description: 'The book as one HTML document, watermarked.' })
  content!: string;
}

@ObjectType('EbookPayload')
export class EbookPayload {
  @Field(() => Ebook)
  ebook!: Ebook;
}

@ObjectType('EbookChapterPayload')
export class EbookChapterPayload {
  @Field(() => EbookChapter)
  chapter!: EbookChapter;
}

@ObjectType('EbookHighlightPayload')
export class EbookHighlightPayload {
  @Field(() => EbookHighlight)
  highlight!: EbookHighlight;
}

@ObjectType('EbookBookmarkPayload')
export class EbookBookmarkPayload {
  @Field(() => EbookBookmark)
  bookmark!: EbookBookmark;
}

@ObjectType('DeletedPayload')
export class DeletedPayload {
  @Field(() => ID)
  deletedId!: string;
}

@InputType('CreateEbookInput')
export class CreateEbookInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 (default "en").' })
  language?: string | null;

  @Field(() => Boolean, { nullable: true })
  isFree?: boolean | null;
}

@InputType('EbookIdInput')
export class EbookIdInput {
  @Field(() => ID)
  ebookId!: string;
}

@InputType('AddEbookChapterInput')
export class AddEbookChapterInput {
  @Field(() => ID)
  ebookId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Sanitised HTML.' })
  bodyHtml!: string;

  @Field(() => Int, { nullable: true })
  position?: number | null;
}

@InputType('UpdateEbookChapterInput')
export class UpdateEbookChapterInput {
  @Field(() => ID)
  chapterId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Sanitised HTML.' })
  bodyHtml?: string | null;
}

@InputType('EbookChapterIdInput')
export class EbookChapterIdInput {
  @Field(() => ID)
  chapterId!: string;
}

@InputType('UpdateReaderSettingsInput')
export class UpdateReaderSettingsInput {
  @Field(() => ReaderThemeEnum, { nullable: true })
  theme?: ReaderThemeEnum | null;

  @Field(() => Int, { nullable: true, description: '10–40.' })
  fontSize?: number | null;

  @Field(() => Float, { nullable: true, description: '1.0–3.0.' })
  lineHeight?: number | null;

  @Field(() => ReaderFontEnum, { nullable: true })
  fontFamily?: ReaderFontEnum | null;
}

@InputType('AddEbookHighlightInput')
export class AddEbookHighlightInput {
  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int)
  startOffset!: number;

  @Field(() => Int)
  endOffset!: number;

  @Field(() => HighlightColourEnum, { defaultValue: HighlightColourEnum.YELLOW })
  colour!: HighlightColourEnum;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType('UpdateEbookHighlightInput')
export class UpdateEbookHighlightInput {
  @Field(() => ID)
  highlightId!: string;

  @Field(() => HighlightColourEnum, { nullable: true })
  colour?: HighlightColourEnum | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType('DeleteEbookHighlightInput')
export class DeleteEbookHighlightInput {
  @Field(() => ID)
  highlightId!: string;
}

@InputType('AddEbookBookmarkInput')
export class AddEbookBookmarkInput {
  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int)
  offset!: number;

  @Field(() => String, { nullable: true })
  label?: string | null;
}

@InputType('DeleteEbookBookmarkInput')
export class DeleteEbookBookmarkInput {
  @Field(() => ID)
  bookmarkId!: string;
}

@InputType('SaveReadingProgressInput')
export class SaveReadingProgressInput {
  @Field(() => ID)
  chapterId!: string;

  @Field(() => Int)
  offset!: number;
}
