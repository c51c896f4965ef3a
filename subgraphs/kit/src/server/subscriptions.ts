import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, type TokenVerifier } from '../auth/token-verifier.js';
import type { Viewer } from '../auth/viewer.js';
import { LoaderRegistry } from '../context/loaders.js';
import { ACCESS_VIEWER, createRequestContext, type RequestContext } from '../context/request-context.js';
import { UnauthenticatedError } from '../errors/domain-error.js';
import { createFormatError } from '../errors/format-error.js';
import type { Logger } from '../logging/logger.js';

/** Close code for a bad or expired token (graphql-ws `Forbidden`). */
export const SUBSCRIPTION_CLOSE_FORBIDDEN = 4403;
const MAX_TIMER_MS = 2_147_483_647;
/** Largest incoming WebSocket frame (64 KiB). */
export const SUBSCRIPTION_MAX_PAYLOAD_BYTES = 64 * 1024;

export type SubscriptionSettings = {
  /** graphql-ws keep-alive ping interval (default 12 s). */
  keepAliveMs?: number;
  /** Close (4408) when no `connection_init` arrives in time (default 3 s). */
  connectionInitWaitTimeoutMs?: number;
  /** Close the socket (4403) when the access token of `connection_init` expires (default true). */
  closeOnTokenExpiry?: boolean;
  /**
   * The platform's internal token (INTERNAL_API_TOKEN). When set, the gateway may open one socket for many
   * users' subscriptions: `connection_init` carries `{ gateway: <token> }` and each `subscribe` carries its
   * user's `extensions.authorization` (verified like HTTP). The gateway closes a user's subscriptions when
   * that user's token expires; events are still checked per user here.
   */
  gatewayToken?: string | undefined;
};

export type SubscriptionServerOptions = SubscriptionSettings & {
  httpServer: http.Server;
  schema: GraphQLSchema;
  verifyToken: TokenVerifier;
  logger: Logger;
  production: boolean;
  /** WebSocket path (default `/graphql`). */
  path?: string;
};

export type SubscriptionServer = {
  /** Open sockets (for metrics and tests). */
  connections(): number;
  close(): Promise<void>;
};

type ConnectionState = {
  viewer: Viewer | null;
  /** A gateway's multiplexed socket: each operation's viewer, from its own token. */
  operations: Map<string, Viewer | null> | null;
  ip: string | null;
  userAgent: string | null;
  expiry: NodeJS.Timeout | null;
};

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Maps a source stream through `fn`; `return()` reaches the source at once, even while a `next()` is pending
 * (an async generator would wait for the next event before cleaning up).
 */
function mapAsyncIterable<T, U>(
  source: AsyncIterable<T>,
  fn: (value: T) => Promise<U>,
): AsyncGenerator<U, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const done = async (): Promise<IteratorReturnResult<undefined>> => {
    await iterator.return?.();
    return { value: undefined, done: true };
  };
  const mapped: AsyncGenerator<U, undefined> = {
    async next() {
      const result = await iterator.next();
      if (result.done) return { value: undefined, done: true };
      return { value: await fn(result.value), done: false };
    },
    return: done,
    async throw(error: unknown) {
      await done();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  } as AsyncGenerator<U, undefined>;
  return mapped;
}

type Executed = { result: ExecutionResult; viewerIndependent: boolean };

/** Per event payload (the one object the PubSub hands every local subscriber): executions by share key. */
const executions = new WeakMap<object, Map<string, Promise<Executed>>>();

/** Who may share an execution: the same access rules outcome (anonymous, or the same roles and scopes). */
function accessClass(viewer: Viewer | null): string {
  if (!viewer) return 'anonymous';
  return JSON.stringify([[...viewer.roles].sort(), [...viewer.scopes].sort(), viewer.apiKeyId !== null]);
}

/** Executes one event with a fresh context (new DataLoaders), noting whether any resolver read the viewer. */
async function executeEvent(args: ExecutionArgs, base: RequestContext, payload: unknown): Promise<Executed> {
  let viewerRead = false;
  const context = { ...base, loaders: new LoaderRegistry(), [ACCESS_VIEWER]: base.viewer };
  Object.defineProperty(context, 'viewer', {
    enumerable: true,
    get: () => {
      viewerRead = true;
      return base.viewer;
    },
  });
  const result = await execute({
    ...args,
    rootValue: payload,
    contextValue: context satisfies RequestContext,
  });
  return { result, viewerIndependent: !viewerRead && !result.errors?.length };
}

/**
 * Like graphql-js `subscribe`, but every event is executed with a fresh context (per-event field resolvers
 * never read values cached by an earlier event), and executed once for all local subscribers of the same
 * operation, variables and access class when no resolver read the viewer (the result is then the same for
 * each of them); otherwise each subscriber's own execution is used. The per-event filters of the stream
 * (e.g. membership) still run per subscriber before this.
 */
