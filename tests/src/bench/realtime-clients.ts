import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The realtime benchmark's subscribers, in their own process (as real clients are), driven over IPC:
 * `connect` opens one socket and subscription per token; events whose body is `bench <run> <n> <epoch ms>`
 * are timed against the epoch in the body (one machine, one clock); `report` returns what arrived.
 */
export type FleetCommand =
  | { type: 'connect'; url: string; query: string; variables: Record<string, unknown>; tokens: string[] }
  | { type: 'report' }
  | { type: 'close' };

export type FleetMessage =
  | { type: 'progress'; connected: number }
  | { type: 'connected' }
  | { type: 'probed'; count: number }
  | { type: 'report'; latencies: number[]; duplicates: number; lastDeliveryAt: number }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

const now = () => performance.timeOrigin + performance.now();
const send = (message: FleetMessage) => {
  if (process.connected) process.send?.(message);
};

let clients: Client[] = [];
let latencies: number[] = [];
let duplicates = 0;
let lastDeliveryAt = 0;
const probed = new Set<number>();
const seen = new Set<string>();

async function connect(command: Extract<FleetCommand, { type: 'connect' }>): Promise<void> {
  latencies = [];
  duplicates = 0;
  lastDeliveryAt = 0;
  probed.clear();
  seen.clear();
  let next = 0;
  let connected = 0;
  const open = async (index: number) => {
    const client = createClient({
      url: command.url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${command.tokens[index]}` },
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.on('error', reject);
    });
    client.subscribe<{ messageAdded: { body: string } }>(
      { query: command.query, variables: command.variables },
      {
        next: (result) => {
          const body = result.data?.messageAdded.body ?? '';
          if (body.startsWith('probe')) {
            probed.add(index);
            return;
          }
          const [, , n, sentAt] = body.split(' ');
          if (sentAt === undefined) return;
          if (seen.has(`${index}|${n}`)) {
            duplicates += 1;
            return;
          }
          seen.add(`${index}|${n}`);
          lastDeliveryAt = now();
          latencies.push(lastDeliveryAt - Number(sentAt));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  };
  await Promise.all(
    Array.from({ length: Math.min(200, command.tokens.length) }, async () => {
      while (next < command.tokens.length) {
        await open(next++);
        connected += 1;
        if (connected % 250 === 0) send({ type: 'progress', connected });
      }
    }),
  );
  send({ type: 'connected' });
}

const probeTimer = setInterval(() => send({ type: 'probed', count: probed.size }), 250);

process.on('message', (command: FleetCommand) => {
  const run = async () => {
    if (command.type === 'connect') await connect(command);
    else if (command.type === 'report') send({ type: 'report', latencies, duplicates, lastDeliveryAt });
    else {
      await Promise.all(clients.map((c) => c.dispose()));
      clients = [];
      send({ type: 'closed' });
    }
  };
  run().catch((error: unknown) => send({ type: 'failed', error: String(error) }));
});

process.on('disconnect', () => {
  clearInterval(probeTimer);
  process.exit(0);
});

// The parent may go away between a check of `process.connected` and the write.
process.on('error', () => undefined);
