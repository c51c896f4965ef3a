import { ConnectionType } from '@edugraph/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../../external/user.external.js';
import type { AssetEntity } from './asset.entity.js';

export enum AssetKindEnum {
  IMAGE = 'IMAGE',
  DOCUMENT = 'DOCUMENT',
  SLIDES = 'SLIDES',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
  EBOOK = 'EBOOK',
}
registerEnumType(AssetKindEnum, {
  name: 'AssetKind',
  description: 'Caps: IMAGE 30 MB, DOCUMENT/SLIDES 120 MB, VIDEO 512 MB, AUDIO 100 MB, EBOOK 60 MB.',
});

export enum AssetStatusEnum {
  PENDING_UPLOAD = 'PENDING_UPLOAD',
  UPLOADED = 'UPLOADED',
  SCANNING = 'SCANNING',
  READY = 'READY',
  QUARANTINED = 'QUARANTINED',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(AssetStatusEnum, {
  name: 'AssetStatus',
  description:
    'PENDING_UPLOAD → UPLOADED (checked) → SCANNING → READY | QUARANTINED (infected, never served) | FAILED; EXPIRED: never completed within 7 days.',
});

export enum AssetVisibilityEnum {
  PRIVATE = 'PRIVATE',
  RESTRICTED = 'RESTRICTED',
  PUBLIC = 'PUBLIC',
}
registerEnumType(AssetVisibilityEnum, {
  name: 'AssetVisibility',
  description:
    'PRIVATE: owner and admins. RESTRICTED: also viewers the owning domain’s rule allows. PUBLIC: anyone.',
});

export enum RenditionStatusEnum {
  NONE = 'NONE',
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(RenditionStatusEnum, { name: 'AssetRenditionStatus' });

export enum RenditionKindEnum {
  PDF = 'PDF',
  PAGE_IMAGE = 'PAGE_IMAGE',
  THUMBNAIL = 'THUMBNAIL',
}
registerEnumType(RenditionKindEnum, { name: 'AssetRenditionKind' });

@ObjectType('AssetRendition', {
  description: 'A derived file: the PDF of a slide deck, a page image or a thumbnail.',
})
export class AssetRendition {
  @Field(() => ID)
  id!: string;

  @Field(() => RenditionKindEnum)
  kind!: RenditionKindEnum;

  @Field(() => Int, { nullable: true, description: '1-based page of a PAGE_IMAGE.' })
  page!: number | null;

  @Field(() => String)
  contentType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;

  @Field(() => Int, { nullable: true })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  /** Internal: resolvers sign it; never exposed. */
  storageKey!: string;
}

/** An uploaded file. Other subgraphs reference it (`Lesson.asset`, `Ebook.file`) by id. */
@Directive('@key(fields: "id")')
@ObjectType('Asset')
export class Asset {
  @Field(() => ID)
  id!: string;

  @Field(() => AssetKindEnum)
  kind!: AssetKindEnum;

  @Field(() => AssetStatusEnum)
  status!: AssetStatusEnum;

  @Field(() => AssetVisibilityEnum)
  visibility!: AssetVisibilityEnum;

  @Field(() => User)
  owner!: User;

  @Field(() => String, { nullable: true, description: 'Domain whose rule decides RESTRICTED access.' })
  ownerDomain!: string | null;

  @Field(() => String, { nullable: true, description: 'What the asset belongs to there, e.g. Lesson:<id>.' })
  subjectRef!: string | null;

  @Field(() => String)
  fileName!: string;

  @Field(() => String)
  mimeType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;

  @Field(() => String, { description: 'SHA-256 of the content, lower-case hex.' })
  sha256!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  uploadedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  scannedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the asset FAILED.' })
  failureReason!: string | null;

  @Field(() => RenditionStatusEnum)
  renditionStatus!: RenditionStatusEnum;

  @Field(() => Int, { description: 'Rendition progress, 0–100.' })
  renditionProgress!: number;

  @Field(() => Int, { nullable: true, description: 'Pages of a document or slide deck, once rendered.' })
  pageCount!: number | null;

  static from(entity: AssetEntity): Asset {
    return Object.assign(new Asset(), {
      id: entity.id,
      kind: entity.kind as AssetKindEnum,
      status: entity.status as AssetStatusEnum,
      visibility: entity.visibility as AssetVisibilityEnum,
      owner: { id: entity.ownerId },
      ownerDomain: entity.ownerDomain,
      subjectRef: entity.subjectRef,
      fileName: entity.fileName,
      mimeType: entity.mimeType,
      size: entity.size,
      sha256: entity.sha256,
      createdAt: entity.createdAt,
      uploadedAt: entity.uploadedAt,
      scannedAt: entity.scannedAt,
      failureReason: entity.failureReason,
      renditionStatus: entity.renditionStatus as RenditionStatusEnum,
      renditionProgress: entity.renditionProgress,
      pageCount: entity.pageCount,
    });
  }
}

export const AssetConnection = ConnectionType(Asset, 'Asset');

@ObjectType('HttpHeader')
export class HttpHeader {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType('AssetUploadTarget', {
  description: 'PUT the file’s exact bytes to `url` with these headers before `expiresAt` (5 minutes).',
})
export class AssetUploadTarget {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  method!: string;

  @Field(() => [HttpHeader])
  headers!: HttpHeader[];

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType('RequestUploadPayload')
export class RequestUploadPayload {
  @Field(() => Asset)
  asset!: Asset;

  @Field(() => AssetUploadTarget)
  upload!: AssetUploadTarget;
}

@ObjectType('CompleteUploadPayload')
export class CompleteUploadPayload {
  @Field(() => Asset, { description: 'UPLOADED: checked and queued for the antivirus scan.' })
  asset!: Asset;
}
