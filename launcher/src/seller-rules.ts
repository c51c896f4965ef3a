import { COMMUNITY_SELLER_RULE_PATH, COMMUNITY_SOLD_KINDS } from '@edugraph/community';
import { COMMERCE_SELLER_RULE_PATH, LEARNING_SOLD_KINDS } from '@edugraph/learning';

export type SellerRuleProvider = { kinds: readonly string[]; path: string };

/**
 * Commerce's seller rules (`COMMERCE_SELLER_RULES`): which subgraph says who may sell which product kinds,
 * at which path of its own server. A provider starts before commerce: learning (COURSE, EBOOK) and
 * community (COMMUNITY_TIER).
 */
export const SELLER_RULE_PROVIDERS: Readonly<Record<string, SellerRuleProvider>> = {
  learning: { kinds: LEARNING_SOLD_KINDS, path: COMMERCE_SELLER_RULE_PATH },
  community: { kinds: COMMUNITY_SOLD_KINDS, path: COMMUNITY_SELLER_RULE_PATH },
};

/** Refuses a start order in which commerce starts before a subgraph whose seller rule it needs. */
export function assertSellerRulesBeforeCommerce(
  names: readonly string[],
  providers: Readonly<Record<string, SellerRuleProvider>> = SELLER_RULE_PROVIDERS,
): void {
  const commerce = names.indexOf('commerce');
  if (commerce < 0) return;
  for (const name of Object.keys(providers))
    if (names.indexOf(name) > commerce)
      throw new Error(`${name} serves commerce's seller rule, so it must start before commerce.`);
}

/** The `KIND=url` entries a subgraph that just started at `url` contributes (none for most). */
export function sellerRuleEntries(
  name: string,
  url: string,
  providers: Readonly<Record<string, SellerRuleProvider>> = SELLER_RULE_PROVIDERS,
): string[] {
  const provider = providers[name];
  if (!provider) return [];
  const target = new URL(provider.path, url).toString();
  return provider.kinds.map((kind) => `${kind}=${target}`);
}
