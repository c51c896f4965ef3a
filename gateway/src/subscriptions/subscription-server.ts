import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { PlanNode } from '@apollo/query-planner';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { GatewayLimits, GatewaySubscriptionSettings } from '../environment.js';
import { createArmor } from '../limits/armor.js';
import { hasInternalToken } from '../trusted-documents/trusted-documents.js';
import { calculateCost } from '../limits/cost.js';
import {
  createFederatedPlanner,
  executeRest,
  shapeResult,
  type SubgraphFetcher,
  type SubscriptionPlan,
} from './federated-plan.js';
import type { SubscriptionAttachOptions, SubscriptionTransport } from './subscriptions.js';
import { createSharedCache, sharedLifetimeMs } from './shared-cache.js';
import { createUpstreamPool, type UpstreamResult } from './upstream.js';

/** Close codes of the gateway's WebSocket (README: Subscriptions). The 44xx ones are graphql-ws's own. */
export const CLOSE_CODES = {
  /** Message too big (over 64 KiB), closed by `ws`. */
  MESSAGE_TOO_BIG: 1009,
  /** The subscriber's queue is full: a slow consumer (reconnect and catch up). */
  SLOW_CONSUMER: 1013,
  BAD_MESSAGE: 4400,
  /** `subscribe` before `connection_ack`. */
  UNAUTHORIZED: 4401,
  /** Bad token/API key at `connection_init`, or the access token expired. */
  FORBIDDEN: 4403,
  INIT_TIMEOUT: 4408,
  DUPLICATE_ID: 4409,
  TOO_MANY_INITS: 4429,
  /** More than `maxSocketsPerUser` sockets for one user or API key. */
  TOO_MANY_SOCKETS: 4430,
} as const;

/** Largest incoming frame (64 KiB). */
export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_TIMER_MS = 2_147_483_647;
/** Distinct subscription documents kept parsed, validated and planned. */
const MAX_PREPARED_OPERATIONS = 1_000;
/** Per-event entity fetches answered `Cache-Control: public` are shared by subscribers (shared-cache.ts). */
const SHARED_FETCHES = { maxEntries: 5_000, maxAgeCapMs: 30_000, clone: true };
/** A resolved event, when every subscriber would resolve it the same way: kept briefly, read-only. */
const SHARED_EVENTS = { maxEntries: 1_000, maxAgeCapMs: 5_000, clone: false };

export type GatewaySubscriptionOptions = {
  settings: GatewaySubscriptionSettings;
  limits: GatewayLimits;
  production: boolean;
  supergraphSdl: string;
  /** INTERNAL_API_TOKEN: upstream subscriptions share one socket per subgraph, opened with it (upstream.ts). */
  gatewayToken: string;
};

type Connection = {
  principal: Principal;
  /** Presented INTERNAL_API_TOKEN (first-party tooling: free-form documents in `require` mode). */
  internal: boolean;
  principalKey: string;
  expiry: NodeJS.Timeout | null;
  requestId: string;
};

type PreparedOperation = {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  plan: SubscriptionPlan;
};

type SubscriptionContext = {
  connection: Connection;
  plan: SubscriptionPlan;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  close: (code: number, reason: string) => void;
};

/** Who shares an upstream stream: the same user (or API key) with the same roles and scopes. */
function principalKey(principal: Principal): string {
  if (principal.kind === 'anonymous') return 'anonymous';
  const { viewer } = principal;
  const id = principal.kind === 'apiKey' ? `apiKey:${principal.apiKeyId}` : `user:${viewer.userId}`;
  return `${id}|${[...viewer.roles].sort().join(',')}|${[...viewer.scopes].sort().join(',')}`;
}

