import type { SubgraphDefinition } from '@edugraph/kit';
import { subgraph as commerce } from '@edugraph/commerce';
import { subgraph as identity } from '@edugraph/identity';
import { subgraph as media } from '@edugraph/media';
import { subgraph as messaging } from '@edugraph/messaging';
import { subgraph as platform } from '@edugraph/platform';

/** Every subgraph of the platform, in start order (identity first: the others verify its tokens). */
export const subgraphDefinitions: readonly SubgraphDefinition[] = [
  identity,
  platform,
  messaging,
  media,
  commerce,
];
