import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { buildSchema, createResolversMap, type ContainerType, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/auth-checker.js';
import { assertEveryRootFieldDeclaresAccess } from '../auth/default-deny.js';
import type { RequestContext } from '../context/request-context.js';
import type { PubSub } from '../realtime/pubsub.js';

/** Federation spec version every subgraph links (≥ 2.4 is needed for subscriptions through the gateway). */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.5';
const FEDERATION_IMPORTS = [
  '@key',
  '@shareable',
  '@external',
  '@requires',
  '@provides',
  '@inaccessible',
  '@tag',
];

/** `{ __resolveReference(reference, context) }` for an entity type. */
export type ReferenceResolver = {
  __resolveReference: (reference: { __typename: string; id: string }, context: RequestContext) => unknown;
};

type ResolverMap = Parameters<typeof buildSubgraphSchema>[0] extends infer T
  ? T extends { resolvers?: infer R }
    ? NonNullable<R>
    : never
  : never;

export type SubgraphSchemaOptions = {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph resolves. */
  referenceResolvers?: Record<string, ReferenceResolver>;
  /**
   * PubSub for type-graphql `@Subscription({ topics })` fields (e.g. `createRedisPubSub`); needed when a
   * resolver declares subscriptions. Subscriptions written with `subscribe:` may use it too.
   */
  pubSub?: PubSub;
  /**
   * Resolver instances for this schema (type-graphql `container`): lets a process build several schemas
   * whose resolvers hold different services (e.g. two instances in one test). Default: `new Resolver()`.
   */
  container?: ContainerType;
};

export type BuiltSubgraphSchema = { schema: GraphQLSchema; sdl: string };

/**
 * Apollo's cache hints (`@Directive('@cacheControl(maxAge: 30)')` on a type or field). Apollo Server turns
 * them into the response's `Cache-Control`, entity by entity for `_entities`; the gateway shares a
 * `public` answer between subscribers of the same event instead of asking once per subscriber.
 * Declared only in subgraphs that use it; the scope enum stays out of the client-facing API.
 */
const CACHE_CONTROL_DEFINITIONS = `enum CacheControlScope @inaccessible {
  PUBLIC
  PRIVATE
}

directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;

/**
 * type-graphql classes → Federation 2 subgraph schema. Refuses to build when a root field has no
 * access rule (default deny).
 */
export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<BuiltSubgraphSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    emitSchemaFile: false,
    ...(options.pubSub ? { pubSub: options.pubSub } : {}),
    ...(options.container ? { container: options.container } : {}),
  });
  assertEveryRootFieldDeclaresAccess(typeGraphqlSchema);

  const link = `extend schema @link(url: "${FEDERATION_SPEC_URL}", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])`;
  const printed = printSchemaWithDirectives(typeGraphqlSchema);
  const cacheControl = /@cacheControl\b/.test(printed) ? `${CACHE_CONTROL_DEFINITIONS}\n\n` : '';
  const sdl = `${link}\n\n${cacheControl}${printed}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, object>;
  for (const [typeName, resolver] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...resolvers[typeName], ...resolver };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as ResolverMap });
  return { schema, sdl };
}