function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (!origin) return true; // native apps and servers send no Origin; browsers always do
  if (allowed.includes('*') || allowed.includes(origin.replace(/\/$/, ''))) return true;
  try {
    return host !== undefined && new URL(origin).host === host; // same origin (e.g. GraphiQL served by the gateway)
  } catch {
    return false;
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** A bounded, push-fed async iterator: on overflow `onOverflow` runs and the iteration ends. */
function boundedStream<T>(max: number, onOverflow: () => void, onReturn: () => void) {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T, undefined>) => void) | null = null;
  let failure: unknown = null;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onReturn();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  const iterator: AsyncGenerator<T, undefined> = {
    next() {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (failure) return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  } as AsyncGenerator<T, undefined>;
  return {
    iterator,
    push(value: T) {
      if (done) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
        return;
      }
      if (queue.length >= max) {
        queue.length = 0;
        finish();
        onOverflow();
        return;
      }
      queue.push(value);
    },
    fail(error: unknown) {
      if (done) return;
      failure = error;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        done = true;
        onReturn();
        // graphql-ws turns a thrown error into an `error` message for this subscription.
        void Promise.resolve().then(() => resolve(Promise.reject(error) as never));
      }
    },
    end: finish,
  };
}

function graphqlErrors(errors: readonly GraphQLError[] | GraphQLError): GraphQLError[] {
  return Array.isArray(errors) ? [...errors] : [errors as GraphQLError];
}

/**
 * Subscriptions at the gateway: graphql-ws (`graphql-transport-ws`) on the HTTP server's `/graphql`,
 * authenticated in `connection_init`, limited like HTTP, planned over the supergraph; the primary part
 * is forwarded to the owning subgraph over graphql-ws (shared between identical subscriptions) and the
 * rest resolved per event over HTTP.
 */
