import { CommerceInit1764700000000 } from './1764700000000-commerce-init.js';
import { CommerceTierSubscriptions1764700100000 } from './1764700100000-commerce-tier-subscriptions.js';
import { CommerceAffiliatesPayouts1764700200000 } from './1764700200000-commerce-affiliates-payouts.js';

export const commerceMigrations = [
  CommerceInit1764700000000,
  CommerceTierSubscriptions1764700100000,
  CommerceAffiliatesPayouts1764700200000,
];
