import { composeServices } from '@apollo/composition';
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFederatedPlanner, executeRest, shapeResult, type SubgraphFetcher } from './federated-plan.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

function supergraph(): string {
  const result = composeServices([
    {
      name: 'chat',
      url: 'http://chat/graphql',
      typeDefs: parse(`${LINK}
        type Query { version: String }
        type Subscription { messageAdded(conversationId: ID!): Message! }
        interface Node { id: ID! }
        type Message implements Node { id: ID! body: String! author: User! readers: [User!]! }
        type User @key(fields: "id", resolvable: false) { id: ID! }`),
    },
    {
      name: 'people',
      url: 'http://people/graphql',
      typeDefs: parse(`${LINK}
        type Query { person(id: ID!): User }
        type User @key(fields: "id") { id: ID! name: String! }`),
    },
  ]);
  if (!result.supergraphSdl) throw new Error(result.errors?.map((e) => e.message).join('; '));
  return result.supergraphSdl;
}

const planner = createFederatedPlanner(supergraph());

function operationOf(document: DocumentNode) {
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return operation;
}

describe('createFederatedPlanner', () => {
  it('plans a subscription into a primary fetch to the owner and an entity fetch for the other subgraph', () => {
    const document = parse(
      'subscription ($c: ID!) { messageAdded(conversationId: $c) { id body author { name } } }',
    );
    const plan = planner.plan(document, undefined);
    expect(plan.primary).toMatchObject({ kind: 'Fetch', serviceName: 'chat', variableUsages: ['c'] });
    expect(plan.primary.operation).toMatch(/messageAdded\(conversationId: ?\$c\)/);
    // The planner wraps the rest in a Sequence (of one step here).
    expect(plan.rest).toMatchObject({
      kind: 'Sequence',
      nodes: [
        { kind: 'Flatten', path: ['messageAdded', 'author'], node: { kind: 'Fetch', serviceName: 'people' } },
      ],
    });
  });

  it('has no rest when the subscription only selects fields of its own subgraph', () => {
    const plan = planner.plan(
      parse('subscription { messageAdded(conversationId: "c") { id body } }'),
      undefined,
    );
    expect(plan.rest).toBeUndefined();
  });

  it('refuses a query (only subscription plans are produced here)', () => {
    expect(() => planner.plan(parse('{ version }'), undefined)).toThrow(/subscription/i);
  });
});

describe('executeRest + shapeResult', () => {
  const document = parse(`subscription ($c: ID!) {
    messageAdded(conversationId: $c) {
      ...M
      who: author { name }
      readers { ... on User { name } }
    }
  }
  fragment M on Node { key: id __typename }`);

  it('resolves entities at list and object paths in one request per fetch and shapes the client selection', async () => {
    const plan = planner.plan(document, undefined);
    const calls: { serviceName: string; representations: unknown }[] = [];
    const fetcher: SubgraphFetcher = async (serviceName, body) => {
      const representations = body.variables['representations'] as { id: string }[];
      calls.push({ serviceName, representations });
      return {
        data: { _entities: representations.map((r) => ({ __typename: 'User', name: `Name ${r.id}` })) },
      };
    };
    const data = {
      messageAdded: {
        __typename: 'Message',
        id: 'm1',
        who: { __typename: 'User', id: 'u1' },
        readers: [
          { __typename: 'User', id: 'u2' },
          { __typename: 'User', id: 'u3' },
        ],
      },
    };
    const errors = plan.rest ? await executeRest(plan.rest, data, { c: 'c1' }, fetcher) : [];
    expect(errors).toEqual([]);
    expect(calls.every((c) => c.serviceName === 'people')).toBe(true);
    expect(calls.flatMap((c) => c.representations as unknown[])).toHaveLength(3);
    expect(shapeResult(planner.apiSchema, document, operationOf(document), data)).toEqual({
      messageAdded: {
        key: 'm1',
        __typename: 'Message',
        who: { name: 'Name u1' },
        readers: [{ name: 'Name u2' }, { name: 'Name u3' }],
      },
    });
  });

  it('turns a failed entity fetch into an error with the path and nulls up to the nearest nullable parent', async () => {
    const plan = planner.plan(document, undefined);
    const fetcher: SubgraphFetcher = async () => ({
      data: { _entities: [null] },
      errors: [{ message: 'boom', extensions: { code: 'NOT_FOUND' } }],
    });
    const data = {
      messageAdded: { __typename: 'Message', id: 'm1', who: { __typename: 'User', id: 'u1' }, readers: [] },
    };
    const errors = plan.rest ? await executeRest(plan.rest, data, {}, fetcher) : [];
    expect(errors[0]).toMatchObject({
      message: 'boom',
      extensions: { code: 'NOT_FOUND', serviceName: 'people' },
    });
    // author (who) is User! and messageAdded is Message!: the null reaches the root.
    expect(shapeResult(planner.apiSchema, document, operationOf(document), data)).toBeNull();
  });

  it('reports an unreachable subgraph as SUBREQUEST_FAILED', async () => {
    const plan = planner.plan(document, undefined);
    const fetcher: SubgraphFetcher = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const data = {
      messageAdded: { __typename: 'Message', id: 'm1', who: { __typename: 'User', id: 'u1' }, readers: [] },
    };
    const errors = plan.rest ? await executeRest(plan.rest, data, {}, fetcher) : [];
    expect(errors[0]).toMatchObject({ extensions: { code: 'SUBREQUEST_FAILED', serviceName: 'people' } });
  });
});