async function subscribeWithFreshContexts(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable(stream)) return stream;
  const base = args.contextValue as RequestContext;
  const shareKey = JSON.stringify([
    accessClass(base.viewer),
    args.operationName ?? null,
    args.variableValues ?? {},
    print(args.document),
  ]);
  return mapAsyncIterable(stream, async (payload) => {
    if (typeof payload !== 'object' || payload === null)
      return (await executeEvent(args, base, payload)).result;
    let byKey = executions.get(payload);
    if (!byKey) executions.set(payload, (byKey = new Map()));
    const first = byKey.get(shareKey);
    if (first) {
      const shared = await first.catch(() => null);
      if (shared?.viewerIndependent) return shared.result;
      return (await executeEvent(args, base, payload)).result;
    }
    const mine = executeEvent(args, base, payload);
    byKey.set(shareKey, mine);
    return (await mine).result;
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Frames sent in the same event-loop turn leave in one write: the TCP socket stays corked until the turn
 * ends (ws corks per frame too; corks nest). On a gateway's multiplexed socket an event for thousands of
 * subscribers is then a few large writes instead of one system call per subscriber.
 */
function writeOncePerTick(socket: WebSocket, tcp: Duplex): void {
  const send = socket.send.bind(socket);
  let corked = false;
  socket.send = ((...args: Parameters<WebSocket['send']>) => {
    if (!corked && !tcp.destroyed) {
      corked = true;
      tcp.cork();
      setImmediate(() => {
        corked = false;
        tcp.uncork();
      });
    }
    return send(...args);
  }) as WebSocket['send'];
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const unauthenticated = (message: string) => [new UnauthenticatedError(message)];

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the HTTP server's `/graphql` path.
 * The token travels in `connection_init` as `{ authorization: 'Bearer <token>' }` and is verified like the
 * HTTP header: bad or expired → close 4403; absent → anonymous (the schema's access rules decide).
 * Each subscription gets a request context like HTTP's; each event is executed with fresh loaders.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { logger } = options;
  const states = new WeakMap<WebSocket, ConnectionState>();
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path ?? '/graphql',
    maxPayload: SUBSCRIPTION_MAX_PAYLOAD_BYTES,
  });
  wsServer.on('connection', (socket: WebSocket, request: http.IncomingMessage) =>
    writeOncePerTick(socket, request.socket),
  );
  const formatError = createFormatError({
    production: options.production,
    onUnexpected: (error) => logger.error({ err: error }, 'unexpected subscription error'),
  });
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatError(error.toJSON(), error));

  const disposable = useServer<Record<string, unknown> | undefined, Record<PropertyKey, never>>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 3_000,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra as Extra;
        const ip = header(request.headers['x-client-ip']) ?? request.socket.remoteAddress ?? null;
        const userAgent = header(request.headers['user-agent']) ?? null;
        const gateway = ctx.connectionParams?.['gateway'];
        if (gateway !== undefined) {
          if (
            typeof gateway !== 'string' ||
            !options.gatewayToken ||
            !sameSecret(gateway, options.gatewayToken)
          )
            return false; // 4403
          states.set(socket, { viewer: null, operations: new Map(), ip, userAgent, expiry: null });
          return true;
        }
        const raw = ctx.connectionParams?.['authorization'];
        let viewer: Viewer | null = null;
        try {
          if (raw !== undefined && typeof raw !== 'string') return false;
          const token = bearerToken(raw);
          viewer = token ? await options.verifyToken(token) : null;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
        let expiry: NodeJS.Timeout | null = null;
        if (viewer && (options.closeOnTokenExpiry ?? true)) {
          // setTimeout overflows past ~24.8 days (it would fire at once): such sockets are not timed out.
          const ms = Math.max(0, viewer.expiresAt * 1000 - Date.now());
          if (ms <= MAX_TIMER_MS) {
            expiry = setTimeout(() => socket.close(SUBSCRIPTION_CLOSE_FORBIDDEN, 'Access token expired'), ms);
            expiry.unref();
          }
        }
        states.set(socket, { viewer, operations: null, ip, userAgent, expiry });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const operations = states.get((ctx.extra as Extra).socket)?.operations;
        if (!operations) return undefined;
        const raw = payload.extensions?.['authorization'];
        if (raw !== undefined && typeof raw !== 'string') return unauthenticated('Bad authorization.');
        try {
          const token = bearerToken(raw);
          operations.set(id, token ? await options.verifyToken(token) : null);
        } catch {
          return unauthenticated('The access token is invalid or expired.');
        }
        return undefined;
      },
      onComplete: (ctx, id) => {
        states.get((ctx.extra as Extra).socket)?.operations?.delete(id);
      },
      onClose: (ctx) => {
        const state = states.get((ctx.extra as Extra).socket);
        if (state?.expiry) clearTimeout(state.expiry);
      },
      context: (ctx, id) => {
        const state = states.get((ctx.extra as Extra).socket);
        const requestId = randomUUID();
        return createRequestContext({
          requestId,
          viewer: (state?.operations ? state.operations.get(id) : state?.viewer) ?? null,
          ip: state?.ip ?? null,
          userAgent: state?.userAgent ?? null,
          logger: logger.child({ requestId, subscriptionId: id }),
        });
      },
      subscribe: subscribeWithFreshContexts,
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wsServer,
    options.keepAliveMs ?? 12_000,
  );

  let closing: Promise<void> | null = null;
  return {
    connections: () => wsServer.clients.size,
    close() {
      closing ??= (async () => {
        // Closes every socket with 1001 (going away), then the WebSocket server.
        await disposable.dispose();
      })();
      return closing;
    },
  };
}
