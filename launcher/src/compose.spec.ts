import 'reflect-metadata';
import { buildFederatedSchema, Public, type SubgraphDefinition } from '@edugraph/kit';
import { Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, CompositionFailedError } from './compose.js';

@Directive('@key(fields: "id")')
@ObjectType('ComposeWidget')
class WidgetA {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  size!: string;
}

@Resolver()
class WidgetAResolver {
  @Public()
  @Query(() => WidgetA, { nullable: true })
  widgetA(): WidgetA | null {
    return null;
  }
}

function definition(name: string, build: () => ReturnType<typeof buildFederatedSchema>): SubgraphDefinition {
  return {
    name,
    schemaName: name,
    defaultPort: 4900,
    buildSchema: build,
    migrate: async () => [],
    start: () => Promise.reject(new Error('not started in this test')),
  };
}

describe('composeSupergraph', () => {
  it('fails with the composition problems listed when two subgraphs disagree on a shared field', async () => {
    const a = await buildFederatedSchema({ resolvers: [WidgetAResolver] });
    // The same entity with `size` typed differently (Int vs String) and not shareable.
    const conflicting = a.sdl
      .replace('size: String!', 'size: Int!')
      .replace('widgetA: ComposeWidget', 'widgetB: ComposeWidget');
    const error = await composeSupergraph([
      definition('alpha', async () => a),
      definition('beta', async () => ({ ...a, sdl: conflicting })),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompositionFailedError);
    expect((error as CompositionFailedError).problems.join('\n')).toMatch(/ComposeWidget\.size/);
  });

  it('records each subgraph at its default URL in the supergraph', async () => {
    const a = await buildFederatedSchema({ resolvers: [WidgetAResolver] });
    const composed = await composeSupergraph([definition('alpha', async () => a)]);
    expect(composed.supergraphSdl).toContain('url: "http://127.0.0.1:4900/graphql"');
    expect(composed.apiSdl).toContain('widgetA: ComposeWidget');
    expect(composed.apiSdl).not.toContain('join__');
  });
});
