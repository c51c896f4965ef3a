import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  createLogger,
  createTokenVerifier,
  remoteJwks,
  type Logger,
  type TokenVerifier,
} from '@edugraph/kit';
import express, { type Express } from 'express';
import { Redis } from 'ioredis';
import { createApiKeyExchange, type ApiKeyExchange } from './auth/api-key-exchange.js';
import { createAuthenticator, type Authenticator } from './auth/authenticator.js';
import { createJwksProxy } from './auth/jwks-proxy.js';
import { refreshCookiePlugin } from './auth/refresh-cookie.js';
import { sessionRoutes } from './auth/session-routes.js';
import { subgraphKey, type GatewayConfig } from './environment.js';
import { createGatewayFormatError } from './errors/format-error.js';
import type { GatewayContext } from './gateway-context.js';
import { graphiqlAssets, graphiqlPage, GRAPHIQL_ASSET_PATH } from './http/graphiql.js';
import {
  graphqlBodyParser,
  graphqlHttpErrorHandler,
  graphqlResponseStatusPlugin,
  sendGraphqlErrors,
} from './http/graphql-over-http.js';
import { corsMiddleware } from './http/cors.js';
import { normalizeIp, requestIdMiddleware, requestIdOf } from './http/request-id.js';
import { createArmor } from './limits/armor.js';
import { operationLimitsPlugin } from './limits/operation-limits.plugin.js';
import { createRateLimiters, rateLimitedError, type RateLimiters } from './limits/rate-limits.js';
import {
  createGatewayMetrics,
  observabilityPlugin,
  type GatewayMetrics,
} from './observability/gateway-metrics.js';
import { createSubscriptionTransport } from './subscriptions/subscription-server.js';
import type { SubscriptionTransport } from './subscriptions/subscriptions.js';
import { EdgeDataSource } from './supergraph/edge-data-source.js';
import {
  healthUrl,
  loadSupergraphSdl,
  subgraphEndpoints,
  type SubgraphEndpoint,
} from './supergraph/supergraph.js';
import { hasWebApp, webAppRouter } from './web/web-app.js';
import {
  hasInternalToken,
  loadTrustedDocuments,
  type PersistedDocumentManifest,
} from './trusted-documents/trusted-documents.js';
import { MEDIA_OBJECTS_PATH, mediaObjectsProxy, mediaTarget } from './media/media-proxy.js';

export {
  readGatewayConfig,
  processEnv,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  GATEWAY_DEFAULT_PORT,
} from './environment.js';
export type {
  GatewayConfig,
  GatewayLimits,
  GatewayRateLimits,
  GatewaySubscriptionSettings,
  RateLimitRule,
} from './environment.js';
export {
  CLOSE_CODES,
  createSubscriptionTransport,
  type GatewaySubscriptionOptions,
} from './subscriptions/subscription-server.js';
export type { GatewayContext } from './gateway-context.js';
export type { Principal } from './auth/principal.js';
export type { SubscriptionTransport, SubscriptionAttachOptions } from './subscriptions/subscriptions.js';
export type { SubgraphEndpoint } from './supergraph/supergraph.js';
export { calculateCost, type CostOptions, type CostResult } from './limits/cost.js';
export type {
  PersistedDocumentManifest,
  TrustedDocumentsMode,
  TrustedDocumentsSettings,
} from './trusted-documents/trusted-documents.js';

/** Things the caller may supply instead of what the config describes. */
export type GatewayOverrides = {
  /** The supergraph SDL (wins over `config.supergraphSdl` and `config.supergraphPath`). */
  supergraphSdl?: string;
  logger?: Logger;
  /** Token verification (defaults to identity's remote JWKS). */
  verifyToken?: TokenVerifier;
  /**
   * Subscriptions over graphql-ws (see subscriptions/subscriptions.ts). Defaults to the gateway's own
   * transport (subscription-server.ts) unless `SUBSCRIPTIONS_ENABLED=false`.
   */
  subscriptions?: SubscriptionTransport;
  /** The trusted-documents manifest (wins over `config.trustedDocuments.manifestPath`). */
  trustedDocumentsManifest?: PersistedDocumentManifest;
};

export type GatewayApp = {
  app: Express;
  httpServer: http.Server;
  server: ApolloServer<GatewayContext>;
  gateway: ApolloGateway;
  endpoints: SubgraphEndpoint[];
  authenticate: Authenticator;
  apiKeys: ApiKeyExchange;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Starts listening (and attaches subscriptions, when configured). */
  listen: () => Promise<RunningGateway>;
  /** Releases everything without having listened (the running gateway's `stop()` does this too). */
  close: () => Promise<void>;
};

export type RunningGateway = { url: string; port: number; stop: () => Promise<void> };

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  // No offline queue: while Redis is away, rate limits fall back to memory instead of waiting.
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'gateway',
  });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      logger.warn('redis is not ready yet; rate limits run in memory until it is');
      resolve();
    }, 5000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

