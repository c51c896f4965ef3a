import { ConnectionArgs } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { AssetKindEnum, AssetStatusEnum, AssetVisibilityEnum } from './asset.type.js';

@InputType('RequestUploadInput')
export class RequestUploadInput {
  @Field(() => AssetKindEnum)
  kind!: AssetKindEnum;

  @Field(() => String, { description: '1–255 characters, no slashes.' })
  fileName!: string;

  @Field(() => String, { description: 'Must be on the kind’s allow-list; the upload must be sent with it.' })
  mimeType!: string;

  @Field(() => Int, { description: 'Exact size in bytes (signed into the upload URL; per-kind cap).' })
  size!: number;

  @Field(() => String, { description: 'SHA-256 of the file, hex; checked on completion.' })
  sha256!: string;

  @Field(() => AssetVisibilityEnum, { nullable: true, description: 'Default PRIVATE.' })
  visibility?: AssetVisibilityEnum | null;

  @Field(() => String, {
    nullable: true,
    description: 'Domain whose registered rule decides who else may view (required for RESTRICTED).',
  })
  ownerDomain?: string | null;

  @Field(() => String, { nullable: true, description: 'What the asset belongs to there, e.g. Lesson:<id>.' })
  subjectRef?: string | null;
}

@InputType('CompleteUploadInput')
export class CompleteUploadInput {
  @Field(() => ID)
  assetId!: string;
}

@ArgsType()
export class MyAssetsArgs extends ConnectionArgs {
  @Field(() => AssetStatusEnum, { nullable: true })
  status?: AssetStatusEnum | null;
}
