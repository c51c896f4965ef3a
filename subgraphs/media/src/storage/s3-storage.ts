import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  assertStorageKey,
  contentDisposition,
  firstBytesOf,
  type DownloadSignature,
  type ObjectStorage,
  type PresignedDownload,
  type PresignedUpload,
  type StoredObjectInfo,
  type UploadSignature,
} from './object-storage.js';

export type S3StorageOptions = {
  /** e.g. `https://<account>.r2.cloudflarestorage.com`, MinIO's URL; absent for AWS S3. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (MinIO, local test servers). */
  forcePathStyle: boolean;
  now?: () => Date;
};

function notFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
  );
}

/**
 * S3-compatible backend (AWS S3, Cloudflare R2, MinIO) through the AWS SDK v3 and its presigner.
 * Upload URLs sign `content-type` and `content-length` (the store rejects other values); the SDK's
 * default checksum headers are off, so a browser PUT with just those headers matches the signature.
 */
export class S3Storage implements ObjectStorage {
  readonly backend = 's3' as const;
  readonly client: S3Client;
  private readonly now: () => Date;

  constructor(private readonly options: S3StorageOptions) {
    this.now = options.now ?? (() => new Date());
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private get bucket(): string {
    return this.options.bucket;
  }

  async presignUpload(key: string, signature: UploadSignature): Promise<PresignedUpload> {
    const signingDate = this.now();
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        ContentType: signature.contentType,
        ContentLength: signature.size,
      }),
      {
        expiresIn: signature.expiresInSeconds,
        signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': signature.contentType },
      expiresAt: new Date(signingDate.getTime() + signature.expiresInSeconds * 1000),
    };
  }

  async presignDownload(key: string, signature: DownloadSignature): Promise<PresignedDownload> {
    const signingDate = this.now();
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        ResponseContentType: signature.contentType,
        ResponseContentDisposition: contentDisposition(signature.fileName),
      }),
      { expiresIn: signature.expiresInSeconds, signingDate },
    );
    return { url, expiresAt: new Date(signingDate.getTime() + signature.expiresInSeconds * 1000) };
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }),
      );
      return { size: Number(head.ContentLength ?? 0), contentType: head.ContentType ?? null };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }),
    );
    const body = object.Body;
    if (body instanceof Readable) return body;
    if (!body) throw new Error(`Empty body for ${key}`);
    return Readable.fromWeb(body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
  }

  async readFirstBytes(key: string, count: number): Promise<Buffer> {
    const object = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        Range: `bytes=0-${count - 1}`,
      }),
    );
    const bytes = object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
    // A store that ignores Range sends everything; keep the head only.
    return bytes.length > count ? firstBytesOf(Readable.from([bytes]), count) : bytes;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        Body: body,
        ContentType: contentType,
        ContentLength: body.length,
      }),
    );
  }

  async putFile(key: string, filePath: string, contentType: string): Promise<void> {
    const { size } = await fs.stat(filePath);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(key),
        Body: createReadStream(filePath),
        ContentType: contentType,
        ContentLength: size,
      }),
    );
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const source = assertStorageKey(fromKey).split('/').map(encodeURIComponent).join('/');
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: assertStorageKey(toKey),
        CopySource: `${this.bucket}/${source}`,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
