import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
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
import { learningMigrations } from '@edugraph/migrations/learning';
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
import type { Clock } from '../common/clock.js';
import { learningEntities } from '../entities.js';
import { createLearningServices, type LearningServices } from '../learning-services.js';
import { commerceSellerRuleRoute } from '../modules/access/commerce-seller-rule.js';
import { mediaViewRuleRoute } from '../modules/access/media-view-rule.js';
import { buildLearningSchema } from '../schema.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const INTERNAL_TOKEN = 'internal-test-token';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';

export type TestUser = { id: string; token: string; roles: PlatformRole[] };
type Result<T> = FormattedExecutionResult<T, unknown>;

export type ControlledClock = Clock & { set(date: Date): void; advance(ms: number): void };

export type LearningHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  counter: QueryCounter;
  redis: Redis;
  services: LearningServices;
  server: RunningSubgraph;
  clock: ControlledClock;
  user(roles?: PlatformRole[]): Promise<TestUser>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | null,
  ): Promise<Result<T>>;
  /** Runs a GraphQL operation and fails the test on errors. */
  ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    as: TestUser | null,
  ): Promise<T>;
  /** A PUBLISHED course of `instructor` with `modules` modules of `lessons` TEXT lessons each. */
  publishedCourse(
    instructor: TestUser,
    admin: TestUser,
    options?: { modules?: number; lessons?: number; isFree?: boolean; title?: string },
  ): Promise<{ courseId: string; moduleIds: string[]; lessonIds: string[][] }>;
  close(): Promise<void>;
};

const CREATE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id slug status } } }`;
const ADD_MODULE = `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id position } } }`;
const ADD_LESSON = `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id position } } }`;
const SUBMIT = `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { status } } }`;
const APPROVE = `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { status } } }`;

/** A fresh database with the real migrations, a controlled clock and the real HTTP server. */
export async function createLearningHarness(
  name: string,
  options: { now?: Date } = {},
): Promise<LearningHarness> {
  const db = await createTestDatabase(`learning_${name}`);
  const counter = new QueryCounter();
  const dataSource = createDataSource({
    url: db.url,
    schema: 'learning',
    entities: learningEntities,
    migrations: learningMigrations,
    logger: counter,
    poolSize: 6,
  });
  await migrate(dataSource, 'learning');
  await dataSource.initialize();
  const redis = createRedis(TEST_REDIS_URL, { name: `learning-test-${name}` });
  const logger = createLogger({ name: 'learning-test', level: 'silent' });
  let current: Date | null = options.now ?? null;
  const clock: ControlledClock = {
    now: () => current ?? new Date(),
    set: (date) => {
      current = date;
    },
    advance: (ms) => {
      current = new Date((current ?? new Date()).getTime() + ms);
    },
  };
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateKey: CryptoKey = pair.privateKey;
  const keys: JWTVerifyGetKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
  });
  const services = createLearningServices({ dataSource, logger, clock });
  const { schema } = await buildLearningSchema(services);
  const server = await startSubgraphServer({
    name: 'learning',
    schema,
    port: 0,
    production: true,
    dataSource,
    redis,
    verifyToken: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }),
    logger,
    routes: (app) => {
      mediaViewRuleRoute({ access: services.access, token: INTERNAL_TOKEN, logger })(app);
      commerceSellerRuleRoute({
        courses: services.courses,
        ebooks: services.ebooks,
        token: INTERNAL_TOKEN,
        logger,
      })(app);
    },
  });

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, as: TestUser | null = null) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  }

  async function ok<T>(query: string, variables: Record<string, unknown>, as: TestUser | null): Promise<T> {
    const result = await gql<T>(query, variables, as);
    if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  return {
    db,
    dataSource,
    counter,
    redis,
    services,
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
        .setExpirationTime('1h')
        .sign(privateKey);
      return { id, token, roles };
    },
    gql,
    ok,
    async publishedCourse(instructor, admin, o = {}) {
      const created = await ok<{ createCourse: { course: { id: string } } }>(
        CREATE,
        { input: { title: o.title ?? `Course ${randomUUID().slice(0, 8)}`, isFree: o.isFree ?? false } },
        instructor,
      );
      const courseId = created.createCourse.course.id;
      const moduleIds: string[] = [];
      const lessonIds: string[][] = [];
      for (let m = 0; m < (o.modules ?? 1); m += 1) {
        const added = await ok<{ addCourseModule: { module: { id: string } } }>(
          ADD_MODULE,
          { input: { courseId, title: `Module ${m + 1}` } },
          instructor,
        );
        const moduleId = added.addCourseModule.module.id;
        moduleIds.push(moduleId);
        const ids: string[] = [];
        for (let l = 0; l < (o.lessons ?? 2); l += 1) {
          const lesson = await ok<{ addLesson: { lesson: { id: string } } }>(
            ADD_LESSON,
            {
              input: {
                moduleId,
                title: `Lesson ${m + 1}.${l + 1}`,
                contentKind: 'TEXT',
                bodyHtml: `<p>Body ${m + 1}.${l + 1}</p>`,
              },
            },
            instructor,
          );
          ids.push(lesson.addLesson.lesson.id);
        }
        lessonIds.push(ids);
      }
      await ok(SUBMIT, { id: courseId }, instructor);
      await ok(APPROVE, { id: courseId }, admin);
      return { courseId, moduleIds, lessonIds };
    },
    async close() {
      await server.stop();
      redis.disconnect();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/** The error codes of a result. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}
