import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Express, Request, Response } from 'express';
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

export const LOCAL_OBJECTS_PATH = '/media/objects';

export type LocalStorageOptions = {
  /** Root folder; objects live in `<root>/objects`, their metadata in `<root>/meta`. */
  root: string;
  /** HMAC key of signed URLs. */
  secret: string;
  /** Origin clients reach this subgraph at, e.g. `http://127.0.0.1:4004` (may be known only after listen). */
  baseUrl: () => string;
  now?: () => Date;
};

type Meta = { contentType: string | null; size: number };

/** What a signed URL commits to; the signature is an HMAC over all of it. */
type Signed =
  | { method: 'PUT'; key: string; expires: number; contentType: string; size: number }
  | { method: 'GET'; key: string; expires: number; contentType: string; fileName: string };

function canonical(signed: Signed): string {
  return signed.method === 'PUT'
    ? ['PUT', signed.key, signed.expires, signed.contentType, signed.size].join('\n')
    : ['GET', signed.key, signed.expires, signed.contentType, signed.fileName].join('\n');
}

/**
 * Local-disk backend (the embedded default). The media subgraph itself serves the signed URLs:
 * `PUT /media/objects/<key>` (upload: signature, expiry, exact Content-Type and Content-Length) and
 * `GET /media/objects/<key>` (download: signature, expiry; never `incoming/` or `quarantine/` keys).
 */
export class LocalStorage implements ObjectStorage {
  readonly backend = 'local' as const;
  private readonly now: () => Date;

