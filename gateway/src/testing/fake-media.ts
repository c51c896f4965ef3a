import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const SECRET = 'fake-media-signing-secret';

function sign(method: string, key: string, size: number): string {
  return createHmac('sha256', SECRET).update(`${method}\n${key}\n${size}`).digest('base64url');
}

/** What media saw of one request (to check what the proxy forwarded). */
export type SeenRequest = { method: string; url: string; headers: IncomingHttpHeaders };

/**
 * A stand-in for media's local-disk object routes (`PUT`/`GET /media/objects/<key>`): HMAC-signed URLs, the exact
 * signed size on upload (streamed into a SHA-256, never buffered), downloads with ETag and byte ranges.
 * `onUploadBytes` lets a test see bytes arrive while the client is still sending.
 */
export type FakeMedia = {
  url: string;
  /** A signed upload URL path (`/media/objects/…?size=…&signature=…`) for `size` bytes. */
  uploadPath: (key: string, size: number) => string;
  downloadPath: (key: string) => string;
  /** Stores an object for downloads. */
  store: (key: string, bytes: Buffer) => void;
  seen: SeenRequest[];
  /** Keys of uploads whose body stopped before its end (the client, or the proxy, went away). */
  aborted: string[];
  /** Called with the running byte count while an upload streams in. */
  onUploadBytes: ((received: number) => void) | null;
  /** When set, a download writes its first `size` bytes, then waits for this before the rest. */
  holdDownloadAfter: { size: number; release: Promise<void> } | null;
  stop: () => Promise<void>;
};

function verified(method: string, key: string, size: number, signature: string): boolean {
  const expected = Buffer.from(sign(method, key, size));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function startFakeMedia(): Promise<FakeMedia> {
  const objects = new Map<string, Buffer>();
  const app = express();
  const media: FakeMedia = {
    url: '',
    uploadPath: (key, size) =>
      `/media/objects/${key}?size=${size}&type=application%2Fpdf&signature=${sign('PUT', key, size)}`,
    downloadPath: (key) => `/media/objects/${key}?signature=${sign('GET', key, 0)}`,
    store: (key, bytes) => objects.set(key, bytes),
    seen: [],
    aborted: [],
    onUploadBytes: null,
    holdDownloadAfter: null,
    stop: async () => undefined,
  };
  app.use((req, _res, next) => {
    media.seen.push({ method: req.method, url: req.originalUrl, headers: req.headers });
    next();
  });
  const keyOf = (req: express.Request) => ((req.params as { key: string[] }).key ?? []).join('/');
  app.put('/media/objects/*key', (req, res) => {
    const key = keyOf(req);
    const size = Number(req.query['size']);
    const refuse = (status: number, error: string) => {
      res.setHeader('connection', 'close');
      res.status(status).json({ error });
      req.resume();
    };
    if (!verified('PUT', key, size, String(req.query['signature'] ?? '')))
      return refuse(403, 'signature does not match');
    if (Number(req.headers['content-length']) !== size)
      return refuse(400, 'content length differs from the signed size');
    const hash = createHash('sha256');
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      hash.update(chunk);
      media.onUploadBytes?.(received);
    });
    req.on('close', () => {
      if (!req.complete) media.aborted.push(key);
    });
    req.on('end', () => {
      res.status(200).json({ ok: true, received, sha256: hash.digest('hex') });
    });
  });
  app.get('/media/objects/*key', async (req, res) => {
    const key = keyOf(req);
    if (!verified('GET', key, 0, String(req.query['signature'] ?? ''))) {
      res.status(403).json({ error: 'signature does not match' });
      return;
    }
    const bytes = objects.get(key);
    if (!bytes) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'private, max-age=300');
    res.setHeader('accept-ranges', 'bytes');
    res.setHeader('content-disposition', 'inline; filename="lesson.pdf"');
    res.setHeader('keep-alive', 'timeout=77');
    res.setHeader('x-media-internal', 'not for clients');
    res.setHeader('content-type', 'application/pdf');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), bytes.length - 1);
      res.status(206);
      res.setHeader('content-range', `bytes ${start}-${end}/${bytes.length}`);
      res.setHeader('content-length', String(end - start + 1));
      res.end(bytes.subarray(start, end + 1));
      return;
    }
    res.setHeader('content-length', String(bytes.length));
    const hold = media.holdDownloadAfter;
    if (hold) {
      res.write(bytes.subarray(0, hold.size));
      await hold.release;
      res.end(bytes.subarray(hold.size));
      return;
    }
    res.end(bytes);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  media.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  media.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return media;
}
