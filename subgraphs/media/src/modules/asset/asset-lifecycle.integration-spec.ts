import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  COMPLETE_UPLOAD,
  createMediaHarness,
  type MediaHarness,
  type TestUser,
} from '../../testing/media-harness.js';
import { makePdf } from '../../testing/pdf.js';
import { LIFECYCLE_SCHEDULER_ID, SCAN_QUEUE } from '../jobs/media-jobs.js';

const DAY = 24 * 60 * 60 * 1000;

describe('lifecycle jobs (controlled clock)', () => {
  let h: MediaHarness;
  let alice: TestUser;
  const start = new Date();

  beforeAll(async () => {
    h = await createMediaHarness('lifecycle', { now: start });
    alice = await h.user();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function row(id: string) {
    const [r] = (await h.dataSource.query(
      `SELECT status, expired_at, purged_at, quarantine_key, upload_key FROM "media".assets WHERE id = $1`,
      [id],
    )) as {
      status: string;
      expired_at: Date | null;
      purged_at: Date | null;
      quarantine_key: string | null;
      upload_key: string;
    }[];
    return r!;
  }

  it('an unconfirmed upload expires after 7 days and its upload is deleted', async () => {
    h.clock.set(start);
    const bytes = makePdf(['never completed']);
    const target = await h.requestUpload(alice, { kind: 'DOCUMENT', mimeType: 'application/pdf', bytes });
    expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body: bytes })).status).toBe(
      200,
    );
    const { upload_key: uploadKey } = await row(target.assetId);
    expect(await h.storage.head(uploadKey)).not.toBeNull();

    h.clock.set(new Date(start.getTime() + 7 * DAY - 60_000));
    expect(await h.services.lifecycle.sweep()).toEqual({ expired: 0, purged: 0, requeued: 0 });
    expect((await row(target.assetId)).status).toBe('PENDING_UPLOAD');

    h.clock.set(new Date(start.getTime() + 7 * DAY + 1000));
    // Past the deadline but before the sweep: completing is refused already.
    expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice))).toEqual([
      'UPLOAD_EXPIRED',
    ]);
    expect(await h.services.lifecycle.sweep()).toEqual({ expired: 1, purged: 0, requeued: 0 });
    const expired = await row(target.assetId);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.expired_at).toEqual(new Date(start.getTime() + 7 * DAY + 1000));
    expect(await h.storage.head(uploadKey)).toBeNull();
    expect(codes(await h.gql(COMPLETE_UPLOAD, { input: { assetId: target.assetId } }, alice))).toEqual([
      'INVALID_ASSET_STATE',
    ]);
    expect((await h.services.lifecycle.sweep()).expired).toBe(0);
  });

  it('a quarantined file is purged 30 days after quarantine, audited', async () => {
    const id = randomUUID();
    const quarantinedAt = new Date(start.getTime() + 10 * DAY);
    const key = `quarantine/${id}/file`;
    await h.storage.put(key, Buffer.from('infected'), 'application/pdf');
    await h.dataSource.query(
      `INSERT INTO "media".assets (id, owner_id, kind, status, file_name, mime_type, size, sha256, upload_key,
         quarantine_key, scan_signature, upload_expires_at, quarantined_at)
       VALUES ($1, $2, 'DOCUMENT', 'QUARANTINED', 'x.pdf', 'application/pdf', 8, $3, $4, $5, 'Test.Sig', $6, $7)`,
      [id, alice.id, 'b'.repeat(64), `incoming/${id.replace(/-/g, '')}`, key, quarantinedAt, quarantinedAt],
    );
    h.clock.set(new Date(quarantinedAt.getTime() + 30 * DAY - 60_000));
    expect((await h.services.lifecycle.sweep()).purged).toBe(0);
    expect(await h.storage.head(key)).not.toBeNull();

    h.clock.set(new Date(quarantinedAt.getTime() + 30 * DAY + 1000));
    expect((await h.services.lifecycle.sweep()).purged).toBe(1);
    expect(await h.storage.head(key)).toBeNull();
    const purged = await row(id);
    expect(purged).toMatchObject({ status: 'QUARANTINED', quarantine_key: null });
    expect(purged.purged_at).toEqual(new Date(quarantinedAt.getTime() + 30 * DAY + 1000));
    const audits = (await h.dataSource.query(
      `SELECT payload FROM "media".outbox WHERE aggregate_id = $1 AND event_type = 'audit.recorded'`,
      [id],
    )) as { payload: Record<string, unknown> }[];
    expect(audits.map((a) => a.payload['action'])).toEqual(['media.asset.quarantine_purged']);
    expect((await h.services.lifecycle.sweep()).purged).toBe(0);
  });

  it('an asset left UPLOADED or SCANNING for 10 minutes (lost scan job) is queued for scanning again', async () => {
    const now = h.clock.now();
    const insert = async (status: string, updatedAt: Date) => {
      const id = randomUUID();
      await h.dataSource.query(
        `INSERT INTO "media".assets (id, owner_id, kind, status, file_name, mime_type, size, sha256, upload_key,
           storage_key, upload_expires_at, uploaded_at, updated_at)
         VALUES ($1, $2, 'DOCUMENT', $3, 'x.pdf', 'application/pdf', 8, $4, $5, $6, $7, $8, $8)`,
        [
          id,
          alice.id,
          status,
          'c'.repeat(64),
          `incoming/${id.replace(/-/g, '')}`,
          `assets/${id}/f`,
          now,
          updatedAt,
        ],
      );
      return id;
    };
    const lost = await insert('UPLOADED', new Date(now.getTime() - 11 * 60_000));
    const stuck = await insert('SCANNING', new Date(now.getTime() - 11 * 60_000));
    const recent = await insert('UPLOADED', new Date(now.getTime() - 9 * 60_000));
    expect((await h.services.lifecycle.sweep()).requeued).toBe(2);
    for (const id of [lost, stuck])
      expect(await h.queues.scanQueue.getJob(`scan-${id}`)).toMatchObject({
        name: 'scan',
        data: { assetId: id },
      });
    expect(await h.queues.scanQueue.getJob(`scan-${recent}`)).toBeUndefined();
    expect(SCAN_QUEUE).toBe('media-scan');
  });

  it('the sweep runs as an hourly BullMQ job scheduler', async () => {
    const workers = await h.startWorkers();
    try {
      const schedulers = await h.queues.lifecycleQueue.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: LIFECYCLE_SCHEDULER_ID, every: 3_600_000 }),
      ]);
    } finally {
      await workers.stop();
    }
  });
});