  constructor(private readonly options: LocalStorageOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private objectPath(key: string): string {
    return path.join(this.options.root, 'objects', assertStorageKey(key));
  }

  private metaPath(key: string): string {
    return path.join(this.options.root, 'meta', `${assertStorageKey(key)}.json`);
  }

  sign(signed: Signed): string {
    return createHmac('sha256', this.options.secret).update(canonical(signed)).digest('base64url');
  }

  private verify(signed: Signed, signature: string): boolean {
    const expected = Buffer.from(this.sign(signed));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private url(key: string, params: Record<string, string>): string {
    const url = new URL(`${LOCAL_OBJECTS_PATH}/${key}`, this.options.baseUrl());
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  private expiry(seconds: number): { expires: number; expiresAt: Date } {
    const expires = Math.floor(this.now().getTime() / 1000) + seconds;
    return { expires, expiresAt: new Date(expires * 1000) };
  }

  async presignUpload(key: string, signature: UploadSignature): Promise<PresignedUpload> {
    assertStorageKey(key);
    const { expires, expiresAt } = this.expiry(signature.expiresInSeconds);
    const signed: Signed = {
      method: 'PUT',
      key,
      expires,
      contentType: signature.contentType,
      size: signature.size,
    };
    return {
      url: this.url(key, {
        expires: String(expires),
        size: String(signature.size),
        type: signature.contentType,
        signature: this.sign(signed),
      }),
      method: 'PUT',
      headers: { 'content-type': signature.contentType },
      expiresAt,
    };
  }

  async presignDownload(key: string, signature: DownloadSignature): Promise<PresignedDownload> {
    assertStorageKey(key);
    const { expires, expiresAt } = this.expiry(signature.expiresInSeconds);
    const fileName = signature.fileName ?? '';
    const signed: Signed = { method: 'GET', key, expires, contentType: signature.contentType, fileName };
    return {
      url: this.url(key, {
        expires: String(expires),
        type: signature.contentType,
        ...(fileName ? { name: fileName } : {}),
        signature: this.sign(signed),
      }),
      expiresAt,
    };
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const stat = await fs.stat(this.objectPath(key));
      const meta = await this.readMeta(key);
      return { size: stat.size, contentType: meta?.contentType ?? null };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private async readMeta(key: string): Promise<Meta | null> {
    try {
      return JSON.parse(await fs.readFile(this.metaPath(key), 'utf8')) as Meta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private async writeMeta(key: string, meta: Meta): Promise<void> {
    const file = this.metaPath(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify(meta));
  }

  async read(key: string): Promise<Readable> {
    const file = this.objectPath(key);
    await fs.access(file);
    return createReadStream(file);
  }

  async readFirstBytes(key: string, count: number): Promise<Buffer> {
    return firstBytesOf(createReadStream(this.objectPath(key), { start: 0, end: count - 1 }), count);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const file = this.objectPath(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(temp, body);
    await fs.rename(temp, file);
    await this.writeMeta(key, { contentType, size: body.length });
  }

  async putFile(key: string, filePath: string, contentType: string): Promise<void> {
    const file = this.objectPath(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.copyFile(filePath, temp);
    await fs.rename(temp, file);
    await this.writeMeta(key, { contentType, size: (await fs.stat(file)).size });
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const meta = await this.readMeta(fromKey);
    const target = this.objectPath(toKey);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.copyFile(this.objectPath(fromKey), temp);
    await fs.rename(temp, target);
    const size = (await fs.stat(target)).size;
    await this.writeMeta(toKey, { contentType: meta?.contentType ?? null, size });
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.objectPath(key), { force: true });
    await fs.rm(this.metaPath(key), { force: true });
  }

  async close(): Promise<void> {}

  /** Mounts the signed upload/download routes on the subgraph's Express app. */
  routes(app: Express): void {
    app.put(`${LOCAL_OBJECTS_PATH}/*key`, (req, res) => {
      this.handleUpload(req, res).catch(() => {
        if (!res.headersSent) res.status(500).json({ error: 'upload failed' });
      });
    });
    app.get(`${LOCAL_OBJECTS_PATH}/*key`, (req, res) => {
      this.handleDownload(req, res).catch(() => {
        if (!res.headersSent) res.status(500).json({ error: 'download failed' });
        else res.destroy();
      });
    });
  }

  private keyOf(req: Request): string | null {
    const raw = (req.params as { key?: string | string[] }).key;
    const key = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    try {
      return assertStorageKey(key);
    } catch {
      return null;
    }
  }

  private param(req: Request, name: string): string {
    const value = req.query[name];
    return typeof value === 'string' ? value : '';
  }

  private expired(expires: number): boolean {
    return !Number.isInteger(expires) || expires * 1000 < this.now().getTime();
  }

  private async handleUpload(req: Request, res: Response): Promise<void> {
    const key = this.keyOf(req);
    const expires = Number(this.param(req, 'expires'));
    const size = Number(this.param(req, 'size'));
    const contentType = this.param(req, 'type');
    const signature = this.param(req, 'signature');
    const refuse = (status: number, error: string) => {
      res.setHeader('connection', 'close');
      res.status(status).json({ error });
      req.resume();
    };
    if (!key || !key.startsWith('incoming/')) return refuse(404, 'not found');
    if (!this.verify({ method: 'PUT', key, expires, contentType, size }, signature))
      return refuse(403, 'signature does not match');
    if (this.expired(expires)) return refuse(403, 'upload URL expired');
    const sentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (sentType !== contentType) return refuse(400, 'content type differs from the signed one');
    const declared = req.headers['content-length'];
    if (declared === undefined) return refuse(411, 'content length required');
    if (Number(declared) !== size) return refuse(400, 'content length differs from the signed size');

    const file = this.objectPath(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > size) req.destroy(new Error('body larger than the signed size'));
    });
    try {
      await pipeline(req, createWriteStream(temp));
    } catch {
      await fs.rm(temp, { force: true });
      if (!res.headersSent) refuse(400, 'upload interrupted or larger than signed');
      return;
    }
    if (received !== size) {
      await fs.rm(temp, { force: true });
      return refuse(400, 'body size differs from the signed size');
    }
    await fs.rename(temp, file);
    await this.writeMeta(key, { contentType, size });
    res.status(200).json({ ok: true });
  }

  private async handleDownload(req: Request, res: Response): Promise<void> {
    const key = this.keyOf(req);
    const expires = Number(this.param(req, 'expires'));
    const contentType = this.param(req, 'type');
    const fileName = this.param(req, 'name');
    const signature = this.param(req, 'signature');
    // Uploads not yet checked and quarantined files are never served, whatever the signature.
    if (!key || key.startsWith('incoming/') || key.startsWith('quarantine/')) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    if (!this.verify({ method: 'GET', key, expires, contentType, fileName }, signature)) {
      res.status(403).json({ error: 'signature does not match' });
      return;
    }
    if (this.expired(expires)) {
      res.status(403).json({ error: 'download URL expired' });
      return;
    }
    const info = await this.head(key);
    if (!info) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.setHeader('content-type', contentType);
    res.setHeader('content-length', String(info.size));
    res.setHeader('content-disposition', contentDisposition(fileName || undefined));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.setHeader('cache-control', 'private, max-age=300');
    await pipeline(createReadStream(this.objectPath(key)), res);
  }
}
