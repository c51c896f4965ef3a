import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { startBenchPlatform } from './bench-platform.js';
import type { FleetCommand, FleetMessage } from './realtime-clients.js';

const require = createRequire(import.meta.url);

export type RealtimeBenchOptions = {
  subscriberCounts: number[];
  messages: number;
  intervalMs: number;
  log: (line: string) => void;
};

export type RealtimeBenchRow = {
  subscribers: number;
  messages: number;
  deliveries: number;
  missing: number;
  duplicates: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  deliveredPerSecond: number;
  /** Gateway process (resident set) growth per idle subscribed connection. */
  rssKiBPerConnection: number;
  /** Gateway V8 heap growth per idle subscribed connection. */
  heapKiBPerConnection: number;
  /** CPU time per 1,000 deliveries while messages flow (less sensitive to a busy machine than latency). */
  gatewayCpuMsPer1k: number;
  subgraphsCpuMsPer1k: number;
};

type Account = { id: string; accessToken: string };

const MESSAGE_ADDED = `subscription Bench($id: ID!) {
  messageAdded(conversationId: $id) { id body author { id displayName } }
}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const epochMs = () => performance.timeOrigin + performance.now();

/** The subscribers' process (realtime-clients.ts). */
function startFleet() {
  const child = fork(new URL('./realtime-clients.js', import.meta.url), { stdio: 'inherit' });
  let probed = 0;
  const listeners = new Set<(message: FleetMessage) => void>();
  child.on('message', (message: FleetMessage) => {
    if (message.type === 'probed') probed = message.count;
    for (const listener of listeners) listener(message);
  });
  const until = <K extends FleetMessage['type']>(
    type: K,
    onOther: (message: FleetMessage) => void = () => undefined,
  ): Promise<Extract<FleetMessage, { type: K }>> =>
    new Promise((resolve, reject) => {
      const listener = (message: FleetMessage) => {
        if (message.type === 'failed') reject(new Error(message.error));
        else if (message.type === type) {
          listeners.delete(listener);
          resolve(message as Extract<FleetMessage, { type: K }>);
        } else onOther(message);
      };
      listeners.add(listener);
    });
  return {
    command: (command: FleetCommand) => child.send(command),
    until,
    probed: () => probed,
    report: async () => {
      const report = until('report');
      child.send({ type: 'report' } satisfies FleetCommand);
      return report;
    },
    stop: () => {
      child.disconnect();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Runs `work` over `items` with `concurrency` in flight, reporting progress. */
async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  progress: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
        done += 1;
        if (done % 250 === 0 || done === items.length) progress(done);
      }
    }),
  );
}

async function gatewayMemory(metricsUrl: string, pid: number): Promise<{ rss: number; heap: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  const metrics = await (await fetch(metricsUrl)).text();
  const heap = Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(metrics)?.[1] ?? 0);
  return { rss, heap };
}

/** CPU time (user + system) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
async function processCpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * With BENCH_PROFILE_DIR set, a CPU profile of this (subgraphs) process covering only the measurement window
 * (setup such as sign-ups excluded), written there as `<name>.cpuprofile`.
 */
async function startWindowProfile(): Promise<{ stop: (name: string) => Promise<void> } | null> {
  const dir = process.env['BENCH_PROFILE_DIR'];
  if (!dir) return null;
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (name) => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The gateway in its own process, so its memory is its own (the subgraphs and clients run here). */
async function startGatewayProcess(
  env: Record<string, string | undefined>,
  supergraphSdl: string,
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const supergraphPath = path.join(os.tmpdir(), `edugraph-bench-supergraph-${randomUUID()}.graphql`);
  await writeFile(supergraphPath, supergraphSdl);
  const main = require.resolve('@edugraph/gateway').replace(/app\.js$/, 'main.js');
  const profile = process.env['BENCH_PROFILE_DIR'];
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, main], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SUPERGRAPH_PATH: supergraphPath },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error('gateway did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * N subscribers (distinct users, one socket each) on one community channel through a gateway process;
 * one member posts `messages` messages `intervalMs` apart; every delivery's latency is measured from the
 * moment the post was sent. Gateway memory is read before connecting and with all N sockets idle.
 */
export async function benchRealtime(options: RealtimeBenchOptions): Promise<RealtimeBenchRow[]> {
  const maxSubscribers = Math.max(...options.subscriberCounts);
  const bench = await startBenchPlatform({
    // 'test' lets identity hash the bench accounts' passwords cheaply; the measured gateway runs as production.
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'silent',
    ACCOUNT_IP_LIMIT: '1000000',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_TIME_COST: '1',
    MAIL_OUTBOX_DIR: path.join(os.tmpdir(), `edugraph-bench-mail-${randomUUID()}`),
  });
  const { platform } = bench;
  const gateway = await startGatewayProcess(
    { ...platform.gatewayEnv, NODE_ENV: 'production', SUBSCRIPTIONS_MAX_QUEUED_EVENTS: '1000' },
    platform.supergraphSdl,
  );
  const graphqlUrl = `${gateway.url}/graphql`;
  const identityUrl = platform.subgraphs.find((s) => s.name === 'identity')!.url;
  let stopFleet = () => undefined as void;
  try {
    options.log(`  signing up ${maxSubscribers + 1} users`);
    const accounts: Account[] = [];
    const runId = randomUUID().slice(0, 8);
    await pool(
      Array.from({ length: maxSubscribers + 1 }, (_, i) => i),
      16,
      async (i) => {
        const { signUp } = await gql<{ signUp: { accessToken: string; user: { id: string } } }>(
          identityUrl,
          'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
          {
            input: {
              email: `bench-${runId}-${i}@example.com`,
              password: 'bench password 2026',
              displayName: `Bench ${i}`,
            },
          },
        );
        accounts[i] = { id: signUp.user.id, accessToken: signUp.accessToken };
      },
      (done) => options.log(`    ${done}/${maxSubscribers + 1} users`),
    );
    const [first, ...subscribers] = accounts as [Account, ...Account[]];
    // Channels are created by instructors: promote the poster (setup only) and sign in again for the role.
    const sql = new pg.Client({ connectionString: bench.databaseUrl });
    await sql.connect();
    await sql.query(`update identity.users set roles = array['LEARNER','INSTRUCTOR'] where id = $1`, [
      first.id,
    ]);
    await sql.end();
    const { signIn } = await gql<{ signIn: { accessToken: string } }>(
      identityUrl,
      'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
      { input: { email: `bench-${runId}-0@example.com`, password: 'bench password 2026' } },
    );
    const poster = { id: first.id, accessToken: signIn.accessToken };
    const { createChannel } = await gql<{ createChannel: { conversation: { id: string } } }>(
      graphqlUrl,
      'mutation($input: CreateChannelInput!) { createChannel(input: $input) { conversation { id } } }',
      { input: { communityId: randomUUID(), name: 'bench' } },
      poster.accessToken,
    );
    const channelId = createChannel.conversation.id;
    const batches: Account[][] = [];
    for (let i = 0; i < subscribers.length; i += 100) batches.push(subscribers.slice(i, i + 100));
    await pool(
      batches,
      4,
      async (batch) => {
        await gql(
          graphqlUrl,
          'mutation($input: AddConversationMembersInput!) { addConversationMembers(input: $input) { conversation { id } } }',
          { input: { conversationId: channelId, userIds: batch.map((a) => a.id) } },
          poster.accessToken,
        );
      },
      () => undefined,
    );
    options.log(`  channel ${channelId} with ${subscribers.length + 1} members`);

    const rows: RealtimeBenchRow[] = [];
    const fleet = startFleet();
    stopFleet = fleet.stop;
    const send = (body: string) =>
      gql(
        graphqlUrl,
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }',
        { input: { conversationId: channelId, body } },
        poster.accessToken,
      );
    for (const count of options.subscriberCounts) {
      options.log(`  N = ${count}: connecting`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = await gatewayMemory(`${gateway.url}/metrics`, gateway.child.pid!);
      const connected = fleet.until('connected', (m) => {
        if (m.type === 'progress') options.log(`    ${m.connected}/${count} sockets`);
      });
      fleet.command({
        type: 'connect',
        url: graphqlUrl.replace(/^http/, 'ws'),
        query: MESSAGE_ADDED,
        variables: { id: channelId },
        tokens: subscribers.slice(0, count).map((a) => a.accessToken),
      });
      await connected;
      for (let attempt = 0; fleet.probed() < count; attempt += 1) {
        if (attempt > 120) throw new Error(`only ${fleet.probed()}/${count} subscriptions became live`);
        await send(`probe ${attempt}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const idle = await gatewayMemory(`${gateway.url}/metrics`, gateway.child.pid!);
      options.log(`    ${count} subscribed; sending ${options.messages} messages`);

      const started = epochMs();
      const profiling = await startWindowProfile();
      const cpuBefore = { gateway: await processCpuMs(gateway.child.pid!), subgraphs: ownCpuMs() };
      const sends: Promise<unknown>[] = [];
      for (let m = 0; m < options.messages; m += 1) {
        sends.push(send(`bench ${count} ${m} ${epochMs()}`));
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      }
      const failedSends = (await Promise.allSettled(sends)).filter((r) => r.status === 'rejected');
      if (failedSends.length > 0)
        throw new Error(
          `${failedSends.length} sends failed: ${String((failedSends[0] as PromiseRejectedResult).reason)}`,
        );
      const expected = count * options.messages;
      let report = await fleet.report();
      const deadline = Date.now() + 60_000;
      while (report.latencies.length < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        report = await fleet.report();
      }
      const cpu = {
        gateway: (await processCpuMs(gateway.child.pid!)) - cpuBefore.gateway,
        subgraphs: ownCpuMs() - cpuBefore.subgraphs,
      };
      await profiling?.stop(`subgraphs-${count}`);
      const { latencies } = report;
      const sorted = [...latencies].sort((a, b) => a - b);
      rows.push({
        subscribers: count,
        messages: options.messages,
        deliveries: latencies.length,
        missing: expected - latencies.length,
        duplicates: report.duplicates,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted.at(-1) ?? Number.NaN,
        deliveredPerSecond: latencies.length / ((report.lastDeliveryAt - started) / 1000),
        rssKiBPerConnection: (idle.rss - before.rss) / 1024 / count,
        heapKiBPerConnection: (idle.heap - before.heap) / 1024 / count,
        gatewayCpuMsPer1k: (cpu.gateway / latencies.length) * 1000,
        subgraphsCpuMsPer1k: (cpu.subgraphs / latencies.length) * 1000,
      });
      options.log(
        `    delivered ${latencies.length}/${expected}, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`,
      );
      const closed = fleet.until('closed');
      fleet.command({ type: 'close' });
      await closed;
    }
    return rows;
  } finally {
    stopFleet();
    await gateway.stop();
    await bench.stop();
  }
}
