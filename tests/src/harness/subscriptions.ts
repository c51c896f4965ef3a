import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type SubscriptionPayload<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
};

export type Stream<T> = {
  results: SubscriptionPayload<T>[];
  errors: unknown[];
  completed: boolean;
  unsubscribe: () => void;
  /** Resolves once `count` results have arrived (rejects after `timeoutMs`). */
  next: (count: number, timeoutMs?: number) => Promise<SubscriptionPayload<T>[]>;
};

/** A graphql-ws client (the library web and Node clients use) on the gateway's `/graphql`. */
export function wsClient(
  httpUrl: string,
  accessToken: string | null,
  on: { closed?: (code: number) => void } = {},
): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    on: { closed: (event) => on.closed?.((event as { code: number }).code) },
  });
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown>): Stream<T> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const stream: Stream<T> = {
    results: [],
    errors: [],
    completed: false,
    unsubscribe: () => undefined,
    next: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (stream.results.length >= count) return resolve(stream.results);
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `Expected ${count} events, got ${stream.results.length}: ${JSON.stringify(stream.results.slice(-3))} ${JSON.stringify(stream.errors)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(stream.results);
          },
        });
      }),
  };
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (stream.results.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  stream.unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        stream.results.push(value as SubscriptionPayload<T>);
        settle();
      },
      error: (error) => stream.errors.push(error),
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}

/** A raw graphql-transport-ws socket, for the close codes and frames a client library hides. */
export function rawSocket(httpUrl: string): {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  opened: Promise<void>;
  closed: Promise<number>;
  send: (message: Record<string, unknown> | string) => void;
} {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) =>
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
  );
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
  });
  return {
    socket,
    messages,
    opened,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}
