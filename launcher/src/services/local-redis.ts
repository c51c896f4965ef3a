import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export type RedisHandle = { url: string; stop: () => Promise<void> };

export class RedisUnavailableError extends Error {
  constructor() {
    super(
      'Redis is needed but REDIS_URL is not set and no `redis-server` binary was found on PATH.\n' +
        '  Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`)\n' +
        '  or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).',
    );
    this.name = 'RedisUnavailableError';
  }
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts a private `redis-server` for the platform, its snapshot kept in `dataDir`. */
export async function startLocalRedis(options: { dataDir: string; port: number }): Promise<RedisHandle> {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) throw new RedisUnavailableError();
  const dir = path.resolve(options.dataDir);
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '60 1',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore', detached: true }, // own process group: Ctrl-C reaches the launcher, which stops it last
  );
  await waitForPort(options.port, 10_000);
  return {
    url: `redis://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
