import { CreateIdentity1764300000000 } from './1764300000000-create-identity.js';

export const identityMigrations = [CreateIdentity1764300000000];
