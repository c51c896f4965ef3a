import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createDataSource,
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  startSubgraphServer,
  type PlatformRole,
  type Redis,
  type RunningSubgraph,
} from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { mediaMigrations } from '@edugraph/migrations/media';
import type { FormattedExecutionResult } from 'graphql';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import type { DataSource } from 'typeorm';
import { CLAMD_SCRIPT } from '../app.js';
import type { Clock } from '../common/clock.js';
import { mediaEntities } from '../entities.js';
import { createMediaServices, type MediaServices } from '../media-services.js';
import { ViewRuleRegistry } from '../modules/access/view-rules.js';
import type { AssetStatus } from '../modules/asset/asset.entity.js';
import {
  createMediaQueues,
  startMediaWorkers,
  type MediaQueues,
  type MediaWorkers,
} from '../modules/jobs/media-jobs.js';
import { ClamdClient } from '../scanning/clamd-client.js';
import { buildMediaSchema } from '../schema.js';
import { LocalStorage } from '../storage/local-storage.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { S3Storage } from '../storage/s3-storage.js';
import S3rver from 's3rver';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const TEST_CLAMD_SOCKET = process.env['CLAMD_SOCKET'] ?? '/tmp/edugraph-clamd.sock';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';

export type TestUser = { id: string; token: string; roles: PlatformRole[] };
type Result<T> = FormattedExecutionResult<T, unknown>;

/** Starts clamd with the repository's script unless it already answers (idempotent, shared by test files). */
export async function ensureTestClamd(): Promise<ClamdClient> {
  const clamd = new ClamdClient({ socket: TEST_CLAMD_SOCKET }, 30_000);
  if (!(await clamd.ping())) {
    await promisify(execFile)('bash', [CLAMD_SCRIPT, 'start'], {
      env: { ...process.env, CLAMD_SOCKET: TEST_CLAMD_SOCKET },
      timeout: 90_000,
    });
  }
  return clamd;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type UploadOptions = {
  kind: string;
  fileName?: string;
  mimeType: string;
  bytes: Buffer;
  /** Declared in requestUpload (default: the real ones). */
  declaredSize?: number;
  declaredSha256?: string;
  visibility?: string;
  ownerDomain?: string;
  subjectRef?: string;
};

export type MediaHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  counter: QueryCounter;
  redis: Redis;
  prefix: string;
  storageRoot: string;
  storage: ObjectStorage;
  services: MediaServices;
  views: ViewRuleRegistry;
  queues: MediaQueues;
  server: RunningSubgraph;
  clock: Clock & { set(date: Date): void; advance(ms: number): void };
  user(roles?: PlatformRole[]): Promise<TestUser>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | null,
  ): Promise<Result<T>>;
  /** requestUpload; returns the asset id and the upload target. */
  requestUpload(
    as: TestUser,
    options: UploadOptions,
  ): Promise<{ assetId: string; url: string; headers: Record<string, string>; errors?: unknown }>;
  /** requestUpload + PUT + completeUpload; returns the completion result. */
  upload(
    as: TestUser,
    options: UploadOptions,
  ): Promise<{ assetId: string; complete: Result<Record<string, unknown>> }>;
  /** Polls the database until the asset has one of the statuses. */
  waitForStatus(assetId: string, statuses: AssetStatus[], timeoutMs?: number): Promise<AssetStatus>;
  waitForRenditions(assetId: string, timeoutMs?: number): Promise<string>;
  startWorkers(): Promise<MediaWorkers>;
  close(): Promise<void>;
};

export const REQUEST_UPLOAD = `mutation($input: RequestUploadInput!) {
  requestUpload(input: $input) { asset { id status } upload { url method headers { name value } expiresAt } }
}`;
export const COMPLETE_UPLOAD = `mutation($input: CompleteUploadInput!) {
  completeUpload(input: $input) { asset { id status uploadedAt } }
}`;

/**
 * A fresh database with the real migrations, local-disk storage in a temp folder, real clamd, real
 * Redis/BullMQ (unique prefix), and the real HTTP server. Workers start with `startWorkers()`
 * (or `workers: true`), so tests can look at states between steps.
 */
