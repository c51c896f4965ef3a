import {
  DEMO_COMMUNITY,
  DEMO_COURSES,
  DEMO_EBOOK,
  createProgress,
  seedDemoContent,
} from '@edugraph/launcher';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({}, { seed: true });
});

afterAll(async () => {
  await platform?.close();
});

/** Progress lines written by the seeder. */
function capture(): { progress: ReturnType<typeof createProgress>; lines: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { progress: createProgress(out), lines: () => text };
}

type Catalogue = {
  courses: {
    edges: { node: { slug: string; status: string; price: { amount: number; currency: string } | null } }[];
  };
  ebooks: { edges: { node: { title: string; price: { amount: number } | null } }[] };
  community: { name: string; memberCount: number } | null;
};

const CATALOGUE = `query($slug: String) {
  courses(first: 50) { edges { node { slug status price { amount currency } } } }
  ebooks(first: 50) { edges { node { title price { amount } } } }
  community(slug: $slug) { name memberCount }
}`;

describe('demo content for npm start', () => {
  it('builds a published, priced catalogue, an ebook and a community through the gateway, once', async () => {
    const first = capture();
    await seedDemoContent(platform.gatewayUrl, first.progress);
    expect(first.lines()).toContain('demo content created');

    const result = await platform.graphql<Catalogue>(CATALOGUE, { slug: DEMO_COMMUNITY.slug });
    expect(result.errors).toBeUndefined();
    const courses = result.data!.courses.edges.map((e) => e.node);
    expect(courses.map((c) => c.slug).sort()).toEqual(DEMO_COURSES.map((c) => c.slug).sort());
    for (const demo of DEMO_COURSES) {
      const course = courses.find((c) => c.slug === demo.slug)!;
      expect(course.status).toBe('PUBLISHED');
      expect(course.price).toEqual(demo.price === undefined ? null : { amount: demo.price, currency: 'USD' });
    }
    expect(result.data!.ebooks.edges.map((e) => e.node)).toEqual([
      { title: DEMO_EBOOK.title, price: { amount: DEMO_EBOOK.price } },
    ]);
    expect(result.data!.community).toEqual({ name: DEMO_COMMUNITY.name, memberCount: 2 });

    // A restart seeds again: nothing is created twice.
    const second = capture();
    await seedDemoContent(platform.gatewayUrl, second.progress);
    expect(second.lines()).toContain('demo content already present');
    const again = await platform.graphql<Catalogue>(CATALOGUE, { slug: DEMO_COMMUNITY.slug });
    expect(again.data).toEqual(result.data);
  });
});
