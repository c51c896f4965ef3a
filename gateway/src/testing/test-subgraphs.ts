import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import {
  Authenticated,
  bearerToken,
  buildFederatedSchema,
  ConnectionArgs,
  ConnectionType,
  createFormatError,
  createLogger,
  createRequestContext,
  createTokenVerifier,
  Public,
  remoteJwks,
  Roles,
  type BuiltSubgraphSchema,
  type RequestContext,
} from '@edugraph/kit';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import {
  Arg,
  Args,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { TEST_AUDIENCE, TEST_ISSUER } from './fake-identity.js';

// ─── catalog: owns Course ────────────────────────────────────────────────────────────────

@ObjectType('Lesson')
class Lesson {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Course')
class Course {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => [Lesson])
  lessons(@Arg('first', () => Int, { nullable: true }) first?: number | null): Lesson[] {
    return Array.from({ length: Math.min(first ?? 3, 100) }, (_, i) => ({
      id: `${this.id}-l${i}`,
      title: `Lesson ${i}`,
    }));
  }
}

const CourseConnection = ConnectionType(Course, 'Course');

@ObjectType('Whoami')
class Whoami {
  @Field(() => String, { nullable: true })
  userId!: string | null;

  @Field(() => [String])
  roles!: string[];

  @Field(() => [String])
  scopes!: string[];

  @Field(() => String, { nullable: true })
  apiKeyId!: string | null;

  @Field(() => String)
  requestId!: string;

  @Field(() => String, { nullable: true })
  clientIp!: string | null;
}

@InputType('RenameCourseInput')
class RenameCourseInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;
}

function course(id: string): Course {
  const value = new Course();
  value.id = id;
  value.title = `Course ${id}`;
  return value;
}

@Resolver(() => Course)
class CatalogResolver {
  @Public()
  @Query(() => Course, { nullable: true })
  course(@Arg('id', () => ID) id: string): Course {
    return course(id);
  }

  @Public()
  @Query(() => CourseConnection)
  courses(@Args(() => ConnectionArgs) args: ConnectionArgs) {
    const count = Math.min(args.first ?? 20, 100);
    const edges = Array.from({ length: count }, (_, i) => ({ cursor: String(i), node: course(`c${i}`) }));
    return {
      edges,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  }

  @Public()
  @Query(() => Whoami)
  whoami(@Ctx() ctx: RequestContext): Whoami {
    return {
      userId: ctx.viewer?.userId ?? null,
      roles: [...(ctx.viewer?.roles ?? [])],
      scopes: [...(ctx.viewer?.scopes ?? [])],
      apiKeyId: ctx.viewer?.apiKeyId ?? null,
      requestId: ctx.requestId,
      clientIp: ctx.ip,
    };
  }

  @Roles('ADMIN')
  @Query(() => Int)
  adminStats(): number {
    return 42;
  }

  @Authenticated()
  @Mutation(() => Course)
  renameCourse(@Arg('input', () => RenameCourseInput) input: RenameCourseInput): Course {
    return { ...course(input.id), title: input.title } as Course;
  }
}

// ─── reviews: adds Course.reviews ────────────────────────────────────────────────────────

@Directive('@key(fields: "id")')
@ObjectType('Course')
class CourseStub {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Review')
class Review {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  body!: string;

  /** Back to the course, so tests can build arbitrarily deep queries. */
  @Field(() => CourseStub)
  course!: CourseStub;
}

const ReviewConnection = ConnectionType(Review, 'Review');

@Resolver(() => CourseStub)
class ReviewsResolver {
  @Public()
  @Query(() => Int)
  reviewCount(): number {
    return 7;
  }

  @FieldResolver(() => ReviewConnection)
  reviews(@Root() stub: CourseStub, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    const count = Math.min(args.first ?? 20, 100);
    const edges = Array.from({ length: count }, (_, i) => ({
      cursor: String(i),
      node: { id: `${stub.id}-r${i}`, body: 'Great', course: { id: stub.id } },
    }));
    return {
      edges,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  }
}

export async function buildCatalogSchema(): Promise<BuiltSubgraphSchema> {
  return buildFederatedSchema({
    resolvers: [CatalogResolver],
    referenceResolvers: { Course: { __resolveReference: (reference) => course(reference.id) } },
  });
}

export async function buildReviewsSchema(): Promise<BuiltSubgraphSchema> {
  return buildFederatedSchema({
    resolvers: [ReviewsResolver],
    orphanedTypes: [CourseStub],
    referenceResolvers: { Course: { __resolveReference: (reference) => ({ id: reference.id }) } },
  });
}

export type ReceivedHeaders = Record<string, string | undefined>;

export type TestSubgraph = {
  name: string;
  url: string;
  sdl: string;
  /** Headers of every request this subgraph received (only the ones the gateway may forward, plus x-api-key). */
  received: ReceivedHeaders[];
  stop: () => Promise<void>;
};

const FORWARDED = ['authorization', 'x-request-id', 'x-client-ip', 'x-api-key', 'x-forwarded-for', 'cookie'];

/** Serves a subgraph schema like kit's subgraph server does (token verified again, /health), minus the database. */
export async function startTestSubgraph(
  name: string,
  built: { schema: GraphQLSchema; sdl: string },
  jwksUrl: string,
): Promise<TestSubgraph> {
  const verify = createTokenVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    keys: remoteJwks(jwksUrl),
  });
  const logger = createLogger({ name, level: 'silent' });
  const app = express();
  const httpServer = http.createServer(app);
  const received: ReceivedHeaders[] = [];
  const server = new ApolloServer<RequestContext>({
    schema: built.schema,
    formatError: createFormatError({ production: false }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(server, {
      context: async ({ req }) => {
        received.push(Object.fromEntries(FORWARDED.map((h) => [h, req.headers[h] as string | undefined])));
        const token = bearerToken(req.headers.authorization);
        return createRequestContext({
          requestId: String(req.headers['x-request-id'] ?? 'none'),
          viewer: token ? await verify(token) : null,
          ip: (req.headers['x-client-ip'] as string | undefined) ?? null,
          userAgent: null,
          logger,
        });
      },
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  return { name, url, sdl: built.sdl, received, stop: () => server.stop() };
}
