import { byKey, type LoaderFactory, type Logger } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './common/clock.js';
import type { ViewRuleRegistry } from './modules/access/view-rules.js';
import { AssetLifecycleService } from './modules/asset/asset-lifecycle.service.js';
import { AssetScanService } from './modules/asset/asset-scan.service.js';
import type { AssetEntity } from './modules/asset/asset.entity.js';
import { AssetService, type MediaJobQueue } from './modules/asset/asset.service.js';
import type { RenditionEntity } from './modules/rendition/rendition.entity.js';
import { RenditionService, type RenditionTools } from './modules/rendition/rendition.service.js';
import type { ClamdClient } from './scanning/clamd-client.js';
import type { ObjectStorage } from './storage/object-storage.js';

/** Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys them). */
export type MediaLoaders = {
  asset: LoaderFactory<string, AssetEntity | null>;
  renditions: LoaderFactory<string, RenditionEntity[]>;
};

export type MediaServices = {
  assets: AssetService;
  scans: AssetScanService;
  renditions: RenditionService;
  lifecycle: AssetLifecycleService;
  views: ViewRuleRegistry;
  storage: ObjectStorage;
  loaders: MediaLoaders;
};

export type MediaServicesOptions = {
  dataSource: DataSource;
  storage: ObjectStorage;
  clamd: ClamdClient;
  jobs: MediaJobQueue;
  views: ViewRuleRegistry;
  tools: RenditionTools;
  logger: Logger;
  clock?: Clock;
};

export function createMediaServices(options: MediaServicesOptions): MediaServices {
  const { dataSource, storage, jobs, logger } = options;
  const clock = options.clock ?? systemClock;
  const assets = new AssetService(dataSource, storage, options.views, jobs, clock, logger);
  const renditions = new RenditionService(dataSource, storage, options.tools, clock, logger);
  return {
    assets,
    scans: new AssetScanService(dataSource, storage, options.clamd, jobs, clock, logger),
    renditions,
    lifecycle: new AssetLifecycleService(dataSource, storage, jobs, clock, logger),
    views: options.views,
    storage,
    loaders: {
      asset: () =>
        new DataLoader(async (ids) => {
          const rows = (await assets.byIds(ids)).filter((r): r is AssetEntity => r !== null);
          return byKey(ids, rows, (r) => r.id);
        }),
      renditions: () => new DataLoader((ids) => renditions.byAssetIds(ids)),
    },
  };
}
