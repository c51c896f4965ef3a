import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { bearerToken, type TokenVerifier } from '../auth/token-verifier.js';
import { createRequestContext, type RequestContext } from '../context/request-context.js';
import { DomainError } from '../errors/domain-error.js';
import { createFormatError } from '../errors/format-error.js';
import type { Logger } from '../logging/logger.js';
import { createServiceMetrics } from './metrics.js';
import {
  attachSubscriptionServer,
  type SubscriptionServer,
  type SubscriptionSettings,
} from './subscriptions.js';

export type SubgraphServerOptions = {
  name: string;
  schema: GraphQLSchema;
  port: number;
  host?: string;
  production: boolean;
  dataSource: DataSource;
  redis: Redis;
  verifyToken: TokenVerifier;
  logger: Logger;
  /** Collect process-level metrics (only one service per process should). */
  defaultMetrics?: boolean;
  /** Extra HTTP routes (e.g. JWKS, webhooks), mounted before /graphql. */
  routes?: (app: Express) => void;
  /** Called on shutdown after HTTP is drained, before the data source and Redis close. */
  onShutdown?: () => Promise<void>;
  plugins?: ApolloServerPlugin<RequestContext>[];
  /**
   * Serve the schema's subscriptions over graphql-ws on the same `/graphql` path (token in
   * `connection_init`, see `attachSubscriptionServer`). Off by default.
   */
  subscriptions?: boolean | SubscriptionSettings;
};

export type RunningSubgraph = {
  name: string;
  url: string;
  port: number;
  /** `ws://…/graphql` when subscriptions are on. */
  wsUrl?: string;
  stop: () => Promise<void>;
};

/** A bad or expired token fails the whole request with 401 and UNAUTHENTICATED. */
async function viewerFromRequest(authorization: string | undefined, verify: TokenVerifier) {
  try {
    const token = bearerToken(authorization);
    return token ? await verify(token) : null;
  } catch (error) {
    // Must stay a DomainError: formatError masks any other error as INTERNAL_SERVER_ERROR.
    if (error instanceof DomainError) {
      throw new DomainError(error.code, error.message, { http: { status: 401 } });
    }
    throw error;
  }
}

const REQUEST_ID = /^[A-Za-z0-9\-_.]{1,128}$/;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Starts a subgraph: Apollo Server on Express with /graphql, /health, /ready and /metrics;
 * verifies the forwarded access token itself (defence in depth) and builds the request context.
 */
export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningSubgraph> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const metrics = createServiceMetrics(options.name, { defaultMetrics: options.defaultMetrics ?? false });

  const server = new ApolloServer<RequestContext>({
    schema: options.schema,
    introspection: true,
    csrfPrevention: true,
    // Signals are handled by the process entry point (stopOnSignals or the launcher), in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !options.production,
    formatError: createFormatError({
      production: options.production,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected resolver error'),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      {
        async requestDidStart() {
          return {
            // Cache hints (@cacheControl) describe data, not side effects: a mutation's answer is never reusable.
            async didResolveOperation({ operation, overallCachePolicy }) {
              if (operation?.operation !== 'query') overallCachePolicy.restrict({ maxAge: 0 });
            },
            async willSendResponse({ operationName, errors }) {
              metrics.operations.inc({
                operation: operationName ?? 'anonymous',
                outcome: errors?.length ? 'error' : 'ok',
              });
            },
          };
        },
      },
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  app.use(metrics.middleware);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.allSettled([options.dataSource.query('SELECT 1'), options.redis.ping()]);
    const [db, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'down'));
    const ready = db === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database: db, redis });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const incoming = header(req.headers['x-request-id']);
        const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        const viewer = await viewerFromRequest(header(req.headers.authorization), options.verifyToken);
        return createRequestContext({
          requestId,
          viewer,
          ip: header(req.headers['x-client-ip']) ?? req.socket.remoteAddress ?? null,
          userAgent: header(req.headers['user-agent']) ?? null,
          logger: logger.child({ requestId }),
        });
      },
    }),
  );

  let subscriptionServer: SubscriptionServer | null = null;
  if (options.subscriptions) {
    subscriptionServer = attachSubscriptionServer({
      ...(typeof options.subscriptions === 'object' ? options.subscriptions : {}),
      httpServer,
      schema: options.schema,
      verifyToken: options.verifyToken,
      logger,
      production: options.production,
    });
  }

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  // A wildcard listener is reached on loopback from this machine.
  const reachableHost =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${reachableHost}:${port}/graphql`;
  const wsUrl = subscriptionServer ? url.replace(/^http/, 'ws') : undefined;
  logger.info({ url, ...(wsUrl ? { wsUrl } : {}) }, `${options.name} subgraph ready`);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await subscriptionServer?.close();
      await server.stop();
      await options.onShutdown?.();
      if (options.dataSource.isInitialized) await options.dataSource.destroy();
      options.redis.disconnect();
    })();
    return stopping;
  };
  return { name: options.name, url, port, ...(wsUrl ? { wsUrl } : {}), stop };
}

/** SIGINT/SIGTERM → stop, then exit. For standalone `main.ts` entry points. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  const handler = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
