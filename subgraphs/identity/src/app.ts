import 'reflect-metadata';
import { migrate, type EnvRecord, type SubgraphDefinition } from '@edugraph/kit';
import { IDENTITY_DEFAULT_PORT, IDENTITY_SCHEMA, readIdentityConfig } from './environment.js';
import { createIdentityDataSource, startIdentity } from './identity.runtime.js';
import { buildIdentitySchema } from './schema.js';
import { seedIdentity } from './seed.js';

export { readMailOutbox, lastMailedCode, waitForMail, type StoredMail } from './mail/mailer.js';
export { totpCode } from './modules/two-factor/totp.js';
export { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, DEMO_USERS } from './seed.js';
export { startIdentity, createIdentityServices, type RunningIdentity } from './identity.runtime.js';
export { readIdentityConfig, type IdentityConfig } from './environment.js';
export { buildIdentitySchema } from './schema.js';

/** The identity subgraph: users, sessions, tokens and JWKS, API keys, roles, two-factor. */
export const subgraph: SubgraphDefinition = {
  name: 'identity',
  schemaName: IDENTITY_SCHEMA,
  defaultPort: IDENTITY_DEFAULT_PORT,
  buildSchema: buildIdentitySchema,
  migrate: async (databaseUrl: string) =>
    migrate(createIdentityDataSource({ databaseUrl }, { poolSize: 1 }), IDENTITY_SCHEMA),
  seed: (env: EnvRecord, progress) => seedIdentity(readIdentityConfig(env), progress),
  start: (env: EnvRecord) => startIdentity({ config: readIdentityConfig(env) }),
};
