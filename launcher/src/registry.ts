import type { SubgraphDefinition } from '@edugraph/kit';
import { subgraph as commerce } from '@edugraph/commerce';
import { subgraph as community } from '@edugraph/community';
import { subgraph as identity } from '@edugraph/identity';
import { subgraph as learning } from '@edugraph/learning';
import { subgraph as media } from '@edugraph/media';
import { subgraph as messaging } from '@edugraph/messaging';
import { subgraph as platform } from '@edugraph/platform';

/**
 * Every subgraph of the platform, in start order (identity first: the others verify its tokens; learning
 * before media, which calls learning's "may view" rule, and before commerce, which calls its seller rule —
 * every seller-rule provider in `seller-rules.ts` — learning, community — starts before commerce).
 */
export const subgraphDefinitions: readonly SubgraphDefinition[] = [
  identity,
  platform,
  messaging,
  learning,
  media,
  community,
  commerce,
];
