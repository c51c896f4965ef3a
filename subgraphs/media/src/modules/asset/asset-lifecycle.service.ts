import type { Logger } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import { recordAudit } from '../../common/audit.js';
import type { Clock } from '../../common/clock.js';
import type { ObjectStorage } from '../../storage/object-storage.js';
import { AssetEntity } from './asset.entity.js';
import type { MediaJobQueue } from './asset.service.js';

/** Quarantined files are purged 30 days after quarantine. */
export const QUARANTINE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** An asset still UPLOADED or SCANNING this long after its last change lost its scan job: queue it again. */
export const RESCAN_AFTER_MS = 10 * 60 * 1000;
const BATCH = 200;

export type SweepResult = { expired: number; purged: number; requeued: number };

/**
 * The hourly lifecycle job:
 * - unconfirmed uploads (PENDING_UPLOAD past `upload_expires_at`, 7 days after the request) → EXPIRED,
 *   their incoming object deleted;
 * - quarantined files older than 30 days → deleted (`purged_at` set, audited; the row stays as a record);
 * - assets left UPLOADED or SCANNING for 10 minutes (a lost scan job) → scan queued again.
 * Each run handles bounded batches; the next run continues.
 */
export class AssetLifecycleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly jobs: MediaJobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  private get assets() {
    return this.dataSource.getRepository(AssetEntity);
  }

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const result: SweepResult = { expired: 0, purged: 0, requeued: 0 };

    const pending = await this.assets
      .createQueryBuilder('a')
      .where('a.status = :status AND a.upload_expires_at <= :now', { status: 'PENDING_UPLOAD', now })
      .orderBy('a.upload_expires_at', 'ASC')
      .limit(BATCH)
      .getMany();
    for (const asset of pending) {
      await this.storage.delete(asset.uploadKey);
      const update = await this.assets.update(
        { id: asset.id, status: 'PENDING_UPLOAD' },
        { status: 'EXPIRED', expiredAt: now, updatedAt: now },
      );
      result.expired += update.affected ?? 0;
    }

    const purgeBefore = new Date(now.getTime() - QUARANTINE_RETENTION_MS);
    const quarantined = await this.assets
      .createQueryBuilder('a')
      .where('a.status = :status AND a.purged_at IS NULL AND a.quarantined_at <= :before', {
        status: 'QUARANTINED',
        before: purgeBefore,
      })
      .orderBy('a.quarantined_at', 'ASC')
      .limit(BATCH)
      .getMany();
    for (const asset of quarantined) {
      if (asset.quarantineKey) await this.storage.delete(asset.quarantineKey);
      await this.dataSource.transaction(async (manager) => {
        await manager.update(
          AssetEntity,
          { id: asset.id },
          { purgedAt: now, quarantineKey: null, updatedAt: now },
        );
        await recordAudit(manager, {
          action: 'media.asset.quarantine_purged',
          targetId: asset.id,
          occurredAt: now,
          metadata: { ownerId: asset.ownerId, signature: asset.scanSignature },
        });
      });
      result.purged += 1;
    }

    // UPLOADED: the enqueue after completion failed; SCANNING untouched for long: the job was lost.
    // Re-adding is harmless while a job is still waiting or active (the job id is per asset).
    const stale = await this.assets
      .createQueryBuilder('a')
      .select(['a.id'])
      .where('a.status IN (:...statuses) AND a.updated_at <= :before', {
        statuses: ['UPLOADED', 'SCANNING'],
        before: new Date(now.getTime() - RESCAN_AFTER_MS),
      })
      .limit(BATCH)
      .getMany();
    for (const asset of stale) {
      await this.jobs.enqueueScan(asset.id);
      result.requeued += 1;
    }

    if (result.expired + result.purged + result.requeued > 0)
      this.logger.info(result, 'media lifecycle sweep');
    return result;
  }
}
