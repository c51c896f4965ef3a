import 'reflect-metadata';
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

const ASSET = `query($id: ID!) { asset(id: $id) { status url pageCount renditions { kind page url } } }`;

/**
 * The same pipeline on the S3-compatible backend (s3rver). s3rver does not verify signatures, so it
 * stores whatever a client sends: completeUpload's own checks are what refuse the lies.
 */
describe('uploads on the S3 backend (s3rver)', () => {
  let h: MediaHarness;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    h = await createMediaHarness('s3', { workers: true, backend: 's3' });
    [alice, bob] = await Promise.all([h.user(), h.user()]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a clean PDF: presigned PUT, checks, scan, page images; the owner downloads through a presigned GET', async () => {
    const bytes = makePdf(['s3 page one', 's3 page two']);
    const { assetId, complete } = await h.upload(alice, {
      kind: 'EBOOK',
      fileName: 'book.pdf',
      mimeType: MIME.pdf,
      bytes,
    });
    expect(complete.errors).toBeUndefined();
    expect(await h.waitForStatus(assetId, ['READY', 'QUARANTINED', 'FAILED'])).toBe('READY');
    expect(await h.waitForRenditions(assetId)).toBe('READY');
    const result = await h.gql<{
      asset: { url: string; pageCount: number; renditions: { kind: string; url: string }[] };
    }>(ASSET, { id: assetId }, alice);
    const asset = result.data!.asset;
    expect(asset.pageCount).toBe(2);
    const url = new URL(asset.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    const download = await fetch(asset.url);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(bytes));
    expect((await fetch(asset.renditions.find((r) => r.kind === 'THUMBNAIL')!.url)).status).toBe(200);
    expect(codes(await h.gql(ASSET, { id: assetId }, bob))).toEqual(['FORBIDDEN']);
  });

  it('EICAR is moved to quarantine/ in the bucket and its stored copy deleted', async () => {
    const { assetId } = await h.upload(alice, {
      kind: 'DOCUMENT',
      mimeType: MIME.pdf,
      bytes: Buffer.concat([makePdf(['x']), eicar()]),
    });
    expect(await h.waitForStatus(assetId, ['QUARANTINED', 'READY', 'FAILED'])).toBe('QUARANTINED');
    const [row] = (await h.dataSource.query(
      `SELECT quarantine_key, storage_key FROM "media".assets WHERE id = $1`,
      [assetId],
    )) as { quarantine_key: string; storage_key: string | null }[];
    expect(row!.storage_key).toBeNull();
    expect(await h.storage.head(row!.quarantine_key)).not.toBeNull();
    const result = await h.gql<{ asset: { url: string | null } }>(ASSET, { id: assetId }, alice);
    expect(result.data!.asset.url).toBeNull();
  });

  it('the store took the lies; completeUpload refuses them', async () => {
    const bytes = makePdf(['honest']);
    const lies: [Record<string, string>, Buffer, string][] = [
      [{ 'content-type': MIME.pdf }, Buffer.concat([bytes, Buffer.from('more')]), 'SIZE_MISMATCH'],
      [{ 'content-type': 'text/html' }, bytes, 'CONTENT_TYPE_MISMATCH'],
      [
        { 'content-type': MIME.pdf },
        Buffer.from(bytes.toString('latin1').replace('honest', 'hacked'), 'latin1'),
        'CHECKSUM_MISMATCH',
      ],
    ];
    for (const [headers, body, code] of lies) {
      const target = await h.requestUpload(alice, { kind: 'DOCUMENT', mimeType: MIME.pdf, bytes });
      expect((await fetch(target.url, { method: 'PUT', headers, body })).status).toBe(200);
      expect(
        codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice)),
        code,
      ).toEqual([code]);
    }
  });
});
