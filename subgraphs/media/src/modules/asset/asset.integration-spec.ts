import 'reflect-metadata';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  COMPLETE_UPLOAD,
  createMediaHarness,
  sha256,
  type MediaHarness,
  type TestUser,
} from '../../testing/media-harness.js';
import { eicar, makePdf } from '../../testing/pdf.js';
import { MIME } from './upload-policy.js';

const ASSET = `query($id: ID!) { asset(id: $id) { id status url size sha256 mimeType renditionStatus renditionProgress pageCount
  renditions { kind page contentType width height url } owner { id } } }`;

async function png(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

describe('uploads, scanning, renditions and delivery', () => {
  let h: MediaHarness;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    h = await createMediaHarness('assets', { workers: true });
    [alice, bob, admin] = await Promise.all([h.user(), h.user(), h.user(['ADMIN'])]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function statusOf(id: string): Promise<string> {
    const [row] = (await h.dataSource.query(`SELECT status FROM "media".assets WHERE id = $1`, [id])) as {
      status: string;
    }[];
    return row!.status;
  }

  describe('requestUpload', () => {
    it('returns a 5-minute PUT URL to a random server-chosen key with the type signed in', async () => {
      const bytes = await png();
      const before = Date.now();
      const result = await h.gql<{
        requestUpload: {
          asset: { id: string; status: string };
          upload: {
            url: string;
            method: string;
            headers: { name: string; value: string }[];
            expiresAt: string;
          };
        };
      }>(
        `mutation($input: RequestUploadInput!) { requestUpload(input: $input) { asset { id status } upload { url method headers { name value } expiresAt } } }`,
        {
          input: {
            kind: 'IMAGE',
            fileName: '../../etc/passwd.png',
            mimeType: 'image/png',
            size: bytes.length,
            sha256: sha256(bytes),
          },
        },
        alice,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      const ok = await h.requestUpload(alice, {
        kind: 'IMAGE',
        fileName: 'photo.png',
        mimeType: 'image/png',
        bytes,
      });
      expect(ok.errors).toBeUndefined();
      const url = new URL(ok.url);
      expect(url.pathname).toMatch(/^\/media\/objects\/incoming\/[0-9a-f]{32}$/);
      expect(url.pathname).not.toContain('photo');
      expect(url.searchParams.get('size')).toBe(String(bytes.length));
      expect(url.searchParams.get('type')).toBe('image/png');
      const expires = Number(url.searchParams.get('expires')) * 1000;
      expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 299_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 300_000);
      expect(ok.headers).toEqual({ 'content-type': 'image/png' });
      expect(await statusOf(ok.assetId)).toBe('PENDING_UPLOAD');
    });

    it('refuses oversize files, types off the allow-list and bad checksums with clear codes', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'IMAGE', mimeType: 'image/png', size: 30 * 1024 * 1024 + 1 }, 'FILE_TOO_LARGE'],
        [{ kind: 'VIDEO', mimeType: 'video/mp4', size: 512 * 1024 * 1024 + 1 }, 'FILE_TOO_LARGE'],
        [{ kind: 'EBOOK', mimeType: 'application/pdf', size: 60 * 1024 * 1024 + 1 }, 'FILE_TOO_LARGE'],
        [{ kind: 'IMAGE', mimeType: 'image/svg+xml', size: 10 }, 'UNSUPPORTED_MEDIA_TYPE'],
        [{ kind: 'DOCUMENT', mimeType: 'text/html', size: 10 }, 'UNSUPPORTED_MEDIA_TYPE'],
        [{ kind: 'SLIDES', mimeType: 'application/x-msdownload', size: 10 }, 'UNSUPPORTED_MEDIA_TYPE'],
        [{ kind: 'IMAGE', mimeType: 'image/png', size: 0 }, 'BAD_USER_INPUT'],
        [{ kind: 'IMAGE', mimeType: 'image/png', size: 10, sha256: 'abc' }, 'BAD_USER_INPUT'],
        [{ kind: 'IMAGE', mimeType: 'image/png', size: 10, visibility: 'RESTRICTED' }, 'BAD_USER_INPUT'],
        [{ kind: 'IMAGE', mimeType: 'image/png', size: 10, ownerDomain: 'nobody' }, 'BAD_USER_INPUT'],
      ];
      for (const [input, code] of cases) {
        const result = await h.gql(
          `mutation($input: RequestUploadInput!) { requestUpload(input: $input) { asset { id } } }`,
          { input: { fileName: 'f', sha256: 'a'.repeat(64), ...input } },
          alice,
        );
        expect(codes(result), JSON.stringify(input)).toEqual([code]);
      }
      const [row] = (await h.dataSource.query(
        `SELECT count(*)::int AS n FROM "media".assets WHERE owner_id = $1 AND file_name = 'f'`,
        [alice.id],
      )) as { n: number }[];
      expect(row!.n).toBe(0);
    });

    it('needs a signed-in viewer', async () => {
      const result = await h.gql(
        `mutation { requestUpload(input: { kind: IMAGE, fileName: "a.png", mimeType: "image/png", size: 1, sha256: "${'a'.repeat(64)}" }) { asset { id } } }`,
      );
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('completeUpload', () => {
    async function putAndComplete(
      as: TestUser,
      declared: { kind: string; mimeType: string; bytes: Buffer; sha256?: string },
      sent: Buffer,
    ) {
      const target = await h.requestUpload(as, {
        kind: declared.kind,
        mimeType: declared.mimeType,
        bytes: declared.bytes,
        ...(declared.sha256 ? { declaredSha256: declared.sha256 } : {}),
      });
      const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: sent });
      const complete = await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, as);
      return { assetId: target.assetId, put: put.status, complete };
    }

    it('refuses a checksum lie, a magic-bytes lie, a missing upload, and changes nothing', async () => {
      const image = await png();
      const checksumLie = await putAndComplete(
        alice,
        { kind: 'IMAGE', mimeType: 'image/png', bytes: image, sha256: sha256(Buffer.from('other')) },
        image,
      );
      expect(checksumLie.put).toBe(200);
      expect(codes(checksumLie.complete)).toEqual(['CHECKSUM_MISMATCH']);
      expect(await statusOf(checksumLie.assetId)).toBe('PENDING_UPLOAD');

      const notPng = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
      const magicLie = await putAndComplete(
        alice,
        { kind: 'IMAGE', mimeType: 'image/png', bytes: notPng },
        notPng,
      );
      expect(codes(magicLie.complete)).toEqual(['MAGIC_BYTES_MISMATCH']);
      expect(await statusOf(magicLie.assetId)).toBe('PENDING_UPLOAD');

      const missing = await h.requestUpload(alice, { kind: 'IMAGE', mimeType: 'image/png', bytes: image });
      expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: missing.assetId } }, alice))).toEqual([
        'UPLOAD_MISSING',
      ]);
      // Nothing but the pending rows; no stored copies left behind.
      const stored = await fs
        .readdir(path.join(h.storageRoot, 'objects', 'assets'), { recursive: true, withFileTypes: true })
        .catch(() => []);
      expect(stored.filter((entry) => entry.isFile())).toEqual([]);
    });

    it('a size or type lie is refused by the signed URL, and by completeUpload if the store let it through', async () => {
      const image = await png();
      const target = await h.requestUpload(alice, { kind: 'IMAGE', mimeType: 'image/png', bytes: image });
      const bigger = Buffer.concat([image, Buffer.alloc(10)]);
      expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body: bigger })).status).toBe(
        400,
      );
      expect(
        (await fetch(target.url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: image }))
          .status,
      ).toBe(400);
      // A store that ignored the signature: write the lies straight to disk.
      await h.storage.put(
        (await h.dataSource.query(`SELECT upload_key FROM "media".assets WHERE id = $1`, [target.assetId]))[0]
          .upload_key,
        bigger,
        'image/png',
      );
      expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice))).toEqual([
        'SIZE_MISMATCH',
      ]);
      const key = (
        await h.dataSource.query(`SELECT upload_key FROM "media".assets WHERE id = $1`, [target.assetId])
      )[0].upload_key as string;
      await h.storage.put(key, image, 'image/jpeg');
      expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice))).toEqual([
        'CONTENT_TYPE_MISMATCH',
      ]);
      expect(await statusOf(target.assetId)).toBe('PENDING_UPLOAD');
    });

    it('only the uploader completes, once', async () => {
      const image = await png();
      const target = await h.requestUpload(alice, { kind: 'IMAGE', mimeType: 'image/png', bytes: image });
      await fetch(target.url, { method: 'PUT', headers: target.headers, body: image });
      expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, bob))).toEqual([
        'FORBIDDEN',
      ]);
      const first = await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice);
      expect(first.errors).toBeUndefined();
      expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice))).toEqual([
        'INVALID_ASSET_STATE',
      ]);
      await h.waitForStatus(target.assetId, ['READY']);
    });
    it('two concurrent completions: one wins, the other gets INVALID_ASSET_STATE, one stored copy', async () => {
      const image = await png(300, 200);
      const target = await h.requestUpload(alice, { kind: 'IMAGE', mimeType: 'image/png', bytes: image });
      await fetch(target.url, { method: 'PUT', headers: target.headers, body: image });
      const results = await Promise.all(
        [0, 1].map(() => h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice)),
      );
      expect(results.map((r) => codes(r)[0] ?? 'OK').sort()).toEqual(['INVALID_ASSET_STATE', 'OK']);
      await h.waitForStatus(target.assetId, ['READY']);
      const files = await fs.readdir(path.join(h.storageRoot, 'objects', 'assets', target.assetId));
      expect(files).toHaveLength(1);
    });
  });

  describe('antivirus', () => {
    it('quarantines EICAR: never served, owner told, audited', async () => {
      const bytes = Buffer.concat([makePdf(['looks like a pdf']), eicar()]);
      const { assetId, complete } = await h.upload(alice, {
        kind: 'DOCUMENT',
        fileName: 'notes.pdf',
        mimeType: MIME.pdf,
        bytes,
      });
      expect(complete.errors).toBeUndefined();
      expect(await h.waitForStatus(assetId, ['QUARANTINED', 'READY', 'FAILED'])).toBe('QUARANTINED');
      const [row] = (await h.dataSource.query(
        `SELECT storage_key, quarantine_key, scan_signature FROM "media".assets WHERE id = $1`,
        [assetId],
      )) as { storage_key: string | null; quarantine_key: string; scan_signature: string }[];
      expect(row!.storage_key).toBeNull();
      expect(row!.quarantine_key).toMatch(new RegExp(`^quarantine/${assetId}/`));
      expect(row!.scan_signature).toContain('EICAR');
      // The only copy is in quarantine.
      expect(await fs.readdir(path.join(h.storageRoot, 'objects', 'assets', assetId))).toEqual([]);
      const events = (await h.dataSource.query(
        `SELECT event_type, payload FROM "media".outbox WHERE aggregate_id = $1 ORDER BY event_type`,
        [assetId],
      )) as { event_type: string; payload: Record<string, unknown> }[];
      expect(events.map((e) => e.event_type)).toEqual(['audit.recorded', 'media.asset.quarantined']);
      expect(events[1]!.payload).toMatchObject({ assetId, ownerId: alice.id, fileName: 'notes.pdf' });
      expect(events[0]!.payload).toMatchObject({ action: 'media.asset.quarantined', targetType: 'Asset' });

      // Never served: no URL for the owner or an admin, and the quarantine key is refused even when signed.
      for (const viewer of [alice, admin]) {
        const result = await h.gql<{ asset: { status: string; url: string | null } }>(
          ASSET,
          { id: assetId },
          viewer,
        );
        expect(result.data!.asset).toMatchObject({ status: 'QUARANTINED', url: null });
      }
      const signed = await h.storage.presignDownload(row!.quarantine_key, {
        expiresInSeconds: 60,
        contentType: MIME.pdf,
      });
      expect((await fetch(signed.url)).status).toBe(404);
    });

    it('a clean PDF becomes READY with page images and a thumbnail; the owner gets a 60-minute URL', async () => {
      const bytes = makePdf(['page one', 'page two', 'page three']);
      const { assetId } = await h.upload(alice, {
        kind: 'DOCUMENT',
        fileName: 'doc.pdf',
        mimeType: MIME.pdf,
        bytes,
      });
      expect(await h.waitForStatus(assetId, ['READY', 'QUARANTINED', 'FAILED'])).toBe('READY');
      expect(await h.waitForRenditions(assetId)).toBe('READY');
      const result = await h.gql<{
        asset: {
          url: string;
          pageCount: number;
          renditionProgress: number;
          renditions: { kind: string; page: number | null; width: number; url: string }[];
        };
      }>(ASSET, { id: assetId }, alice);
      expect(result.errors).toBeUndefined();
      const asset = result.data!.asset;
      expect(asset.pageCount).toBe(3);
      expect(asset.renditionProgress).toBe(100);
      expect(asset.renditions.map((r) => `${r.kind}:${r.page ?? ''}`)).toEqual([
        'PAGE_IMAGE:1',
        'PAGE_IMAGE:2',
        'PAGE_IMAGE:3',
        'THUMBNAIL:',
      ]);
      expect(asset.renditions[0]!.width).toBe(1280);
      const url = new URL(asset.url);
      const expires = Number(url.searchParams.get('expires')) * 1000;
      expect(expires - Date.now()).toBeGreaterThan(59 * 60_000);
      expect(expires - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      const download = await fetch(asset.url);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe(MIME.pdf);
      expect(download.headers.get('x-content-type-options')).toBe('nosniff');
      expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(bytes));
      const page = await fetch(asset.renditions[1]!.url);
      expect(page.status).toBe(200);
      const meta = await sharp(Buffer.from(await page.arrayBuffer())).metadata();
      expect(meta.format).toBe('png');
      // A tampered URL is refused.
      const tampered = new URL(asset.url);
      tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 3600));
      expect((await fetch(tampered)).status).toBe(403);
    });

    it('a clean PPTX becomes READY with a PDF and page images (LibreOffice)', async () => {
      const bytes = await fs.readFile(new URL('../../testing/fixtures/deck.pptx', import.meta.url));
      const { assetId } = await h.upload(alice, {
        kind: 'SLIDES',
        fileName: 'deck.pptx',
        mimeType: MIME.pptx,
        bytes,
      });
      expect(await h.waitForStatus(assetId, ['READY', 'QUARANTINED', 'FAILED'])).toBe('READY');
      expect(await h.waitForRenditions(assetId, 120_000)).toBe('READY');
      const result = await h.gql<{
        asset: { pageCount: number; renditions: { kind: string; page: number | null; url: string }[] };
      }>(ASSET, { id: assetId }, alice);
      const asset = result.data!.asset;
      expect(asset.pageCount).toBe(2);
      expect(asset.renditions.map((r) => `${r.kind}:${r.page ?? ''}`)).toEqual([
        'PAGE_IMAGE:1',
        'PAGE_IMAGE:2',
        'PDF:',
        'THUMBNAIL:',
      ]);
      const pdf = await fetch(asset.renditions.find((r) => r.kind === 'PDF')!.url);
      expect(pdf.status).toBe(200);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    }, 180_000);

    it('an image gets a 320 px thumbnail', async () => {
      const bytes = await png(1600, 900);
      const { assetId } = await h.upload(alice, {
        kind: 'IMAGE',
        fileName: 'wide.png',
        mimeType: MIME.png,
        bytes,
      });
      await h.waitForStatus(assetId, ['READY']);
      expect(await h.waitForRenditions(assetId)).toBe('READY');
      const result = await h.gql<{
        asset: { renditions: { kind: string; width: number; height: number }[] };
      }>(ASSET, { id: assetId }, alice);
      expect(result.data!.asset.renditions).toEqual([
        expect.objectContaining({ kind: 'THUMBNAIL', width: 320, height: 180 }),
      ]);
    });
  });
});