export async function createMediaHarness(
  name: string,
  options: {
    workers?: boolean;
    scanAttempts?: number;
    now?: Date;
    clamd?: ClamdClient;
    /** `s3`: a local s3rver (S3-compatible) instead of the local-disk backend. */
    backend?: 'local' | 's3';
  } = {},
): Promise<MediaHarness> {
  const clamd = options.clamd ?? (await ensureTestClamd());
  const db = await createTestDatabase(`media_${name}`);
  const counter = new QueryCounter();
  const dataSource = createDataSource({
    url: db.url,
    schema: 'media',
    entities: mediaEntities,
    migrations: mediaMigrations,
    logger: counter,
    poolSize: 6,
  });
  await migrate(dataSource, 'media');
  await dataSource.initialize();
  const prefix = `test-media-${name}-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(TEST_REDIS_URL, { name: prefix });
  const logger = createLogger({ name: 'media-test', level: 'silent' });
  let current: Date | null = options.now ?? null;
  const clock = {
    now: () => current ?? new Date(),
    set: (date: Date) => {
      current = date;
    },
    advance: (ms: number) => {
      current = new Date((current ?? new Date()).getTime() + ms);
    },
  };
  const storageRoot = await fs.mkdtemp(path.join(os.tmpdir(), `edugraph-media-${name}-`));
  let baseUrl = '';
  let s3rver: S3rver | null = null;
  let storage: ObjectStorage;
  if (options.backend === 's3') {
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: storageRoot,
      configureBuckets: [{ name: 'media' }],
    });
    const { port } = await s3rver.run();
    storage = new S3Storage({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'media',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      now: () => clock.now(),
    });
  } else {
    storage = new LocalStorage({
      root: storageRoot,
      secret: randomBytes(32).toString('base64url'),
      baseUrl: () => baseUrl,
      now: () => clock.now(),
    });
  }
  const queues = createMediaQueues({
    redisUrl: TEST_REDIS_URL,
    prefix,
    scanRetry: { attempts: options.scanAttempts ?? 2, backoffMs: 50 },
    renditionRetry: { attempts: 2, backoffMs: 50 },
  });
  const views = new ViewRuleRegistry(logger);
  const services = createMediaServices({
    dataSource,
    storage,
    clamd,
    jobs: queues,
    views,
    tools: { sofficePath: 'soffice', pdftoppmPath: 'pdftoppm', timeoutMs: 120_000 },
    logger,
    clock,
  });
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateKey: CryptoKey = pair.privateKey;
  const keys: JWTVerifyGetKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
  });
  const { schema } = await buildMediaSchema(services);
  const serverDataSource = createDataSource({
    url: db.url,
    schema: 'media',
    entities: mediaEntities,
    migrations: [],
    poolSize: 2,
  });
  await serverDataSource.initialize();
  const server = await startSubgraphServer({
    name: 'media',
    schema,
    port: 0,
    production: true,
    dataSource: serverDataSource,
    redis: createRedis(TEST_REDIS_URL),
    verifyToken: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }),
    logger,
    ...(storage instanceof LocalStorage
      ? { routes: (app: Parameters<LocalStorage['routes']>[0]) => (storage as LocalStorage).routes(app) }
      : {}),
  });
  baseUrl = new URL('/', server.url).toString();
  const workers: MediaWorkers[] = [];
  const startWorkers = async () => {
    const started = await startMediaWorkers({
      redisUrl: TEST_REDIS_URL,
      prefix,
      queues,
      scans: services.scans,
      renditions: services.renditions,
      lifecycle: services.lifecycle,
      logger,
    });
    workers.push(started);
    return started;
  };
  if (options.workers) await startWorkers();

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, as: TestUser | null = null) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(as ? { authorization: `Bearer ${as.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  }

  async function requestUpload(as: TestUser, o: UploadOptions) {
    const result = await gql<{
      requestUpload: {
        asset: { id: string };
        upload: { url: string; headers: { name: string; value: string }[] };
      };
    }>(
      REQUEST_UPLOAD,
      {
        input: {
          kind: o.kind,
          fileName: o.fileName ?? 'file',
          mimeType: o.mimeType,
          size: o.declaredSize ?? o.bytes.length,
          sha256: o.declaredSha256 ?? sha256(o.bytes),
          ...(o.visibility ? { visibility: o.visibility } : {}),
          ...(o.ownerDomain ? { ownerDomain: o.ownerDomain } : {}),
          ...(o.subjectRef ? { subjectRef: o.subjectRef } : {}),
        },
      },
      as,
    );
    if (result.errors) return { assetId: '', url: '', headers: {}, errors: result.errors };
    const { asset, upload } = result.data!.requestUpload;
    return {
      assetId: asset.id,
      url: upload.url,
      headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
    };
  }

  return {
    db,
    dataSource,
    counter,
    redis,
    prefix,
    storageRoot,
    storage,
    services,
    views,
    queues,
    server,
    clock,
    async user(roles: PlatformRole[] = ['LEARNER']) {
      const id = randomUUID();
      const token = await new SignJWT({ roles, sid: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .setSubject(id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      return { id, token, roles };
    },
    gql,
    requestUpload,
    async upload(as, o) {
      const target = await requestUpload(as, o);
      if (target.errors) throw new Error(`requestUpload failed: ${JSON.stringify(target.errors)}`);
      const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: o.bytes });
      if (put.status !== 200) throw new Error(`PUT failed: ${put.status} ${await put.text()}`);
      const complete = await gql<Record<string, unknown>>(
        COMPLETE_UPLOAD,
        { input: { assetId: target.assetId } },
        as,
      );
      return { assetId: target.assetId, complete };
    },
    async waitForStatus(assetId, statuses, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = (await dataSource.query(`SELECT status FROM "media".assets WHERE id = $1`, [
          assetId,
        ])) as {
          status: AssetStatus;
        }[];
        if (row && statuses.includes(row.status)) return row.status;
        if (Date.now() > deadline)
          throw new Error(`asset ${assetId} is ${row?.status}, not ${statuses.join('|')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async waitForRenditions(assetId, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = (await dataSource.query(
          `SELECT rendition_status AS status FROM "media".assets WHERE id = $1`,
          [assetId],
        )) as { status: string }[];
        if (row && (row.status === 'READY' || row.status === 'FAILED')) return row.status;
        if (Date.now() > deadline) throw new Error(`renditions of ${assetId} are ${row?.status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    startWorkers,
    async close() {
      for (const w of workers) await w.stop();
      await server.stop();
      await queues.close();
      await storage.close();
      await s3rver?.close();
      const leftover = await redis.keys(`${prefix}:*`);
      if (leftover.length > 0) await redis.del(...leftover);
      redis.disconnect();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
      await fs.rm(storageRoot, { recursive: true, force: true });
    },
  };
}

/** The error codes of a result. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}
