import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  signUp as signUpOn,
  startTestPlatform,
  type SignedUp,
  type TestPlatform,
} from '../src/harness/test-platform.js';
import { eventually, pdf, sql } from '../src/harness/actors.js';

let platform: TestPlatform;
let storageDir: string;
const signUp = (email: string, displayName: string) => signUpOn(platform, email, displayName);

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-e2e-media-'));
  platform = await startTestPlatform({ MEDIA_STORAGE_DIR: storageDir });
});

afterAll(async () => {
  await platform?.close();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

const REQUEST = `mutation($input: RequestUploadInput!) {
  requestUpload(input: $input) { asset { id status } upload { url method headers { name value } } }
}`;
const COMPLETE =
  'mutation($input: CompleteUploadInput!) { completeUpload(input: $input) { asset { id status } } }';
const ASSET = 'query($id: ID!) { asset(id: $id) { id status url owner { id displayName } } }';

async function upload(who: SignedUp, bytes: Buffer, fileName: string): Promise<string> {
  const requested = await platform.graphql<{
    requestUpload: {
      asset: { id: string };
      upload: { url: string; headers: { name: string; value: string }[] };
    };
  }>(
    REQUEST,
    {
      input: {
        kind: 'DOCUMENT',
        fileName,
        mimeType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    },
    bearer(who.accessToken),
  );
  expect(requested.errors).toBeUndefined();
  const { asset, upload: target } = requested.data!.requestUpload;
  // local-disk storage: the signed URL is on the gateway's origin, which proxies it to media
  expect(new URL(target.url).origin).toBe(new URL(platform.gatewayUrl).origin);
  const put = await fetch(target.url, {
    method: 'PUT',
    headers: Object.fromEntries(target.headers.map((h) => [h.name, h.value])),
    body: bytes,
  });
  expect(put.status).toBe(200);
  const completed = await platform.graphql(
    COMPLETE,
    { input: { assetId: asset.id } },
    bearer(who.accessToken),
  );
  expect(completed.errors).toBeUndefined();
  return asset.id;
}

async function settled(who: SignedUp, id: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const result = await platform.graphql<{
      asset: { status: string; url: string | null; owner: { id: string; displayName: string } };
    }>(ASSET, { id }, bearer(who.accessToken));
    expect(result.errors).toBeUndefined();
    if (!['UPLOADED', 'SCANNING'].includes(result.data!.asset.status)) return result.data!.asset;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`asset ${id} was not scanned in time`);
}

describe('media through the gateway (local-disk storage, real clamd)', () => {
  it('uploads a PDF, scans it clean and serves it to the owner only; the owner is resolved by identity', async () => {
    const ada = await signUp('ada.media@example.com', 'Ada');
    const bob = await signUp('bob.media@example.com', 'Bob');
    const bytes = pdf('hello from the platform');
    const id = await upload(ada, bytes, 'hello.pdf');
    const asset = await settled(ada, id);
    expect(asset).toMatchObject({ status: 'READY', owner: { id: ada.user.id, displayName: 'Ada' } });
    const download = await fetch(asset.url!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    const denied = await platform.graphql(ASSET, { id }, bearer(bob.accessToken));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await platform.graphql(ASSET, { id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('quarantines the EICAR test file, never serves it, and platform records the audit event', async () => {
    const eve = await signUp('eve.media@example.com', 'Eve');
    const eicar = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!', '$H+H*'].join('');
    const id = await upload(eve, Buffer.concat([pdf('innocent'), Buffer.from(eicar, 'latin1')]), 'evil.pdf');
    const asset = await settled(eve, id);
    expect(asset).toMatchObject({ status: 'QUARANTINED', url: null });

    const rows = await eventually(
      () =>
        sql<{ action: string; source: string }>(
          platform,
          `SELECT action, source FROM platform.audit_events WHERE target_id = $1`,
          [id],
        ),
      (found) => found.length > 0,
      10_000,
    );
    expect(rows).toEqual([{ action: 'media.asset.quarantined', source: 'media' }]);
  });
});
