import { graphql, printSchema } from 'graphql';
import { Field, ID, ObjectType, Query, Resolver, Directive, Subscription, Root } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { Public } from '../auth/access.decorators.js';
import { createLogger } from '../logging/logger.js';
import { createRequestContext } from '../context/request-context.js';
import { createMemoryPubSub } from '../realtime/pubsub.js';
import { buildFederatedSchema } from './build-subgraph-schema.js';

@Directive('@key(fields: "id")')
@ObjectType('KitThing')
class Thing {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => Thing)
class ThingResolver {
  @Public()
  @Query(() => Thing)
  thing(): Thing {
    return { id: '1' };
  }
}

@Resolver()
class UnguardedResolver {
  @Query(() => String)
  unguarded(): string {
    return 'x';
  }
}

@Resolver()
class GreetingResolver {
  constructor(private readonly text: string = 'default') {}

  @Public()
  @Query(() => String)
  greeting(): string {
    return this.text;
  }

  @Public()
  @Subscription(() => String, { topics: 'kit-greetings' })
  greeted(@Root() payload: string): string {
    return payload;
  }
}

function containerWith(greeting: string) {
  return { get: (someClass: new (greeting: string) => unknown) => new someClass(greeting) };
}

describe('buildFederatedSchema', () => {
  it('uses the given container for resolver instances, so two schemas in one process hold different services', async () => {
    const context = createRequestContext({
      requestId: 'r',
      viewer: null,
      ip: null,
      userAgent: null,
      logger: createLogger({ name: 't', level: 'silent' }),
    });
    const first = await buildFederatedSchema({
      resolvers: [GreetingResolver],
      container: containerWith('hello'),
      pubSub: createMemoryPubSub(),
    });
    const second = await buildFederatedSchema({
      resolvers: [GreetingResolver],
      container: containerWith('bonjour'),
      pubSub: createMemoryPubSub(),
    });
    expect(
      (await graphql({ schema: first.schema, source: '{ greeting }', contextValue: context })).data,
    ).toEqual({ greeting: 'hello' });
    expect(
      (await graphql({ schema: second.schema, source: '{ greeting }', contextValue: context })).data,
    ).toEqual({ greeting: 'bonjour' });
    expect(first.sdl).toContain('greeted: String!');
  });

  it('refuses subscriptions without a pubSub', async () => {
    await expect(buildFederatedSchema({ resolvers: [GreetingResolver] })).rejects.toThrow(/PubSub/i);
  });

  it('builds a federation 2 subgraph with _entities for keyed types', async () => {
    const { schema, sdl } = await buildFederatedSchema({ resolvers: [ThingResolver] });
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toMatch(/type KitThing @key\(fields: "id"\)/);
    expect(printSchema(schema)).toContain('_entities(representations: [_Any!]!): [_Entity]!');
  });

  it('refuses a root field without an access rule', async () => {
    await expect(buildFederatedSchema({ resolvers: [ThingResolver, UnguardedResolver] })).rejects.toThrow(
      /Query\.unguarded/,
    );
  });
});
