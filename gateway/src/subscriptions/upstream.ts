import type { Logger } from '@edugraph/kit';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

/** Disposing a graphql-ws client that is reconnecting rejects with its close event; that is expected here. */
function disposeQuietly(client: Client): Promise<void> {
  return Promise.resolve()
    .then(() => client.dispose())
    .catch(() => undefined);
}

export type UpstreamResult = { data?: Json | null; errors?: GraphQLFormattedError[] };

/** One client's view of a shared upstream stream. */
export type UpstreamListener = {
  /** The access token to present upstream, with its expiry (seconds); the freshest one is used. */
  token: { value: string; expiresAt: number } | null;
  next: (result: UpstreamResult) => void;
  error: (error: GraphQLError) => void;
  complete: () => void;
};

export type UpstreamRequest = {
  /** Identifies identical upstream streams (see README: dedupe). */
  key: string;
  serviceName: string;
  wsUrl: string;
  query: string;
  operationName?: string | undefined;
  variables: Json;
  /** Turns each primary event into the merged result (runs the rest of the plan once per event). */
  process: (result: UpstreamResult, token: string | null) => Promise<UpstreamResult>;
};

type Shared = {
  listeners: Set<UpstreamListener>;
  unsubscribe: () => void;
  chain: Promise<void>;
  pending: number;
};

export type UpstreamPool = {
  /** Joins (or opens) the shared stream for `request.key`; returns the leave function. */
  join: (request: UpstreamRequest, listener: UpstreamListener) => () => void;
  /** Open upstream streams (tests, metrics). */
  size: () => number;
  close: () => Promise<void>;
};

/** Events waiting for per-event resolution on one shared stream before new ones are dropped. */
const MAX_PENDING_PER_STREAM = 1000;

function toGraphQLError(error: unknown): GraphQLError {
  if (Array.isArray(error) && error.length > 0) {
    const first = error[0] as GraphQLFormattedError;
    return new GraphQLError(first.message, { extensions: { ...first.extensions } });
  }
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    typeof (error as { code: unknown }).code === 'number'
  ) {
    const { code, reason } = error as { code: number; reason?: string };
    return new GraphQLError(`The upstream subscription closed (${code}${reason ? ` ${reason}` : ''}).`, {
      extensions: { code: 'UPSTREAM_CLOSED', closeCode: code },
    });
  }
  return new GraphQLError(
    `The upstream subscription failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      extensions: { code: 'UPSTREAM_FAILED' },
    },
  );
}

/**
 * Shared upstream subscriptions: one upstream subscription per key, refcounted by the client subscriptions
 * that joined it; ended when the last one leaves. All of them travel over one socket per subgraph:
 * `connection_init` carries `{ gateway: <INTERNAL_API_TOKEN> }` and each subscription its user's token in
 * `extensions` (the kit's subscription server verifies both); the socket reconnects and re-sends the
 * subscriptions in flight.
 */
export function createUpstreamPool(options: { logger: Logger; gatewayToken: string }): UpstreamPool {
  const streams = new Map<string, Shared>();
  const sockets = new Map<string, Client>();

  const socketFor = (wsUrl: string): Client => {
    let client = sockets.get(wsUrl);
    if (!client) {
      client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 30_000,
        keepAlive: 10_000,
        connectionParams: { gateway: options.gatewayToken },
        retryAttempts: 10,
      });
      sockets.set(wsUrl, client);
    }
    return client;
  };

  const open = (request: UpstreamRequest, first: UpstreamListener): Shared => {
    const listeners = new Set<UpstreamListener>([first]);
    const freshestToken = () => {
      let best: UpstreamListener['token'] = null;
      for (const l of listeners) if (l.token && (!best || l.token.expiresAt > best.expiresAt)) best = l.token;
      return best;
    };
    const token = freshestToken();
    const shared: Shared = {
      listeners,
      unsubscribe: () => undefined,
      chain: Promise.resolve(),
      pending: 0,
    };
    const end = (fn: (l: UpstreamListener) => void) => {
      streams.delete(request.key);
      for (const l of [...listeners]) fn(l);
      listeners.clear();
    };
    shared.unsubscribe = socketFor(request.wsUrl).subscribe<Json>(
      {
        query: request.query,
        variables: request.variables,
        ...(request.operationName ? { operationName: request.operationName } : {}),
        ...(token ? { extensions: { authorization: `Bearer ${token.value}` } } : {}),
      },
      {
        next: (event) => {
          if (shared.pending >= MAX_PENDING_PER_STREAM) {
            options.logger.warn(
              { key: request.serviceName },
              'upstream event dropped: per-event resolution is behind',
            );
            return;
          }
          shared.pending += 1;
          // Events stay in order: each is resolved after the previous one.
          shared.chain = shared.chain.then(async () => {
            try {
              const result = await request.process(event as UpstreamResult, freshestToken()?.value ?? null);
              for (const l of listeners) l.next(result);
            } catch (error) {
              options.logger.error({ err: error }, 'subscription event resolution failed');
            } finally {
              shared.pending -= 1;
            }
          });
        },
        error: (error) => {
          const graphqlError = toGraphQLError(error);
          void shared.chain.then(() => end((l) => l.error(graphqlError)));
        },
        complete: () => {
          void shared.chain.then(() => end((l) => l.complete()));
        },
      },
    );
    return shared;
  };

  return {
    join(request, listener) {
      let shared = streams.get(request.key);
      if (shared) shared.listeners.add(listener);
      else {
        shared = open(request, listener);
        streams.set(request.key, shared);
      }
      const joined = shared;
      return () => {
        if (!joined.listeners.delete(listener) || joined.listeners.size > 0) return;
        if (streams.get(request.key) === joined) streams.delete(request.key);
        joined.unsubscribe();
      };
    },
    size: () => streams.size,
    async close() {
      const all = [...streams.values()];
      streams.clear();
      await Promise.all(
        all.map(async (s) => {
          s.listeners.clear();
          s.unsubscribe();
        }),
      );
      const clients = [...sockets.values()];
      sockets.clear();
      await Promise.all(clients.map(disposeQuietly));
    },
  };
}
