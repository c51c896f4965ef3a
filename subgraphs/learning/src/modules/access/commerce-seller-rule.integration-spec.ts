import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLearningHarness,
  INTERNAL_TOKEN,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';
import { COMMERCE_SELLER_RULE_PATH } from './commerce-seller-rule.js';

let h: LearningHarness;
let instructor: TestUser;
let author: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('seller_rule');
  [instructor, author] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['INSTRUCTOR'])]);
});
afterAll(async () => {
  await h?.close();
});

async function ask(
  body: unknown,
  authorization: string | null = `Bearer ${INTERNAL_TOKEN}`,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(COMMERCE_SELLER_RULE_PATH, h.server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('POST /internal/commerce/seller (commerce asks who may sell a course or an ebook)', () => {
  it("answers a course's instructor and an ebook's author, draft or not, and 404 for what does not exist", async () => {
    const { createCourse } = await h.ok<{ createCourse: { course: { id: string } } }>(
      `mutation { createCourse(input: { title: "Sold course" }) { course { id } } }`,
      {},
      instructor,
    );
    const { createEbook } = await h.ok<{ createEbook: { ebook: { id: string } } }>(
      `mutation { createEbook(input: { title: "Sold ebook" }) { ebook { id } } }`,
      {},
      author,
    );
    expect(await ask({ kind: 'COURSE', refId: createCourse.course.id })).toEqual({
      status: 200,
      body: { ownerIds: [instructor.id], title: 'Sold course' },
    });
    expect(await ask({ kind: 'EBOOK', refId: createEbook.ebook.id })).toEqual({
      status: 200,
      body: { ownerIds: [author.id], title: 'Sold ebook' },
    });
    // A course id is not an ebook, and the other way round.
    expect((await ask({ kind: 'EBOOK', refId: createCourse.course.id })).status).toBe(404);
    expect((await ask({ kind: 'COURSE', refId: createEbook.ebook.id })).status).toBe(404);
    expect((await ask({ kind: 'COURSE', refId: randomUUID() })).status).toBe(404);
    expect((await ask({ kind: 'COURSE', refId: 'not-a-uuid' })).status).toBe(404);
  });

  it('refuses calls without the internal token (401) and kinds learning does not own (400)', async () => {
    const refId = randomUUID();
    expect((await ask({ kind: 'COURSE', refId }, null)).status).toBe(401);
    expect((await ask({ kind: 'COURSE', refId }, 'Bearer wrong-token')).status).toBe(401);
    expect((await ask({ kind: 'COURSE', refId }, INTERNAL_TOKEN)).status).toBe(401);
    expect(await ask({ kind: 'COMMUNITY_TIER', refId })).toMatchObject({ status: 400 });
    expect(await ask({ kind: 'COURSE' })).toMatchObject({ status: 400 });
    expect(await ask('[]')).toMatchObject({ status: 400 });
  });
});
