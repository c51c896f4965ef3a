import { printSchema } from 'graphql';
import { Field, ID, ObjectType, Query, Resolver, Directive } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { Public } from '../auth/access.decorators.js';
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

describe('buildFederatedSchema', () => {
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
