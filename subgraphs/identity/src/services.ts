import type { DataSource } from 'typeorm';
import type { IdentityConfig } from './environment.js';
import type { Mailer } from './mail/mailer.js';
import type { Clock } from './shared/clock.js';
import type { SecretBox } from './shared/crypto.js';
import type { AccountService } from './modules/verification/account.service.js';
import type { ApiKeyService } from './modules/api-key/api-key.service.js';
import type { AuthService } from './modules/auth/auth.service.js';
import type { PasswordHasher } from './modules/auth/password-hasher.js';
import type { SessionService } from './modules/session/session.service.js';
import type { KeyStore } from './modules/signing-key/key-store.service.js';
import type { TokenIssuer } from './modules/signing-key/token-issuer.js';
import type { TwoFactorService } from './modules/two-factor/two-factor.service.js';
import type { UserService } from './modules/user/user.service.js';

/** Everything resolvers need; created once per running subgraph (see `createIdentityServices`). */
export type IdentityServices = {
  config: IdentityConfig;
  dataSource: DataSource;
  clock: Clock;
  box: SecretBox;
  mailer: Mailer;
  hasher: PasswordHasher;
  keys: KeyStore;
  tokens: TokenIssuer;
  sessions: SessionService;
  auth: AuthService;
  users: UserService;
  account: AccountService;
  twoFactor: TwoFactorService;
  apiKeys: ApiKeyService;
};

let current: IdentityServices | null = null;

/** type-graphql instantiates resolvers itself; they reach the running subgraph's services here. */
export function setIdentityServices(services: IdentityServices | null): void {
  current = services;
}

/** Clears the registry if it still points at `services` (a later start may have replaced it). */
export function clearIdentityServices(services: IdentityServices): void {
  if (current === services) current = null;
}

export function identity(): IdentityServices {
  if (!current) throw new Error('The identity services are not started.');
  return current;
}
