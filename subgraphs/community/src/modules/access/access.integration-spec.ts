import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommunitySchema } from '../../schema.js';
import { codes, createCommunityHarness, type CommunityHarness } from '../../testing/community-harness.js';

/** A value of the type that passes GraphQL validation (required fields only). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields()))
      if (isNonNullType(field.type)) value[field.name] = sample(field.type);
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return new Date(Date.now() + 3_600_000).toISOString();
      default:
        return 'sample';
    }
  }
  return null;
}

describe('default deny for anonymous callers', () => {
  let h: CommunityHarness;

  beforeAll(async () => {
    h = await createCommunityHarness('access');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses every mutation of the subgraph (every module’s) to anonymous callers, changing nothing', async () => {
    const owner = await h.user();
    await h.community(owner);
    const { schema: built } = await buildCommunitySchema();
    const mutations = Object.values(built.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(10);
    const before = (await h.outbox()).length;
    for (const field of mutations) {
      const variableDefs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const argList = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const variables = Object.fromEntries(field.args.map((a) => [a.name, sample(a.type)]));
      const query = `mutation${variableDefs ? `(${variableDefs})` : ''} { ${field.name}${argList ? `(${argList})` : ''} { __typename } }`;
      const result = await h.gql(query, variables, null);
      expect(codes(result), field.name).toEqual(['UNAUTHENTICATED']);
    }
    expect((await h.outbox()).length).toBe(before);
  });
});
