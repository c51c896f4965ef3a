import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a client needs to upload: PUT the file's bytes to `url` with exactly these headers. */
export type PresignedUpload = {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
};

export type PresignedDownload = { url: string; expiresAt: Date };

export type StoredObjectInfo = { size: number; contentType: string | null };

export type UploadSignature = {
  /** Normalised MIME type the client must send as `Content-Type`. */
  contentType: string;
  /** Exact byte count the client must send (`Content-Length`). */
  size: number;
  expiresInSeconds: number;
};

export type DownloadSignature = {
  expiresInSeconds: number;
  /** Served as `Content-Type` (the asset's verified MIME type). */
  contentType: string;
  /** Served as `Content-Disposition: inline; filename="…"`. */
  fileName?: string;
};

/**
 * One interface over the local-disk and S3-compatible backends. Keys are server-chosen
 * (`incoming/…`, `assets/…`, `quarantine/…`, `renditions/…`); callers never pass user input as a key.
 * The store is never trusted to enforce what was signed: the media service re-checks size, type,
 * magic bytes and checksum itself.
 */
export type ObjectStorage = {
  readonly backend: 'local' | 's3';
  presignUpload(key: string, signature: UploadSignature): Promise<PresignedUpload>;
  presignDownload(key: string, signature: DownloadSignature): Promise<PresignedDownload>;
  /** Size and content type, or null when there is no such object. */
  head(key: string): Promise<StoredObjectInfo | null>;
  read(key: string): Promise<Readable>;
  /** Up to `count` bytes from the start of the object. */
  readFirstBytes(key: string, count: number): Promise<Buffer>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Idempotent: deleting a missing object succeeds. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
};

/** Streams an object into a local file (renditions work on files). */
export async function downloadToFile(storage: ObjectStorage, key: string, filePath: string): Promise<void> {
  await pipeline(await storage.read(key), createWriteStream(filePath));
}

/** Reads at most `count` bytes from a stream, then stops reading it. */
export async function firstBytesOf(stream: Readable, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    length += buffer.length;
    if (length >= count) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, count);
}

const KEY = /^(incoming|assets|quarantine|renditions)(\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){1,4}$/;

/** Server-chosen keys only: a known prefix and plain segments (no `..`, no empty segment). */
export function assertStorageKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.'))
    throw new Error(`Invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/** `inline; filename="…"; filename*=UTF-8''…` with a safe ASCII fallback. */
export function contentDisposition(fileName: string | undefined): string {
  if (!fileName) return 'inline';
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
