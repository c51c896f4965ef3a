import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMedia, type FakeMedia } from '../testing/fake-media.js';
import { startHarness, type Harness } from '../testing/harness.js';

const MiB = 1024 * 1024;

let h: Harness;
let media: FakeMedia;
let origin: URL;

beforeAll(async () => {
  media = await startFakeMedia();
  h = await startHarness({ MEDIA_URL: media.url, MEDIA_UPLOAD_MAX_BYTES: String(8 * MiB) });
  origin = new URL(h.url);
});

afterAll(async () => {
  await h?.stop();
  await media?.stop();
});

type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/**
 * A raw HTTP request to the gateway (no URL normalisation, exact headers). `send` writes the body; the first
 * chunk of the response is reported to `onFirstChunk` as soon as it arrives.
 */
function request(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  send: (req: http.ClientRequest) => Promise<void> | void = (req) => void req.end(),
  onFirstChunk?: (chunk: Buffer) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: origin.hostname, port: origin.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (chunks.length === 0) onFirstChunk?.(chunk);
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    void Promise.resolve(send(req)).catch(reject);
  });
}

const json = (answer: Answer) => JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;

describe('media object proxy (PUT/GET /media/objects/*)', () => {
  it('streams a 4 MiB upload to media while the client is still sending, forwarding only what media needs', async () => {
    const bytes = randomBytes(4 * MiB);
    const path = media.uploadPath('incoming/k-stream', bytes.length);
    let firstMiBArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstMiBArrived = resolve));
    media.onUploadBytes = (received) => {
      if (received >= MiB) firstMiBArrived();
    };
    try {
      const answer = await request(
        'PUT',
        path,
        {
          'content-type': 'application/pdf',
          'content-length': String(bytes.length),
          cookie: 'eg_refresh=secret-refresh-token',
          authorization: 'Bearer a-token-media-must-not-see',
          'x-something-else': 'stays at the gateway',
        },
        async (req) => {
          req.write(bytes.subarray(0, MiB));
          // A buffering proxy would hold this first MiB until the body ends: media would never see it here.
          await arrived;
          for (let offset = MiB; offset < bytes.length; offset += MiB)
            req.write(bytes.subarray(offset, offset + MiB));
          req.end();
        },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(json(answer)).toEqual({
        ok: true,
        received: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    } finally {
      media.onUploadBytes = null;
    }
    const seen = media.seen.find((r) => r.url === path)!;
    expect(seen.method).toBe('PUT');
    expect(seen.headers['content-type']).toBe('application/pdf');
    expect(seen.headers['content-length']).toBe(String(4 * MiB));
    expect(seen.headers['x-request-id']).toBeTruthy();
    expect(seen.headers['x-forwarded-host']).toBe(origin.host);
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-something-else']).toBeUndefined();
  });

  it("passes media's refusal of a bad signature through as 403 (and of a wrong size as 400)", async () => {
    const body = randomBytes(64 * 1024);
    const good = media.uploadPath('incoming/k-denied', body.length);
    const forged = good.replace(/signature=[^&]+/, 'signature=forged');
    const denied = await request(
      'PUT',
      forged,
      { 'content-type': 'application/pdf', 'content-length': String(body.length) },
      (req) => void req.end(body),
    );
    expect(denied.status).toBe(403);
    expect(json(denied)).toEqual({ error: 'signature does not match' });
    expect(denied.headers.connection).toBe('close');

    const short = await request(
      'PUT',
      good,
      { 'content-type': 'application/pdf', 'content-length': String(body.length - 1) },
      (req) => void req.end(body.subarray(1)),
    );
    expect(short.status).toBe(400);
    expect(json(short)).toEqual({ error: 'content length differs from the signed size' });
  });

  it('stops the upload at media when the client goes away mid-body', async () => {
    const key = 'incoming/k-aborted';
    let firstMiBArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstMiBArrived = resolve));
    media.onUploadBytes = (received) => {
      if (received >= MiB) firstMiBArrived();
    };
    try {
      const req = http.request({
        host: origin.hostname,
        port: origin.port,
        method: 'PUT',
        path: media.uploadPath(key, 4 * MiB),
        headers: { 'content-type': 'application/pdf', 'content-length': String(4 * MiB) },
        agent: false,
      });
      const gone = new Promise<void>((resolve) => req.on('close', () => resolve()));
      req.on('error', () => undefined);
      req.write(randomBytes(MiB));
      await arrived;
      req.destroy();
      await gone;
      for (let attempt = 0; attempt < 100 && !media.aborted.includes(key); attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(media.aborted).toContain(key);
    } finally {
      media.onUploadBytes = null;
    }
  });

  it('answers 502 when media cannot be reached', async () => {
    const down = await startHarness({ MEDIA_URL: 'http://127.0.0.1:9/' });
    try {
      const url = new URL(down.url);
      const answer = await fetch(`${url.origin}/media/objects/assets/a1/k1?signature=x`);
      expect(answer.status).toBe(502);
      expect(await answer.json()).toEqual({ error: 'media is not reachable' });
    } finally {
      await down.stop();
    }
  });

  it('refuses uploads above the largest media cap (413) or without a length (411) without asking media', async () => {
    const before = media.seen.length;
    const tooLarge = await request('PUT', media.uploadPath('incoming/k-huge', 9 * MiB), {
      'content-type': 'application/pdf',
      'content-length': String(9 * MiB),
    });
    expect(tooLarge.status).toBe(413);
    const chunked = await request(
      'PUT',
      media.uploadPath('incoming/k-chunked', 10),
      { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' },
      (req) => void req.end(Buffer.alloc(10)),
    );
    expect(chunked.status).toBe(411);
    expect(media.seen.length).toBe(before);
  });

  it('streams a download back with its type, length, ETag, cache and disposition headers, not hop-by-hop ones', async () => {
    const bytes = randomBytes(3 * MiB);
    media.store('assets/a1/k-download', bytes);
    let release!: () => void;
    media.holdDownloadAfter = {
      size: 64 * 1024,
      release: new Promise<void>((resolve) => (release = resolve)),
    };
    try {
      // Media sends the rest only once the client holds the first bytes: the proxy must not wait for the end.
      const answer = await request('GET', media.downloadPath('assets/a1/k-download'), {}, undefined, () =>
        release(),
      );
      expect(answer.status).toBe(200);
      expect(answer.body.equals(bytes)).toBe(true);
      expect(answer.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(bytes.length),
        'cache-control': 'private, max-age=300',
        'content-disposition': 'inline; filename="lesson.pdf"',
        'accept-ranges': 'bytes',
      });
      expect(answer.headers.etag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(answer.headers['x-media-internal']).toBeUndefined();
      expect(answer.headers['keep-alive']).not.toBe('timeout=77');

      const partial = await request('GET', media.downloadPath('assets/a1/k-download'), {
        range: 'bytes=10-19',
      });
      expect(partial.status).toBe(206);
      expect(partial.headers['content-range']).toBe(`bytes 10-19/${bytes.length}`);
      expect(partial.body.equals(bytes.subarray(10, 20))).toBe(true);

      const cached = await request('GET', media.downloadPath('assets/a1/k-download'), {
        'if-none-match': answer.headers.etag!,
      });
      expect(cached.status).toBe(304);
      expect(cached.body.length).toBe(0);

      const forged = await request('GET', '/media/objects/assets/a1/k-download?signature=forged', {});
      expect(forged.status).toBe(403);
    } finally {
      media.holdDownloadAfter = null;
    }
  });

  it('proxies nothing but GET/HEAD/PUT on plain object paths', async () => {
    const before = media.seen.length;
    const unknown = await request('GET', '/media/thumbnails/x', { accept: 'text/html' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).not.toContain('<div id="root">');
    for (const path of [
      '/media/objects/../../graphql',
      '/media/objects/assets/%2e%2e/secret',
      '/media/objects/assets//x',
      '/media/objects',
    ]) {
      const answer = await request('GET', path, {});
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    const post = await request('POST', '/media/objects/incoming/k1', { 'content-length': '0' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, PUT');
    expect(media.seen.length).toBe(before);
  });
});
