import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { recordEvent, type Logger } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import { recordAudit } from '../../common/audit.js';
import type { Clock } from '../../common/clock.js';
import { MEDIA_SCHEMA } from '../../environment.js';
import type { ClamdClient, ScanVerdict } from '../../scanning/clamd-client.js';
import type { ObjectStorage } from '../../storage/object-storage.js';
import { AssetEntity } from './asset.entity.js';
import type { MediaJobQueue } from './asset.service.js';
import { SLIDE_MIME_TYPES, MIME } from './upload-policy.js';

export const ASSET_QUARANTINED_EVENT = 'media.asset.quarantined';
export const ASSET_READY_EVENT = 'media.asset.ready';
export const ASSET_FAILED_EVENT = 'media.asset.failed';

export type ScanOutcome = 'READY' | 'QUARANTINED' | 'FAILED' | 'SKIPPED';

/** Assets that get renditions: slide decks and PDFs (PDF + page images), images (thumbnail). */
export function wantsRenditions(asset: Pick<AssetEntity, 'kind' | 'mimeType'>): boolean {
  return (
    SLIDE_MIME_TYPES.includes(asset.mimeType) ||
    asset.mimeType === MIME.pdf ||
    (asset.kind === 'IMAGE' && asset.mimeType !== MIME.gif)
  );
}

/**
 * The antivirus step of the scan job. Streams the stored copy to clamd (INSTREAM) while hashing it:
 * - `OK` and the same SHA-256 → READY (renditions queued);
 * - a signature → the file moves to `quarantine/…`, QUARANTINED, `media.asset.quarantined` (owner told)
 *   and `audit.recorded` in one transaction; it is never served;
 * - a clamd error, timeout or size limit throws (BullMQ retries with backoff); on the last attempt the
 *   asset becomes FAILED. Nothing but a clean verdict makes an asset READY.
 */
export class AssetScanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly clamd: ClamdClient,
    private readonly jobs: MediaJobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  private get assets() {
    return this.dataSource.getRepository(AssetEntity);
  }

  async scan(assetId: string, options: { lastAttempt: boolean }): Promise<ScanOutcome> {
    const asset = await this.assets.findOneBy({ id: assetId });
    if (!asset || (asset.status !== 'UPLOADED' && asset.status !== 'SCANNING') || !asset.storageKey)
      return 'SKIPPED';
    await this.assets.update(
      { id: asset.id },
      { status: 'SCANNING', scanAttempts: asset.scanAttempts + 1, updatedAt: this.clock.now() },
    );
    let verdict: ScanVerdict;
    let sha256: string;
    try {
      ({ verdict, sha256 } = await this.scanStored(asset.storageKey));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ assetId, err: error, lastAttempt: options.lastAttempt }, 'antivirus scan failed');
      if (options.lastAttempt) await this.fail(asset, `antivirus scan failed: ${reason}`);
      throw error;
    }
    if (!verdict.clean) {
      await this.quarantine(asset, asset.storageKey, verdict.signature);
      return 'QUARANTINED';
    }
    if (sha256 !== asset.sha256) {
      await this.fail(asset, 'the stored file changed after it was checked');
      return 'FAILED';
    }
    const now = this.clock.now();
    const renditions = wantsRenditions(asset);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        AssetEntity,
        { id: asset.id, status: 'SCANNING' },
        {
          status: 'READY',
          scannedAt: now,
          updatedAt: now,
          failureReason: null,
          renditionStatus: renditions ? 'PENDING' : 'NONE',
        },
      );
      await recordEvent(manager, MEDIA_SCHEMA, {
        type: ASSET_READY_EVENT,
        aggregateId: asset.id,
        payload: { assetId: asset.id, ownerId: asset.ownerId, kind: asset.kind, mimeType: asset.mimeType },
      });
    });
    if (renditions) await this.jobs.enqueueRendition(asset.id);
    return 'READY';
  }

  private async scanStored(key: string): Promise<{ verdict: ScanVerdict; sha256: string }> {
    const hash = createHash('sha256');
    const source = await this.storage.read(key);
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    source.on('error', (error) => hashing.destroy(error));
    const verdict = await this.clamd.scan(source.pipe(hashing));
    return { verdict, sha256: hash.digest('hex') };
  }

  private async quarantine(asset: AssetEntity, storageKey: string, signature: string): Promise<void> {
    const quarantineKey = `quarantine/${asset.id}/${randomBytes(16).toString('hex')}`;
    await this.storage.copy(storageKey, quarantineKey);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        AssetEntity,
        { id: asset.id },
        {
          status: 'QUARANTINED',
          storageKey: null,
          quarantineKey,
          scanSignature: signature,
          scannedAt: now,
          quarantinedAt: now,
          updatedAt: now,
        },
      );
      await recordEvent(manager, MEDIA_SCHEMA, {
        type: ASSET_QUARANTINED_EVENT,
        aggregateId: asset.id,
        payload: {
          assetId: asset.id,
          ownerId: asset.ownerId,
          fileName: asset.fileName,
          kind: asset.kind,
          signature,
          quarantinedAt: now.toISOString(),
        },
      });
      await recordAudit(manager, {
        action: 'media.asset.quarantined',
        targetId: asset.id,
        occurredAt: now,
        metadata: { ownerId: asset.ownerId, signature, sha256: asset.sha256 },
      });
    });
    await this.storage.delete(storageKey);
    this.logger.warn({ assetId: asset.id, signature }, 'infected upload quarantined');
  }

  private async fail(asset: AssetEntity, reason: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        AssetEntity,
        { id: asset.id },
        { status: 'FAILED', failureReason: reason.slice(0, 500), updatedAt: now },
      );
      await recordEvent(manager, MEDIA_SCHEMA, {
        type: ASSET_FAILED_EVENT,
        aggregateId: asset.id,
        payload: { assetId: asset.id, ownerId: asset.ownerId, reason: reason.slice(0, 500) },
      });
      await recordAudit(manager, {
        action: 'media.asset.scan_failed',
        targetId: asset.id,
        occurredAt: now,
        metadata: { ownerId: asset.ownerId, reason: reason.slice(0, 500) },
      });
    });
  }
}