export function createSubscriptionTransport(options: GatewaySubscriptionOptions): SubscriptionTransport {
  const { settings, limits } = options;
  const planner = createFederatedPlanner(options.supergraphSdl);
  const armor = createArmor(limits, options.production);
  const rules = [...specifiedRules, ...armor.validationRules];

  return {
    async attach({
      httpServer,
      path,
      authenticate,
      endpoints,
      logger,
      rateLimit,
      metrics,
      trustedDocuments,
      internalToken,
    }: SubscriptionAttachOptions) {
      const urlOf = new Map(endpoints.map((e) => [e.name, e.url]));
      const pool = createUpstreamPool({ logger, gatewayToken: options.gatewayToken });
      const socketsPerPrincipal = new Map<string, number>();
      const connections = new WeakMap<WebSocket, Connection>();
      const wsServer = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

      const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        const pathname = new URL(request.url ?? '/', 'http://gateway').pathname;
        if (pathname !== path) return reject(socket, 404, 'Not Found');
        if (!originAllowed(request.headers.origin, request.headers.host, settings.allowedOrigins))
          return reject(socket, 403, 'Forbidden');
        const upgrade = () =>
          wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
        if (!rateLimit) return upgrade();
        rateLimit.ip(request).then(
          (decision) => (decision.allowed ? upgrade() : reject(socket, 429, 'Too Many Requests')),
          () => upgrade(),
        );
      };
      httpServer.on('upgrade', onUpgrade);
      wsServer.on('connection', (ws: WebSocket) => {
        metrics?.sockets.inc();
        ws.once('close', (code: number) => {
          metrics?.sockets.dec();
          metrics?.closes.inc({ code: String(code) });
        });
      });

      /** Shaping depends on the data and the operation only: once per shared event and document. */
      const shapedByData = new WeakMap<
        object,
        Map<OperationDefinitionNode, Record<string, unknown> | null>
      >();
      const shapeOnce = (
        data: Record<string, unknown>,
        document: DocumentNode,
        operation: OperationDefinitionNode,
      ): Record<string, unknown> | null => {
        let byOperation = shapedByData.get(data);
        if (!byOperation) shapedByData.set(data, (byOperation = new Map()));
        if (!byOperation.has(operation))
          byOperation.set(operation, shapeResult(planner.apiSchema, document, operation, data));
        return byOperation.get(operation) ?? null;
      };

      const sharedFetches = createSharedCache(SHARED_FETCHES);
      const sharedEvents = createSharedCache(SHARED_EVENTS);
      /** `onPrivate` hears of every answer that was not shareable (the event's result is then this subscriber's own). */
      const fetcherFor =
        (token: string | null, requestId: string, onPrivate: () => void): SubgraphFetcher =>
        async (serviceName, body) => {
          const url = urlOf.get(serviceName);
          if (!url) throw new Error(`unknown subgraph ${serviceName}`);
          const payload = JSON.stringify(body);
          const { result, shared } = await sharedFetches.run(`${serviceName}\n${payload}`, async () => {
            const response = await fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json',
                'x-request-id': requestId,
                ...(token ? { authorization: `Bearer ${token}` } : {}),
              },
              body: payload,
              signal: AbortSignal.timeout(10_000),
            });
            return {
              result: (await response.json()) as UpstreamResult,
              shareForMs: sharedLifetimeMs(response.headers.get('cache-control')),
            };
          });
          if (!shared) onPrivate();
          return result;
        };

      /**
       * Runs the rest of the plan for one event. Subscribers whose upstream sent the identical event share
       * the result when every fetch in it was public and error-free (then it is the same for all of them).
       */
      const resolveEvent = async (
        streamKind: string,
        rest: PlanNode,
        variables: Record<string, unknown>,
        event: UpstreamResult,
        token: string | null,
      ): Promise<UpstreamResult> => {
        const { result } = await sharedEvents.run(`${streamKind}\n${JSON.stringify(event)}`, async () => {
          const data = structuredClone(event.data ?? {});
          let shareable = true;
          const errors = await executeRest(
            rest,
            data,
            variables,
            fetcherFor(token, randomUUID(), () => {
              shareable = false;
            }),
          );
          const all = [...(event.errors ?? []), ...errors];
          return {
            result: { data, ...(all.length ? { errors: all } : {}) } as UpstreamResult,
            shareForMs: shareable && all.length === 0 ? SHARED_EVENTS.maxAgeCapMs : 0,
          };
        });
        return result;
      };

      const release = (connection: Connection) => {
        if (connection.expiry) clearTimeout(connection.expiry);
        const count = (socketsPerPrincipal.get(connection.principalKey) ?? 1) - 1;
        if (count <= 0) socketsPerPrincipal.delete(connection.principalKey);
        else socketsPerPrincipal.set(connection.principalKey, count);
      };

      const fail = (message: string, code: string, extra: Record<string, unknown> = {}) => [
        new GraphQLError(message, { extensions: { code, ...extra } }),
      ];

      /**
       * Parse, validation and planning depend on the document alone: done once per distinct operation
       * (a reconnect storm of one app's subscription plans it once), then reused. Failures are not kept.
       */
      const preparedOperations = new Map<string, PreparedOperation>();
      const prepare = (
        query: string,
        operationName: string | undefined,
        subscriptionId: string,
      ): PreparedOperation | GraphQLError[] => {
        const key = `${operationName ?? ''}\n${query}`;
        const cached = preparedOperations.get(key);
        if (cached) return cached;
        let document: DocumentNode;
        try {
          document = parse(query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return graphqlErrors(error as GraphQLError).map(
            (e) =>
              new GraphQLError(e.message.replace(/^Syntax Error: /, ''), {
                extensions: {
                  code: /token limit/i.test(e.message) ? 'MAX_TOKENS_EXCEEDED' : 'GRAPHQL_PARSE_FAILED',
                },
              }),
          );
        }
        const validationErrors = validate(planner.apiSchema, document, rules);
        if (validationErrors.length > 0) {
          return validationErrors.map(
            (e) =>
              new GraphQLError(e.message, {
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions },
              }),
          );
        }
        const operation = getOperationAST(document, operationName);
        if (!operation) return fail('Unable to identify the operation.', 'BAD_REQUEST');
        if (operation.operation !== 'subscription') {
          return fail(
            'Only subscriptions are served over WebSocket; send queries and mutations over HTTP.',
            'BAD_REQUEST',
          );
        }
        let plan: SubscriptionPlan;
        try {
          plan = planner.plan(document, operationName);
        } catch (error) {
          logger.warn({ err: error, subscriptionId }, 'subscription planning failed');
          return fail('The subscription could not be planned.', 'PLANNING_FAILED');
        }
        const entry = { document, operation, plan };
        preparedOperations.set(key, entry);
        if (preparedOperations.size > MAX_PREPARED_OPERATIONS)
          preparedOperations.delete(preparedOperations.keys().next().value as string);
        return entry;
      };

      const subscribe = (args: ExecutionArgs): AsyncGenerator<ExecutionResult> | ExecutionResult => {
        const ctx = args.contextValue as SubscriptionContext;
        const { connection, plan, operation, variables } = ctx;
        const { primary, rest } = plan;
        const wsUrl = (urlOf.get(primary.serviceName) ?? '').replace(/^http/, 'ws');
        // Identical operations of one principal share an upstream stream; of any principals, resolved events.
        const streamKind = JSON.stringify([primary.serviceName, primary.operation, variables, rest ?? null]);
        const key = `${streamKind}\n${connection.principalKey}`;
        const primaryVariables: Record<string, unknown> = {};
        for (const name of primary.variableUsages ?? [])
          if (name in variables) primaryVariables[name] = variables[name];
        let leave: () => void = () => undefined;
        let left = false;
        const leaveOnce = () => {
          if (left) return;
          left = true;
          leave();
          metrics?.active.dec();
          metrics?.upstreams.set(pool.size());
        };
        const stream = boundedStream<ExecutionResult>(
          settings.maxQueuedEvents,
          () => ctx.close(CLOSE_CODES.SLOW_CONSUMER, 'Slow consumer: too many queued events'),
          leaveOnce,
        );
        metrics?.active.inc();
        const principal = connection.principal;
        leave = pool.join(
          {
            key,
            serviceName: primary.serviceName,
            wsUrl,
            query: primary.operation,
            operationName: primary.operationName,
            variables: primaryVariables,
            process: async (event, token) =>
              event.data && rest ? resolveEvent(streamKind, rest, variables, event, token) : event,
          },
          {
            token:
              principal.kind === 'anonymous'
                ? null
                : { value: principal.accessToken, expiresAt: principal.viewer.expiresAt },
            next: (result) => {
              const data = result.data ? shapeOnce(result.data, args.document, operation) : null;
              stream.push({
                data,
                ...(result.errors ? { errors: result.errors as unknown as GraphQLError[] } : {}),
              });
            },
            error: (error) => {
              stream.fail(error);
              leaveOnce();
            },
            complete: () => stream.end(),
          },
        );
        metrics?.upstreams.set(pool.size());
        return stream.iterator;
      };

      const disposable = useServer<Record<string, unknown> | undefined, Record<PropertyKey, never>>(
        {
          connectionInitWaitTimeout: settings.initTimeoutMs,
          onConnect: async (ctx: Context<Record<string, unknown> | undefined>) => {
            const { socket } = ctx.extra as unknown as Extra;
            const params = ctx.connectionParams ?? {};
            const authorization = params['authorization'];
            const apiKey = params['x-api-key'];
            if (
              (authorization !== undefined && typeof authorization !== 'string') ||
              (apiKey !== undefined && typeof apiKey !== 'string')
            ) {
              return false; // 4403
            }
            let principal: Principal;
            try {
              principal = await authenticate({ authorization, apiKey });
            } catch {
              return false; // 4403 Forbidden
            }
            const key = principalKey(principal);
            if (principal.kind !== 'anonymous') {
              const count = socketsPerPrincipal.get(key) ?? 0;
              if (count >= settings.maxSocketsPerUser) {
                socket.close(CLOSE_CODES.TOO_MANY_SOCKETS, 'Too many sockets for this user');
                return false;
              }
            }
            if (socket.readyState !== socket.OPEN) return false;
            socketsPerPrincipal.set(key, (socketsPerPrincipal.get(key) ?? 0) + 1);
            let expiry: NodeJS.Timeout | null = null;
            if (principal.kind !== 'anonymous') {
              const ms = Math.max(0, principal.viewer.expiresAt * 1000 - Date.now());
              if (ms <= MAX_TIMER_MS) {
                expiry = setTimeout(() => socket.close(CLOSE_CODES.FORBIDDEN, 'Access token expired'), ms);
                expiry.unref();
              }
            }
            connections.set(socket, {
              principal,
              internal: hasInternalToken(params['x-internal-token'], internalToken),
              principalKey: key,
              expiry,
              requestId: randomUUID(),
            });
            return true;
          },
          onClose: (ctx) => {
            const connection = connections.get((ctx.extra as unknown as Extra).socket);
            if (connection) release(connection);
          },
          onSubscribe: async (ctx, id, payload) => {
            const { socket } = ctx.extra as unknown as Extra;
            const connection = connections.get(socket);
            if (!connection) return fail('Not connected.', 'UNAUTHENTICATED');
            if (Object.keys(ctx.subscriptions).length > settings.maxSubscriptionsPerSocket) {
              return fail(
                `At most ${settings.maxSubscriptionsPerSocket} subscriptions per socket.`,
                'TOO_MANY_SUBSCRIPTIONS',
              );
            }
            const decision = await rateLimit?.principal(connection.principal);
            if (decision?.allowed === false) {
              return fail('Too many requests.', 'RATE_LIMITED', {
                retryAfterSeconds: decision.retryAfterSeconds,
              });
            }
            let query = payload.query;
            if (trustedDocuments) {
              const resolved = trustedDocuments.resolve(payload, connection.principal, connection.internal);
              if ('error' in resolved) return [resolved.error];
              query = resolved.query;
            }
            const prepared = prepare(query, payload.operationName ?? undefined, id);
            if (Array.isArray(prepared)) return prepared;
            const { document, operation, plan } = prepared;
            const coerced = getVariableValues(
              planner.apiSchema,
              operation.variableDefinitions ?? [],
              payload.variables ?? {},
            );
            if (coerced.errors)
              return coerced.errors.map(
                (e) => new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }),
              );
            const { cost, invalidFirst } = calculateCost({
              schema: planner.apiSchema,
              document,
              operationName: payload.operationName ?? null,
              variables: payload.variables ?? null,
              options: { defaultFirst: limits.defaultFirst, maxFirst: limits.maxFirst },
            });
            const bad = invalidFirst[0];
            if (bad) {
              return fail(
                `"first" must be between 0 and ${limits.maxFirst}, got ${bad.value} at ${bad.path}.`,
                'BAD_USER_INPUT',
                { field: 'first', path: bad.path },
              );
            }
            const budget = connection.principal.kind === 'apiKey' ? limits.maxCostApiKey : limits.maxCost;
            if (cost > budget)
              return fail(
                `The operation's cost ${cost} exceeds the budget of ${budget}.`,
                'COST_LIMIT_EXCEEDED',
                { cost, budget },
              );
            const context: SubscriptionContext = {
              connection,
              plan,
              operation,
              variables: payload.variables ?? {},
              close: (code, reason) => socket.close(code, reason),
            };
            return {
              schema: planner.apiSchema,
              document,
              operationName: payload.operationName ?? null,
              variableValues: payload.variables ?? {},
              contextValue: context,
            };
          },
          subscribe,
          // Results carry already-formatted errors (from subgraphs, or built here): send them as they are.
          onNext: (_ctx, _id, _payload, _args, result) => result as unknown as FormattedExecutionResult,
          onError: (_ctx, _id, _payload, errors): GraphQLFormattedError[] =>
            errors.map((e) => ({
              message: e.message,
              extensions: {
                ...e.extensions,
                code: (e.extensions['code'] as string | undefined) ?? 'INTERNAL_SERVER_ERROR',
              },
            })),
        },
        wsServer,
        settings.keepAliveMs,
      );

      let stopping: Promise<void> | null = null;
      return {
        stop() {
          stopping ??= (async () => {
            httpServer.off('upgrade', onUpgrade);
            await disposable.dispose(); // every socket: 1001 going away
            await pool.close();
          })();
          return stopping;
        },
      };
    },
  };
}
