import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { calculateCost } from './cost.js';

const schema = buildSchema(`
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Lesson { id: ID! title: String! }
  type Course { id: ID! title: String! tags: [String!]! lessons(first: Int): [Lesson!]! reviews(first: Int, after: String): ReviewConnection! }
  type Review { id: ID! body: String! author: User! }
  type ReviewEdge { cursor: String! node: Review! }
  type ReviewConnection { edges: [ReviewEdge!]! pageInfo: PageInfo! }
  type CourseEdge { cursor: String! node: Course! }
  type CourseConnection { edges: [CourseEdge!]! pageInfo: PageInfo! }
  type User { id: ID! name: String! }
  union SearchHit = Course | User
  type Query {
    course(id: ID!): Course
    courses(first: Int, after: String): CourseConnection!
    search(first: Int = 5): [SearchHit!]!
    me: User
  }
`);

const options = { defaultFirst: 20, maxFirst: 100 };
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  calculateCost({
    schema,
    document: parse(query),
    variables: variables ?? null,
    operationName: operationName ?? null,
    options,
  });

describe('calculateCost', () => {
  it('costs every field 1 and __typename nothing', () => {
    expect(cost('{ me { id name __typename } }').cost).toBe(3);
    expect(cost('{ __typename }').cost).toBe(0);
  });

  it('multiplies a connection subtree by a literal first', () => {
    // courses 1 + 10 × (edges 1 + node(1 + id 1 + title 1)) = 1 + 10 × 4
    expect(cost('{ courses(first: 10) { edges { node { id title } } } }').cost).toBe(41);
  });

  it('takes first from variables, and from the variable default', () => {
    const query = 'query Q($n: Int) { courses(first: $n) { edges { node { id } } } }';
    expect(cost(query, { n: 50 }).cost).toBe(1 + 50 * 3);
    expect(cost('query Q($n: Int = 7) { courses(first: $n) { edges { node { id } } } }').cost).toBe(
      1 + 7 * 3,
    );
  });

  it('assumes 20 on a connection without first, and uses the argument default on lists', () => {
    expect(cost('{ courses { pageInfo { hasNextPage } } }').cost).toBe(1 + 20 * 2);
    expect(cost('{ search { ... on User { id } } }').cost).toBe(1 + 5 * 1);
  });

  it('multiplies nested pages', () => {
    const query = `query Q($a: Int!, $b: Int!) {
      courses(first: $a) { edges { node { reviews(first: $b) { edges { node { body author { name } } } } } } }
    }`;
    // review node: 1 + body 1 + author(1 + name 1) = 4; reviews edges: 1 + 4 = 5; reviews: 1 + b × 5
    // course node: 1 + reviews; courses edges: 1 + node; courses: 1 + a × edges
    const expected = (a: number, b: number) => 1 + a * (1 + (1 + (1 + b * 5)));
    expect(cost(query, { a: 10, b: 10 }).cost).toBe(expected(10, 10));
    expect(cost(query, { a: 100, b: 100 }).cost).toBe(expected(100, 100));
  });

  it('does not multiply plain lists without first', () => {
    expect(cost('{ course(id: "1") { tags } }').cost).toBe(2);
    expect(cost('{ course(id: "1") { lessons(first: 3) { id title } } }').cost).toBe(1 + 1 + 3 * 2);
  });

  it('expands fragments at every use and sums inline fragments on abstract types', () => {
    const query = `
      fragment C on Course { id title }
      { a: course(id: "1") { ...C } b: course(id: "2") { ...C } search(first: 2) { ... on Course { ...C } ... on User { name } } }`;
    expect(cost(query).cost).toBe(3 + 3 + (1 + 2 * (2 + 1)));
  });

  it('honours @skip and @include with variables', () => {
    const query =
      'query Q($big: Boolean!) { me { id } courses(first: 100) @include(if: $big) { edges { cursor } } }';
    expect(cost(query, { big: false }).cost).toBe(2);
    expect(cost(query, { big: true }).cost).toBe(2 + 1 + 100 * 2);
  });

  it('picks the named operation', () => {
    const document = 'query A { me { id } } query B { courses(first: 2) { edges { cursor } } }';
    expect(cost(document, {}, 'A').cost).toBe(2);
    expect(cost(document, {}, 'B').cost).toBe(1 + 2 * 2);
  });

  it('reports first above the maximum or below zero, literal or variable, with its path', () => {
    expect(cost('{ courses(first: 101) { edges { cursor } } }').invalidFirst).toEqual([
      { path: 'courses', value: 101 },
    ]);
    const nested = cost(
      'query Q($n: Int) { list: courses(first: 5) { edges { node { reviews(first: $n) { edges { cursor } } } } } }',
      {
        n: 500,
      },
    );
    expect(nested.invalidFirst).toEqual([{ path: 'list.edges.node.reviews', value: 500 }]);
    expect(cost('{ courses(first: -1) { edges { cursor } } }').invalidFirst).toHaveLength(1);
    expect(cost('{ courses(first: 100) { edges { cursor } } }').invalidFirst).toEqual([]);
  });

  it('costs introspection without multipliers', () => {
    const result = cost('{ __schema { types { name fields { name } } } }');
    expect(result.cost).toBe(5);
  });
});
