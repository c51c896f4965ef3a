import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from './s3-storage.js';

/**
 * Round trip against a local S3-compatible server (s3rver). The AWS SDK signs; the properties of the
 * signature (expiry, signed headers, no SDK checksum parameters) are asserted on the presigned URL itself.
 */
describe('S3 storage (s3rver)', () => {
  let server: S3rver;
  let directory: string;
  let storage: S3Storage;
  const now = new Date('2026-01-02T03:04:05Z');

  beforeAll(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'edugraph-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'media-test' }],
    });
    const { port } = await server.run();
    storage = new S3Storage({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'media-test',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.close();
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('presigned PUT signs expiry, content type and length, without SDK checksum parameters', async () => {
    const signing = new S3Storage({
      endpoint: 'https://account.r2.example',
      region: 'auto',
      bucket: 'media',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      now: () => now,
    });
    const upload = await signing.presignUpload('incoming/abc123', {
      contentType: 'application/pdf',
      size: 1234,
      expiresInSeconds: 300,
    });
    const url = new URL(upload.url);
    expect(url.pathname).toBe('/media/incoming/abc123');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260102T030405Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260102/auto/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';').sort()).toEqual([
      'content-length',
      'content-type',
      'host',
    ]);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(upload.expiresAt).toEqual(new Date(now.getTime() + 300_000));
    expect(upload.headers).toEqual({ 'content-type': 'application/pdf' });

    // A different size or type gives a different signature (they are part of what is signed).
    const other = new URL(
      (
        await signing.presignUpload('incoming/abc123', {
          contentType: 'application/pdf',
          size: 1235,
          expiresInSeconds: 300,
        })
      ).url,
    );
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));

    const download = new URL(
      (
        await signing.presignDownload('assets/a/b', {
          expiresInSeconds: 3600,
          contentType: 'application/pdf',
          fileName: 'r.pdf',
        })
      ).url,
    );
    expect(download.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(download.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(download.searchParams.get('response-content-disposition')).toContain('filename="r.pdf"');
    await signing.close();
  });

  it('round trip: presigned PUT, HEAD, GET, copy to quarantine, delete', async () => {
    const body = Buffer.from('%PDF-1.4 fake but fine for storage');
    const upload = await storage.presignUpload('incoming/roundtrip', {
      contentType: 'application/pdf',
      size: body.length,
      expiresInSeconds: 300,
    });
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
    expect(put.status).toBe(200);

    expect(await storage.head('incoming/roundtrip')).toEqual({
      size: body.length,
      contentType: 'application/pdf',
    });
    expect(await storage.head('incoming/missing')).toBeNull();
    expect((await storage.readFirstBytes('incoming/roundtrip', 5)).toString()).toBe('%PDF-');

    const chunks: Buffer[] = [];
    for await (const chunk of await storage.read('incoming/roundtrip')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(body);

    const download = await storage.presignDownload('incoming/roundtrip', {
      expiresInSeconds: 3600,
      contentType: 'application/pdf',
      fileName: 'report.pdf',
    });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await got.arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(body).digest('hex'));

    await storage.copy('incoming/roundtrip', 'quarantine/asset-1/copy');
    expect(await storage.head('quarantine/asset-1/copy')).toMatchObject({ size: body.length });
    await storage.delete('incoming/roundtrip');
    expect(await storage.head('incoming/roundtrip')).toBeNull();
    await storage.delete('incoming/roundtrip');
    await storage.delete('quarantine/asset-1/copy');
    expect(await storage.head('quarantine/asset-1/copy')).toBeNull();
  });

  it('stores renditions from buffers and files', async () => {
    const file = path.join(directory, 'page.png');
    await fs.writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await storage.putFile('renditions/a1/page-0001.png', file, 'image/png');
    await storage.put('renditions/a1/thumbnail.png', Buffer.from([1, 2, 3]), 'image/png');
    expect(await storage.head('renditions/a1/page-0001.png')).toEqual({ size: 4, contentType: 'image/png' });
    expect(await storage.head('renditions/a1/thumbnail.png')).toEqual({ size: 3, contentType: 'image/png' });
  });

  it('refuses keys it did not choose', async () => {
    await expect(storage.head('../etc/passwd')).rejects.toThrow(/Invalid storage key/);
    await expect(
      storage.presignUpload('assets/../x', { contentType: 'a/b', size: 1, expiresInSeconds: 1 }),
    ).rejects.toThrow(/Invalid storage key/);
  });
});
