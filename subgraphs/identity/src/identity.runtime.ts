import type { Redis } from 'ioredis';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import {
  createDataSource,
  createLogger,
  createRedis,
  DEFAULT_EVENTS_PREFIX,
  startEventConsumer,
  startOutboxRelay,
  startSubgraphServer,
  type Logger,
  type OutboxRelay,
  type RunningSubgraph,
} from '@edugraph/kit';
import { identityMigrations } from '@edugraph/migrations/identity';
import { identityEntities } from './entities.js';
import { IDENTITY_SCHEMA, type IdentityConfig } from './environment.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { MAIL_REQUESTED, MailQueue, startMailWorker, type MailRetryOptions } from './mail/mail-queue.js';
import { mountApiKeyExchange } from './modules/api-key/api-key.routes.js';
import { ApiKeyService } from './modules/api-key/api-key.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { IpLimiter } from './modules/auth/ip-limiter.js';
import { GhostLockout } from './modules/auth/ghost-lockout.js';
import { AccountLockout } from './modules/auth/account-lockout.js';
import { createRetentionHandler, RETENTION_REQUESTED } from './modules/retention/retention.handler.js';
import { SessionService } from './modules/session/session.service.js';
import { mountJwks } from './modules/signing-key/jwks.routes.js';
import { KeyStore } from './modules/signing-key/key-store.service.js';
import {
  startKeyRotationSchedule,
  type KeyRotationSchedule,
} from './modules/signing-key/key-rotation.schedule.js';
import { rotateKeysCommand } from './modules/signing-key/rotate-keys.command.js';
import { TokenIssuer } from './modules/signing-key/token-issuer.js';
import { TwoFactorService } from './modules/two-factor/two-factor.service.js';
import { UserService } from './modules/user/user.service.js';
import { AccountService, PASSWORD_RESET_REQUESTED } from './modules/verification/account.service.js';
import { buildIdentitySchema } from './schema.js';
import { clearIdentityServices, setIdentityServices, type IdentityServices } from './services.js';
import { systemClock, type Clock } from './shared/clock.js';
import { SecretBox } from './shared/crypto.js';

