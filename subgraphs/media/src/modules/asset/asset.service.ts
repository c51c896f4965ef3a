import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Logger,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  AssetNotReadyError,
  ChecksumMismatchError,
  ContentTypeMismatchError,
  FileTooLargeError,
  InvalidAssetStateError,
  MagicBytesMismatchError,
  SizeMismatchError,
  UnsupportedMediaTypeError,
  UploadExpiredError,
  UploadMissingError,
} from '../../common/media.errors.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import type { ObjectStorage, PresignedDownload, PresignedUpload } from '../../storage/object-storage.js';
import type { ViewRuleRegistry } from '../access/view-rules.js';
import { AssetEntity, type AssetStatus, type AssetVisibility } from './asset.entity.js';
import {
  MAGIC_BYTES_NEEDED,
  magicBytesMatch,
  normaliseMimeType,
  UPLOAD_RULES,
  type AssetKind,
} from './upload-policy.js';

/** Upload URLs live 5 minutes; download URLs 60; an unconfirmed upload expires after 7 days. */
export const UPLOAD_URL_SECONDS = 5 * 60;
export const DOWNLOAD_URL_SECONDS = 60 * 60;
export const UPLOAD_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

export type RequestUploadInput = {
  kind: AssetKind;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  visibility?: AssetVisibility | null;
  ownerDomain?: string | null;
  subjectRef?: string | null;
};

/** Enqueues background work; the scan job id is the asset id, so enqueueing twice scans once. */
export type MediaJobQueue = {
  enqueueScan(assetId: string): Promise<void>;
  enqueueRendition(assetId: string): Promise<void>;
};

const SHA256 = /^[0-9a-f]{64}$/;
const SUBJECT_REF = /^[A-Za-z][A-Za-z0-9]{0,39}:[A-Za-z0-9_-]{1,100}$/;
// eslint-disable-next-line no-control-regex
const BAD_FILE_NAME_CHARS = /[\u0000-\u001f\u007f/\\]/;

function cleanFileName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 255 || BAD_FILE_NAME_CHARS.test(name) || name === '.' || name === '..')
    throw new BadUserInputError(
      'A file name has 1–255 characters, without slashes or control characters.',
      'fileName',
    );
  return name;
}

function randomKeyPart(): string {
  return randomBytes(16).toString('hex');
}

