import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from './local-storage.js';

/** The local-disk backend's signed URLs, end to end over HTTP (signature, expiry, signed size and type). */
describe('local-disk storage', () => {
  let root: string;
  let server: http.Server;
  let storage: LocalStorage;
  let now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'edugraph-local-storage-'));
    let baseUrl = '';
    storage = new LocalStorage({
      root,
      secret: randomBytes(32).toString('hex'),
      baseUrl: () => baseUrl,
      now: () => now,
    });
    const app = express();
    storage.routes(app);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await fs.rm(root, { recursive: true, force: true });
  });

  const body = Buffer.from('%PDF-1.4 hello');

  async function signedPut(key = `incoming/${randomBytes(8).toString('hex')}`) {
    return {
      key,
      upload: await storage.presignUpload(key, {
        contentType: 'application/pdf',
        size: body.length,
        expiresInSeconds: 300,
      }),
    };
  }

  it('accepts exactly the signed upload and serves it with a signed GET', async () => {
    const { key, upload } = await signedPut();
    expect(upload.expiresAt).toEqual(new Date(now.getTime() + 300_000));
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
    expect(put.status).toBe(200);
    expect(await storage.head(key)).toEqual({ size: body.length, contentType: 'application/pdf' });
    // incoming/ is never served, even with a valid signature.
    const direct = await storage.presignDownload(key, {
      expiresInSeconds: 60,
      contentType: 'application/pdf',
    });
    expect((await fetch(direct.url)).status).toBe(404);
    await storage.copy(key, 'assets/a1/file');
    const download = await storage.presignDownload('assets/a1/file', {
      expiresInSeconds: 3600,
      contentType: 'application/pdf',
      fileName: 'Résumé "v2".pdf',
    });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(body);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `inline; filename="R_sum_ _v2_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22v2%22.pdf`,
    );
  });

  it('refuses a wrong type, a wrong length, a body longer than signed and a forged signature', async () => {
    const { key, upload } = await signedPut();
    const wrongType = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body,
    });
    expect(wrongType.status).toBe(400);
    const longer = await fetch(upload.url, {
      method: 'PUT',
      headers: upload.headers,
      body: Buffer.concat([body, body]),
    });
    expect(longer.status).toBe(400);
    const forgedSize = new URL(upload.url);
    forgedSize.searchParams.set('size', String(body.length * 2));
    expect(
      (await fetch(forgedSize, { method: 'PUT', headers: upload.headers, body: Buffer.concat([body, body]) }))
        .status,
    ).toBe(403);
    const forgedType = new URL(upload.url);
    forgedType.searchParams.set('type', 'text/html');
    expect(
      (await fetch(forgedType, { method: 'PUT', headers: { 'content-type': 'text/html' }, body })).status,
    ).toBe(403);
    expect(await storage.head(key)).toBeNull();
  });

  it('a PUT URL only writes its own key under incoming/', async () => {
    const { upload } = await signedPut('incoming/mine');
    const other = new URL(upload.url);
    other.pathname = '/media/objects/incoming/theirs';
    expect((await fetch(other, { method: 'PUT', headers: upload.headers, body })).status).toBe(403);
    const assets = await storage.presignUpload('assets/x/y', {
      contentType: 'application/pdf',
      size: body.length,
      expiresInSeconds: 60,
    });
    expect((await fetch(assets.url, { method: 'PUT', headers: assets.headers, body })).status).toBe(404);
    const traversal = new URL(upload.url);
    traversal.pathname = '/media/objects/incoming/..%2F..%2Fetc';
    expect((await fetch(traversal, { method: 'PUT', headers: upload.headers, body })).status).toBe(404);
  });

  it('upload and download URLs expire', async () => {
    const { upload } = await signedPut();
    await storage.put('assets/a2/file', body, 'application/pdf');
    const download = await storage.presignDownload('assets/a2/file', {
      expiresInSeconds: 3600,
      contentType: 'application/pdf',
    });
    const start = now;
    now = new Date(start.getTime() + 301_000);
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body })).status).toBe(403);
    expect((await fetch(download.url)).status).toBe(200);
    now = new Date(start.getTime() + 3601_000);
    expect((await fetch(download.url)).status).toBe(403);
    now = start;
  });

  it('quarantined files are never served', async () => {
    await storage.put('quarantine/a3/file', body, 'application/pdf');
    const signed = await storage.presignDownload('quarantine/a3/file', {
      expiresInSeconds: 60,
      contentType: 'application/pdf',
    });
    expect((await fetch(signed.url)).status).toBe(404);
  });
});
