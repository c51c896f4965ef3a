import { CreateIdentity1764300000000 } from './1764300000000-create-identity.js';
import { TwoFactorRecoveryCodes1764400000000 } from './1764400000000-two-factor-recovery-codes.js';

export const identityMigrations = [CreateIdentity1764300000000, TwoFactorRecoveryCodes1764400000000];
