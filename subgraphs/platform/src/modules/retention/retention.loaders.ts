import { groupByKey, type LoaderFactory } from '@edugraph/kit';
import DataLoader from 'dataloader';
import { platformServices } from '../../platform-services.js';
import type { RetentionRunItemEntity } from './retention.entity.js';

/** Items of a page of runs in one query. */
export const itemsByRunLoader: LoaderFactory<string, RetentionRunItemEntity[]> = () =>
  new DataLoader(async (runIds) =>
    groupByKey(runIds, await platformServices().retention.itemsOf(runIds), (item) => item.runId),
  );
