import { describe, expect, it } from 'vitest';
import { assertSellerRulesBeforeCommerce, SELLER_RULE_PROVIDERS, sellerRuleEntries } from './seller-rules.js';
import { subgraphDefinitions } from './registry.js';

describe("commerce's seller rules in the launcher", () => {
  it('points COURSE and EBOOK at learning, COMMUNITY_TIER at community and nothing at the others', () => {
    expect(sellerRuleEntries('learning', 'http://127.0.0.1:4005/graphql')).toEqual([
      'COURSE=http://127.0.0.1:4005/internal/commerce/seller',
      'EBOOK=http://127.0.0.1:4005/internal/commerce/seller',
    ]);
    expect(sellerRuleEntries('community', 'http://127.0.0.1:4007/graphql')).toEqual([
      'COMMUNITY_TIER=http://127.0.0.1:4007/internal/commerce/seller',
    ]);
    expect(sellerRuleEntries('media', 'http://127.0.0.1:4004/graphql')).toEqual([]);
  });

  it('starts every provider before commerce (and refuses an order that does not)', () => {
    expect(() => assertSellerRulesBeforeCommerce(subgraphDefinitions.map((d) => d.name))).not.toThrow();
    expect(() => assertSellerRulesBeforeCommerce(['identity', 'commerce', 'learning'])).toThrow(
      /learning serves commerce's seller rule/,
    );
    expect(() =>
      assertSellerRulesBeforeCommerce(['learning', 'commerce', 'community'], SELLER_RULE_PROVIDERS),
    ).toThrow(/community serves/);
    expect(() => assertSellerRulesBeforeCommerce(['learning', 'media'])).not.toThrow();
  });
});
