import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClamdClient } from '../../scanning/clamd-client.js';
import { createMediaHarness, type MediaHarness, type TestUser } from '../../testing/media-harness.js';
import { makePdf } from '../../testing/pdf.js';

/** clamd down: the scan fails closed, retries with backoff, and the asset ends FAILED — never READY. */
describe('scan without a working clamd', () => {
  let h: MediaHarness;
  let alice: TestUser;

  beforeAll(async () => {
    h = await createMediaHarness('scanfail', {
      workers: true,
      scanAttempts: 3,
      clamd: new ClamdClient({ socket: '/tmp/edugraph-no-such-clamd.sock' }, 1000),
    });
    alice = await h.user();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('retries, then FAILED with the reason; no URL; owner told and audited', async () => {
    const { assetId, complete } = await h.upload(alice, {
      kind: 'DOCUMENT',
      mimeType: 'application/pdf',
      bytes: makePdf(['clean but unscanned']),
    });
    expect(complete.errors).toBeUndefined();
    expect(await h.waitForStatus(assetId, ['FAILED', 'READY'])).toBe('FAILED');
    const [row] = (await h.dataSource.query(
      `SELECT scan_attempts, failure_reason, scanned_at FROM "media".assets WHERE id = $1`,
      [assetId],
    )) as { scan_attempts: number; failure_reason: string; scanned_at: Date | null }[];
    expect(row!.scan_attempts).toBe(3);
    expect(row!.failure_reason).toMatch(/antivirus scan failed: clamd connection failed/);
    expect(row!.scanned_at).toBeNull();
    const result = await h.gql<{ asset: { status: string; url: string | null } }>(
      `query($id: ID!) { asset(id: $id) { status url } }`,
      { id: assetId },
      alice,
    );
    expect(result.data!.asset).toEqual({ status: 'FAILED', url: null });
    const events = (await h.dataSource.query(
      `SELECT event_type FROM "media".outbox WHERE aggregate_id = $1 ORDER BY event_type`,
      [assetId],
    )) as { event_type: string }[];
    expect(events.map((e) => e.event_type)).toEqual(['audit.recorded', 'media.asset.failed']);
  });
});