/** Uploads (request, complete), reads with access checks, and signed delivery. */
export class AssetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly views: ViewRuleRegistry,
    private readonly jobs: MediaJobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  private get assets() {
    return this.dataSource.getRepository(AssetEntity);
  }

  async byIds(ids: readonly string[]): Promise<(AssetEntity | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const rows = valid.length > 0 ? await this.assets.findBy({ id: In(valid) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async find(id: string): Promise<AssetEntity | null> {
    return this.assets.findOneBy({ id: assertUuid(id, 'id') });
  }

  async requestUpload(
    viewer: Viewer,
    input: RequestUploadInput,
  ): Promise<{ asset: AssetEntity; upload: PresignedUpload }> {
    const rule = UPLOAD_RULES[input.kind];
    if (!rule) throw new BadUserInputError('Unknown asset kind.', 'kind');
    const fileName = cleanFileName(input.fileName);
    const mimeType = normaliseMimeType(input.mimeType);
    if (!rule.mimeTypes.includes(mimeType))
      throw new UnsupportedMediaTypeError(input.kind, mimeType, rule.mimeTypes);
    if (!Number.isSafeInteger(input.size) || input.size < 1)
      throw new BadUserInputError('"size" is the file size in bytes (at least 1).', 'size');
    if (input.size > rule.maxBytes) throw new FileTooLargeError(input.kind, rule.maxBytes);
    const sha256 = input.sha256.trim().toLowerCase();
    if (!SHA256.test(sha256)) throw new BadUserInputError('"sha256" is 64 hexadecimal characters.', 'sha256');
    const visibility = input.visibility ?? 'PRIVATE';
    const ownerDomain = input.ownerDomain?.trim() || null;
    if (ownerDomain !== null && !this.views.has(ownerDomain))
      throw new BadUserInputError(`No view rule is registered for domain "${ownerDomain}".`, 'ownerDomain');
    if (visibility === 'RESTRICTED' && ownerDomain === null)
      throw new BadUserInputError(
        'A RESTRICTED asset needs the ownerDomain whose rule decides access.',
        'ownerDomain',
      );
    const subjectRef = input.subjectRef?.trim() || null;
    if (subjectRef !== null && !SUBJECT_REF.test(subjectRef))
      throw new BadUserInputError('"subjectRef" looks like Type:id, e.g. Lesson:<uuid>.', 'subjectRef');

    const now = this.clock.now();
    const asset = this.assets.create({
      id: randomUUID(),
      ownerId: viewer.userId,
      kind: input.kind,
      status: 'PENDING_UPLOAD',
      visibility,
      ownerDomain,
      subjectRef,
      fileName,
      mimeType,
      size: input.size,
      sha256,
      uploadKey: `incoming/${randomKeyPart()}`,
      storageKey: null,
      quarantineKey: null,
      scanAttempts: 0,
      scanSignature: null,
      failureReason: null,
      renditionStatus: 'NONE',
      renditionProgress: 0,
      renditionError: null,
      pageCount: null,
      createdAt: now,
      uploadExpiresAt: new Date(now.getTime() + UPLOAD_EXPIRY_MS),
      uploadedAt: null,
      scannedAt: null,
      quarantinedAt: null,
      purgedAt: null,
      expiredAt: null,
      updatedAt: now,
    });
    await this.assets.insert(asset);
    const upload = await this.storage.presignUpload(asset.uploadKey, {
      contentType: mimeType,
      size: input.size,
      expiresInSeconds: UPLOAD_URL_SECONDS,
    });
    return { asset, upload };
  }

  /**
   * Checks the upload (HEAD size and type, a server-side copy to a key the client cannot write, then
   * magic bytes and SHA-256 of that copy) and queues the antivirus scan. Any mismatch throws a typed
   * error and leaves the asset as it was (PENDING_UPLOAD).
   */
  async completeUpload(viewer: Viewer, assetId: string): Promise<AssetEntity> {
    const asset = await this.find(assetId);
    if (!asset) throw new NotFoundError('Asset');
    if (asset.ownerId !== viewer.userId)
      throw new ForbiddenError('Only the uploader can complete this upload.');
    if (asset.status !== 'PENDING_UPLOAD')
      throw new InvalidAssetStateError(asset.status, 'complete an upload');
    if (asset.uploadExpiresAt.getTime() <= this.clock.now().getTime()) throw new UploadExpiredError();

    const head = await this.storage.head(asset.uploadKey);
    if (!head) throw new UploadMissingError();
    if (head.size !== asset.size) throw new SizeMismatchError(asset.size, head.size);
    const storedType = head.contentType ? normaliseMimeType(head.contentType) : null;
    if (storedType !== asset.mimeType) throw new ContentTypeMismatchError(asset.mimeType, storedType);

    const storageKey = `assets/${asset.id}/${randomKeyPart()}`;
    try {
      await this.storage.copy(asset.uploadKey, storageKey);
    } catch (error) {
      // A concurrent completion may have won and deleted the incoming object meanwhile.
      const current = await this.find(asset.id);
      if (current && current.status !== 'PENDING_UPLOAD')
        throw new InvalidAssetStateError(current.status, 'complete an upload');
      throw error;
    }
    try {
      await this.verifyStoredCopy(asset, storageKey);
      const now = this.clock.now();
      const result = await this.assets
        .createQueryBuilder()
        .update(AssetEntity)
        .set({ status: 'UPLOADED', storageKey, uploadedAt: now, updatedAt: now })
        .where('id = :id AND status = :status', {
          id: asset.id,
          status: 'PENDING_UPLOAD' satisfies AssetStatus,
        })
        .execute();
      if (result.affected !== 1) throw new InvalidAssetStateError('UPLOADED', 'complete an upload');
    } catch (error) {
      await this.storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
    await this.storage
      .delete(asset.uploadKey)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, assetId: asset.id }, 'could not delete the incoming upload'),
      );
    try {
      await this.jobs.enqueueScan(asset.id);
    } catch (error) {
      // The lifecycle sweep queues scans of assets left UPLOADED.
      this.logger.error({ err: error, assetId: asset.id }, 'could not queue the scan');
    }
    return (await this.find(asset.id))!;
  }

  private async verifyStoredCopy(asset: AssetEntity, storageKey: string): Promise<void> {
    const copy = await this.storage.head(storageKey);
    if (!copy) throw new UploadMissingError();
    if (copy.size !== asset.size) throw new SizeMismatchError(asset.size, copy.size);
    const first = await this.storage.readFirstBytes(storageKey, MAGIC_BYTES_NEEDED);
    if (!magicBytesMatch(asset.mimeType, first)) throw new MagicBytesMismatchError(asset.mimeType);
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of await this.storage.read(storageKey)) {
      const buffer = chunk as Buffer;
      length += buffer.length;
      hash.update(buffer);
    }
    if (length !== asset.size) throw new SizeMismatchError(asset.size, length);
    if (hash.digest('hex') !== asset.sha256) throw new ChecksumMismatchError();
  }

  /** A 60-minute signed URL of a READY asset's file (callers check access first). */
  async downloadUrl(asset: AssetEntity): Promise<PresignedDownload> {
    if (asset.status !== 'READY' || !asset.storageKey) throw new AssetNotReadyError(asset.status);
    return this.storage.presignDownload(asset.storageKey, {
      expiresInSeconds: DOWNLOAD_URL_SECONDS,
      contentType: asset.mimeType,
      fileName: asset.fileName,
    });
  }

  async listForOwner(
    viewer: Viewer,
    args: ConnectionArgs,
    status: AssetStatus | null,
  ): Promise<Connection<AssetEntity>> {
    const qb = this.assets.createQueryBuilder('a').where('a.owner_id = :owner', { owner: viewer.userId });
    if (status) qb.andWhere('a.status = :status', { status });
    return paginate(qb, args, { alias: 'a', sortBy: 'createdAt', direction: 'DESC' });
  }
}
