import { Column, Entity, PrimaryColumn } from 'typeorm';

export type EbookStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
export type ReaderTheme = 'LIGHT' | 'DARK' | 'SEPIA';
export type ReaderFont = 'SERIF' | 'SANS_SERIF' | 'MONOSPACE' | 'DYSLEXIC';
export type HighlightColour = 'YELLOW' | 'GREEN' | 'BLUE' | 'PINK' | 'PURPLE';

@Entity({ name: 'ebooks' })
export class EbookEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  authorId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  language!: string;

  @Column({ type: 'boolean' })
  isFree!: boolean;

  @Column({ type: 'text' })
  status!: EbookStatus;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'ebook_chapters' })
export class EbookChapterEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  ebookId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'integer' })
  wordCount!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'ebook_library' })
export class EbookLibraryEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'uuid' })
  ebookId!: string;

  @Column({ type: 'text' })
  source!: 'PURCHASE' | 'FREE';

  @Column({ type: 'text', nullable: true })
  orderId!: string | null;

  @Column({ type: 'timestamptz' })
  acquiredAt!: Date;
}

@Entity({ name: 'reader_settings' })
export class ReaderSettingsEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  theme!: ReaderTheme;

  @Column({ type: 'integer' })
  fontSize!: number;

  /** numeric(3,2): the driver returns a string. */
  @Column({ type: 'numeric', precision: 3, scale: 2 })
  lineHeight!: string;

  @Column({ type: 'text' })
  fontFamily!: ReaderFont;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'ebook_highlights' })
export class EbookHighlightEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  ebookId!: string;

  @Column({ type: 'uuid' })
  chapterId!: string;

  /** Character offsets into the chapter's plain text. */
  @Column({ type: 'integer' })
  startOffset!: number;

  @Column({ type: 'integer' })
  endOffset!: number;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text' })
  colour!: HighlightColour;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'ebook_bookmarks' })
export class EbookBookmarkEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  ebookId!: string;

  @Column({ type: 'uuid' })
  chapterId!: string;

  @Column({ type: 'integer' })
  offset!: number;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'ebook_progress' })
export class EbookProgressEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'uuid' })
  ebookId!: string;

  @Column({ type: 'uuid' })
  chapterId!: string;

  @Column({ type: 'integer' })
  offset!: number;

  @Column({ type: 'integer' })
  percent!: number;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'ebook_downloads' })
export class EbookDownloadEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  ebookId!: string;

  /** HMAC-SHA256(secret, `ebookId|userId|issuedAt ISO`), hex. */
  @Column({ type: 'text' })
  watermark!: string;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;
}