async function checkReadiness(endpoints: SubgraphEndpoint[], redis: Redis) {
  const subgraphs = await Promise.all(
    endpoints.map(async ({ name, url }) => {
      try {
        const response = await fetch(healthUrl(url), { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        return [name, response.ok ? 'ok' : 'down'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  const redisStatus = await Promise.race([
    redis.ping().then(
      () => 'ok' as const,
      () => 'down' as const,
    ),
    new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), 2000).unref()),
  ]);
  const ready = redisStatus === 'ok' && subgraphs.every(([, status]) => status === 'ok');
  return {
    ready,
    body: {
      status: ready ? 'ready' : 'not ready',
      redis: redisStatus,
      subgraphs: Object.fromEntries(subgraphs),
    },
  };
}

/**
 * Builds the gateway without listening: Express app, Apollo Server over an Apollo Gateway with the
 * static supergraph, and the edge's auth, limits and observability. `listen()` starts it.
 */
export async function createGatewayApp(
  config: GatewayConfig,
  overrides: GatewayOverrides = {},
): Promise<GatewayApp> {
  const logger =
    overrides.logger ??
    createLogger({ name: 'gateway', level: config.logLevel, production: config.production });
  const supergraphSdl = await loadSupergraphSdl({
    supergraphSdl: overrides.supergraphSdl ?? config.supergraphSdl,
    supergraphPath: config.supergraphPath,
  });
  const endpoints = subgraphEndpoints(supergraphSdl, config.subgraphUrls);
  const metrics = createGatewayMetrics({ processMetrics: config.processMetrics });
  const redis = await connectRedis(config.redisUrl, logger);
  const rateLimiters: RateLimiters = createRateLimiters(redis, config.rateLimits);
  const verifyToken =
    overrides.verifyToken ??
    createTokenVerifier({
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
      keys: remoteJwks(config.jwksUrl),
    });
  const apiKeys = createApiKeyExchange({
    identityUrl: config.identityUrl,
    internalApiToken: config.internalApiToken,
    onMisconfigured: (message) => logger.error(message),
  });
  const authenticate = createAuthenticator({ verify: verifyToken, apiKeys });
  const trustedDocuments = await loadTrustedDocuments(
    config.trustedDocuments,
    config.limits.maxTokens,
    (message) => logger.warn(message),
    overrides.trustedDocumentsManifest,
  );
  logger.info(
    { mode: config.trustedDocuments.mode, operations: trustedDocuments?.size ?? 0 },
    'trusted documents',
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) =>
      new EdgeDataSource({ url: config.subgraphUrls[subgraphKey(name)] ?? url }),
  });
  const armor = createArmor(config.limits, config.production);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    csrfPrevention: true,
    // Signals are handled by main.ts / the launcher, which stop everything in order.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // Trusted documents: ids resolve from the manifest only (a read-only cache, so APQ registration stores nothing).
    persistedQueries: trustedDocuments ? { cache: trustedDocuments.cache, ttl: null } : false,
    // Allowed here, decided per caller by operationLimitsPlugin (production: ADMIN or API-key scope only).
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: armor.validationRules,
    formatError: createGatewayFormatError({
      production: config.production,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected gateway error'),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ...armor.plugins,
      operationLimitsPlugin({
        limits: config.limits,
        production: config.production,
        costHistogram: metrics.operationCost,
      }),
      graphqlResponseStatusPlugin<GatewayContext>(),
      refreshCookiePlugin(config.refreshCookie),
      observabilityPlugin(metrics),
    ],
  });
  await server.start();

  app.use(requestIdMiddleware());
  if (config.corsOrigins.length > 0) app.use(corsMiddleware(config.corsOrigins));
  app.use(metrics.middleware);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  // Concurrent probes share one check: a burst of /ready calls does not fan out to every subgraph each time.
  let readiness: ReturnType<typeof checkReadiness> | null = null;
  app.get('/ready', async (_req, res) => {
    readiness ??= checkReadiness(endpoints, redis).finally(() => {
      readiness = null;
    });
    const { ready, body } = await readiness;
    res.status(ready ? 200 : 503).json(body);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get(
    '/.well-known/jwks.json',
    createJwksProxy({ url: config.jwksUrl, cacheSeconds: config.jwksCacheSeconds, logger }),
  );
  if (config.graphiql) app.use(GRAPHIQL_ASSET_PATH, graphiqlAssets());
  if (config.refreshCookie.enabled)
    app.use('/auth', sessionRoutes({ settings: config.refreshCookie, server, rateLimiters, logger }));

  app.use('/graphql', async (req, res, next) => {
    const decision = await rateLimiters.consumeIp(normalizeIp(req.ip));
    if (decision.allowed) {
      next();
      return;
    }
    metrics.rejections.inc({ reason: 'rate_limited_ip' });
    const error = rateLimitedError(decision.retryAfterSeconds);
    sendGraphqlErrors(
      req,
      res,
      429,
      [
        {
          message: error.message,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: decision.retryAfterSeconds },
        },
      ],
      {
        'retry-after': String(decision.retryAfterSeconds),
      },
    );
  });
  if (config.graphiql) {
    const { html, csp } = graphiqlPage();
    app.get('/graphql', (req, res, next) => {
      if (
        req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html'
      ) {
        next();
        return;
      }
      res.setHeader('content-security-policy', csp);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('cache-control', 'no-cache');
      res.type('html').send(html);
    });
  }
  app.use(
    '/graphql',
    ...graphqlBodyParser(config.bodyLimitBytes),
    expressMiddleware(server, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        const requestId = requestIdOf(res);
        const clientIp = normalizeIp(req.ip);
        let principal;
        try {
          principal = await authenticate({
            authorization: header(req.headers.authorization),
            apiKey: header(req.headers['x-api-key']),
          });
        } catch (error) {
          metrics.rejections.inc({ reason: 'unauthenticated' });
          throw error;
        }
        const decision = await rateLimiters.consumePrincipal(principal);
        if (!decision.allowed) {
          metrics.rejections.inc({
            reason: principal.kind === 'apiKey' ? 'rate_limited_api_key' : 'rate_limited_user',
          });
          throw rateLimitedError(decision.retryAfterSeconds);
        }
        if (trustedDocuments) {
          // Before parsing: a caller held to trusted documents sends ids, or text equal to a manifest body.
          const source: unknown = req.method === 'GET' ? req.query : req.body;
          const query =
            typeof source === 'object' && source !== null ? (source as { query?: unknown }).query : undefined;
          const internal = hasInternalToken(req.headers['x-internal-token'], config.internalApiToken);
          try {
            trustedDocuments.checkText(query, principal, internal);
          } catch (error) {
            metrics.rejections.inc({ reason: 'untrusted_document' });
            throw error;
          }
        }
        return {
          requestId,
          clientIp,
          principal,
          userAgent: header(req.headers['user-agent'])?.slice(0, 512),
          logger: logger.child({ requestId }),
        };
      },
    }),
  );
  app.use(
    '/graphql',
    graphqlHttpErrorHandler((error) => logger.error({ err: error }, 'unexpected HTTP error')),
  );

  // Media's signed upload/download URLs on this origin (local-disk backend; MEDIA_PUBLIC_URL = the gateway).
  const media = mediaTarget(config.mediaProxy, endpoints);
  if (media)
    app.use(MEDIA_OBJECTS_PATH, mediaObjectsProxy({ target: media, settings: config.mediaProxy, logger }));

  // The web app at `/` (after every API route, so none of them is shadowed).
  if (hasWebApp(config.webClientDir)) app.use(webAppRouter(config.webClientDir));
  else if (config.webClientDir)
    logger.info({ dir: config.webClientDir }, 'no built web app found; `/` serves nothing (npm run build)');

  // Upstream subscriptions are multiplexed over one socket per subgraph, opened with the internal token.
  if (config.subscriptions.enabled && !config.internalApiToken && !overrides.subscriptions)
    logger.warn('subscriptions are off: they need INTERNAL_API_TOKEN (shared with the subgraphs)');
  const subscriptionTransport =
    overrides.subscriptions ??
    (config.subscriptions.enabled && config.internalApiToken
      ? createSubscriptionTransport({
          settings: config.subscriptions,
          limits: config.limits,
          production: config.production,
          supergraphSdl,
          gatewayToken: config.internalApiToken,
        })
      : undefined);

  const listen = async (): Promise<RunningGateway> => {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const subscriptions = subscriptionTransport
      ? await subscriptionTransport.attach({
          httpServer,
          path: '/graphql',
          gateway,
          authenticate,
          endpoints,
          logger,
          ...(trustedDocuments ? { trustedDocuments } : {}),
          internalToken: config.internalApiToken,
          metrics: {
            sockets: metrics.subscriptionSockets,
            active: metrics.subscriptionsActive,
            upstreams: metrics.subscriptionUpstreams,
            closes: metrics.subscriptionCloses,
          },
          rateLimit: {
            // The socket address: `trust proxy` is an Express setting and upgrades do not pass through Express.
            ip: (request) => rateLimiters.consumeIp(normalizeIp(request.socket.remoteAddress)),
            principal: (principal) => rateLimiters.consumePrincipal(principal),
          },
        })
      : null;
    const port = (httpServer.address() as AddressInfo).port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = `http://${host}:${port}/graphql`;
    logger.info({ url, subgraphs: endpoints }, 'gateway ready');

    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        await subscriptions?.stop();
        await server.stop(); // drains HTTP, then stops the Apollo Gateway
        redis.disconnect();
      })();
      return stopping;
    };
    return { url, port, stop };
  };

  const close = async () => {
    await server.stop();
    redis.disconnect();
  };
  return {
    app,
    httpServer,
    server,
    gateway,
    endpoints,
    authenticate,
    apiKeys,
    metrics,
    logger,
    listen,
    close,
  };
}

/** Starts the gateway on `config.port` (0 = a free port). */
export async function startGateway(
  config: GatewayConfig,
  overrides: GatewayOverrides = {},
): Promise<RunningGateway> {
  const gateway = await createGatewayApp(config, overrides);
  try {
    return await gateway.listen();
  } catch (error) {
    await gateway.close();
    throw error;
  }
}