export function createIdentityDataSource(
  config: Pick<IdentityConfig, 'databaseUrl'>,
  options: { poolSize?: number; logger?: TypeOrmLogger } = {},
): DataSource {
  return createDataSource({
    url: config.databaseUrl,
    schema: IDENTITY_SCHEMA,
    entities: identityEntities,
    migrations: identityMigrations,
    poolSize: options.poolSize ?? 5,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

export function createIdentityLogger(config: Pick<IdentityConfig, 'logLevel' | 'nodeEnv'>): Logger {
  return createLogger({
    name: 'identity',
    level: config.logLevel,
    production: config.nodeEnv === 'production',
  });
}

/** Wires every service of the subgraph (no I/O except what the constructors need). */
export function createIdentityServices(input: {
  config: IdentityConfig;
  dataSource: DataSource;
  redis: Redis;
  clock?: Clock;
  mailer?: Mailer;
}): IdentityServices {
  const { config, dataSource, redis } = input;
  const clock = input.clock ?? systemClock;
  const box = new SecretBox(config.dataEncryptionKey);
  const mailer =
    input.mailer ??
    createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: config.mailOutboxDir });
  const hasher = new PasswordHasher(config.passwordHash);
  const keys = new KeyStore(dataSource, box, clock, { publishLeadSeconds: config.keyPublishLeadSeconds });
  const tokens = new TokenIssuer(keys, clock, { issuer: config.tokenIssuer, audience: config.tokenAudience });
  const sessions = new SessionService(dataSource, clock);
  const limiter = new IpLimiter(redis, {
    name: 'sign-in',
    keyPrefix: config.redisKeyPrefix,
    points: config.signInIpLimit,
    durationSeconds: config.signInIpWindowSeconds,
  });
  const accountLimiter = new IpLimiter(redis, {
    name: 'account',
    keyPrefix: config.redisKeyPrefix,
    points: config.accountIpLimit,
    durationSeconds: config.accountIpWindowSeconds,
  });
  const lockout = new AccountLockout(dataSource, clock);
  const account = new AccountService(dataSource, clock, box, hasher, sessions, accountLimiter, lockout);
  const ghosts = new GhostLockout(redis, config.redisKeyPrefix);
  const twoFactor = new TwoFactorService(dataSource, clock, box);
  const auth = new AuthService(
    dataSource,
    clock,
    hasher,
    sessions,
    tokens,
    limiter,
    accountLimiter,
    box,
    ghosts,
    lockout,
    twoFactor,
    {
      // A welcome code right after sign-up (mailed later through the outbox); a failure must not fail the sign-up.
      afterSignUp: async (user) => {
        await account.requestEmailVerification(user.id).catch(() => false);
      },
    },
  );
  return {
    config,
    dataSource,
    clock,
    box,
    mailer,
    hasher,
    keys,
    tokens,
    sessions,
    auth,
    users: new UserService(dataSource, clock, sessions),
    account,
    twoFactor,
    apiKeys: new ApiKeyService(dataSource, clock, tokens),
  };
}

export type RunningIdentity = RunningSubgraph & {
  services: IdentityServices;
  relay: OutboxRelay;
  mail: MailQueue;
  keyRotation: KeyRotationSchedule;
};

/**
 * Starts the identity subgraph: data source, Redis, services, first signing key, mail queue and worker,
 * identity's event consumer (its own mail and password-reset events, retention), outbox relay, the
 * scheduled signing-key rotation and the HTTP server (GraphQL, JWKS, API-key exchange).
 */
export async function startIdentity(options: {
  config: IdentityConfig;
  clock?: Clock;
  logger?: Logger;
  mailer?: Mailer;
  host?: string;
  defaultMetrics?: boolean;
  /** e.g. the kit's QueryCounter in tests. */
  queryLogger?: TypeOrmLogger;
  /** Mail delivery attempts and backoff (tests shorten the delay). */
  mailRetry?: MailRetryOptions;
}): Promise<RunningIdentity> {
  const { config } = options;
  const logger = options.logger ?? createIdentityLogger(config);
  const clock = options.clock ?? systemClock;
  const dataSource = createIdentityDataSource(
    config,
    options.queryLogger ? { logger: options.queryLogger } : {},
  );
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'identity' });
  const services = createIdentityServices({
    config,
    dataSource,
    redis,
    clock,
    ...(options.mailer ? { mailer: options.mailer } : {}),
  });
  setIdentityServices(services);

  const createdKey = await services.keys.ensureActiveKey();
  if (createdKey) logger.info({ kid: createdKey }, 'created the first signing key');

  const prefix = config.eventsPrefix ?? DEFAULT_EVENTS_PREFIX;
  const eventOptions = { dataSource, schema: IDENTITY_SCHEMA, redisUrl: config.redisUrl, logger, prefix };
  const mail = new MailQueue({
    redisUrl: config.redisUrl,
    prefix,
    logger,
    ...(options.mailRetry ? { retry: options.mailRetry } : {}),
  });
  const mailWorker = await startMailWorker({
    redisUrl: config.redisUrl,
    prefix,
    mailer: services.mailer,
    box: services.box,
    logger,
  });
  // The consumer registers its routes before the relay publishes anything.
  const consumer = await startEventConsumer({
    ...eventOptions,
    consumer: 'identity',
    handlers: {
      [RETENTION_REQUESTED]: createRetentionHandler(clock),
      [MAIL_REQUESTED]: mail.onMailRequested,
      [PASSWORD_RESET_REQUESTED]: services.account.issuePasswordReset,
    },
  });
  const relay = startOutboxRelay({ ...eventOptions, source: 'identity' });
  const keyRotation = await startKeyRotationSchedule({
    redisUrl: config.redisUrl,
    prefix,
    rotationDays: config.keyRotationDays,
    logger,
    rotate: async () => {
      const report = await rotateKeysCommand({
        dataSource,
        box: services.box,
        clock,
        publishLeadSeconds: config.keyPublishLeadSeconds,
        print: (line) => logger.info(line),
      });
      return {
        created: report.created?.kid ?? null,
        pending: report.pending?.kid ?? null,
        removed: report.removed,
      };
    },
  });

  const { schema } = await buildIdentitySchema();
  const running = await startSubgraphServer({
    name: 'identity',
    schema,
    port: config.port,
    host: options.host ?? config.host,
    production: config.nodeEnv === 'production',
    dataSource,
    redis,
    verifyToken: services.tokens.verify,
    logger,
    defaultMetrics: options.defaultMetrics ?? false,
    routes: (app) => {
      mountJwks(app, { keys: services.keys, logger });
      mountApiKeyExchange(app, { internalToken: config.internalApiToken, apiKeys: services.apiKeys, logger });
    },
    onShutdown: async () => {
      await keyRotation.stop();
      await relay.stop();
      await consumer.stop();
      await mailWorker.stop();
      await mail.close();
    },
  });
  const stop = async () => {
    await running.stop();
    clearIdentityServices(services);
  };
  return { ...running, stop, services, relay, mail, keyRotation };
}
