import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('gateway over a static supergraph', () => {
  it('plans a query across both subgraphs, using the overridden subgraph URLs', async () => {
    const result = await h.graphql('{ course(id: "c1") { id title reviews(first: 2) { edges { node { id body } } } } reviewCount }');
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({
      course: { id: 'c1', title: 'Course c1', reviews: { edges: [{ node: { id: 'c1-r0', body: 'Great' } }, { node: { id: 'c1-r1', body: 'Great' } }] } },
      reviewCount: 7,
    });
  });
});
