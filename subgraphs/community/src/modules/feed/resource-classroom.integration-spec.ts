import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { communitiesLinkingCourse, classroomLinksCourse } from './classroom.service.js';
import { feedState } from './feed.test-kit.js';

const NOW = new Date('2025-10-01T09:00:00Z');

const CREATE = `mutation($input: CreateResourceInput!) { createResource(input: $input) { resource {
  id title description folder url locked asset { id } createdBy { id } } } }`;
const UPDATE = `mutation($input: UpdateResourceInput!) { updateResource(input: $input) { resource {
  id title description folder url asset { id } } } }`;
const DELETE = `mutation($input: DeleteResourceInput!) { deleteResource(input: $input) { resourceId } }`;
const LIBRARY = `query($id: ID!, $folder: String, $first: Int, $after: String) { community(id: $id) {
  resourceFolders resources(folder: $folder, first: $first, after: $after) {
    edges { node { title folder } } pageInfo { hasNextPage endCursor } } } }`;
const LINK = `mutation($input: LinkClassroomCourseInput!) { linkClassroomCourse(input: $input) {
  classroomCourse { position course { id } addedBy { id } } } }`;
const UNLINK = `mutation($input: UnlinkClassroomCourseInput!) { unlinkClassroomCourse(input: $input) {
  classroomCourse { position course { id } } } }`;
const CLASSROOM = `query($id: ID!, $first: Int, $after: String) { community(id: $id) {
  classroom(first: $first, after: $after) { edges { node { position course { id } } } pageInfo { hasNextPage endCursor } } } }`;

type Library = {
  community: {
    resourceFolders: string[];
    resources: {
      edges: { node: { title: string; folder: string | null } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  } | null;
};
type Classroom = {
  community: {
    classroom: {
      edges: { node: { position: number; course: { id: string } } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  } | null;
};

describe('the resource library and the classroom', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let admin: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let communityId: string;
  let privateId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('feed_resources', { now: NOW });
    [owner, admin, moderator, member, outsider] = (await Promise.all(
      Array.from({ length: 5 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
    communityId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    for (const id of [communityId, privateId]) {
      await h.member(id, admin, 'ADMIN');
      await h.member(id, moderator, 'MODERATOR');
      await h.member(id, member, 'MEMBER');
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('RESOURCE_MANAGE creates, edits and deletes links and assets; members read them by folder, newest first', async () => {
    const asset = randomUUID();
    const created = [];
    for (const [i, input] of [
      { title: 'Slides', url: 'https://example.com/slides.pdf', folder: ' Week  1 ' },
      { title: 'Recording', assetId: asset, folder: 'Week 1', description: 'The first session' },
      { title: 'Reading list', url: 'https://example.com/reading' },
    ].entries()) {
      h.clock.set(new Date(NOW.getTime() + i * 1000));
      created.push(
        (
          await h.ok<{ createResource: { resource: Record<string, unknown> } }>(
            CREATE,
            { input: { communityId, ...input } },
            moderator,
          )
        ).createResource.resource,
      );
    }
    h.clock.set(NOW);
    expect(created[0]).toMatchObject({
      title: 'Slides',
      folder: 'Week 1',
      url: 'https://example.com/slides.pdf',
      asset: null,
      locked: false,
      createdBy: { id: moderator.id },
    });
    expect(created[1]).toMatchObject({ url: null, asset: { id: asset }, description: 'The first session' });

    const library = async (as: TestUser | null, variables: Record<string, unknown> = {}) =>
      (await h.ok<Library>(LIBRARY, { id: communityId, ...variables }, as)).community!;
    expect((await library(member)).resources.edges.map((e) => e.node.title)).toEqual([
      'Reading list',
      'Recording',
      'Slides',
    ]);
    expect((await library(null)).resourceFolders).toEqual(['Week 1']);
    expect((await library(member, { folder: 'Week 1' })).resources.edges.map((e) => e.node.title)).toEqual([
      'Recording',
      'Slides',
    ]);
    const page = (await library(member, { first: 2 })).resources;
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(
      (await library(member, { first: 2, after: page.pageInfo.endCursor })).resources.edges.map(
        (e) => e.node.title,
      ),
    ).toEqual(['Slides']);

    const updated = await h.ok<{ updateResource: { resource: Record<string, unknown> } }>(
      UPDATE,
      {
        input: {
          resourceId: created[0]!['id'],
          title: 'Slides v2',
          url: 'https://example.com/v2.pdf',
          folder: null,
        },
      },
      admin,
    );
    expect(updated.updateResource.resource).toMatchObject({
      title: 'Slides v2',
      url: 'https://example.com/v2.pdf',
      folder: null,
      asset: null,
    });
    const swapped = await h.ok<{ updateResource: { resource: Record<string, unknown> } }>(
      UPDATE,
      { input: { resourceId: created[0]!['id'], assetId: asset } },
      admin,
    );
    expect(swapped.updateResource.resource).toMatchObject({ url: null, asset: { id: asset } });
    expect(await h.ok(DELETE, { input: { resourceId: created[2]!['id'] } }, moderator)).toEqual({
      deleteResource: { resourceId: created[2]!['id'] },
    });
    expect((await library(member)).resources.edges.map((e) => e.node.title)).toEqual([
      'Recording',
      'Slides v2',
    ]);
  });

  it('refuses bad resources and callers without RESOURCE_MANAGE, changing nothing', async () => {
    const { createResource } = await h.ok<{ createResource: { resource: { id: string } } }>(
      CREATE,
      { input: { communityId: privateId, title: 'Private notes', url: 'https://example.com/notes' } },
      moderator,
    );
    const before = await feedState(h);
    const create = (as: TestUser | null, input: Record<string, unknown>) =>
      h.gql(CREATE, { input: { communityId: privateId, title: 'x', ...input } }, as);
    for (const input of [
      {},
      { url: 'https://example.com', assetId: randomUUID() },
      { url: 'http://example.com' },
      { url: 'javascript:alert(1)' },
      { url: 'https://user:pw@example.com' },
      { url: `https://example.com/${'x'.repeat(2_000)}` },
      { url: 'https://example.com', title: '' },
      { url: 'https://example.com', title: 't'.repeat(201) },
      { url: 'https://example.com', description: 'd'.repeat(2_001) },
      { url: 'https://example.com', folder: 'f'.repeat(61) },
      { assetId: 'not-a-uuid' },
    ])
      expect(codes(await create(moderator, input)), JSON.stringify(input).slice(0, 60)).toEqual([
        'BAD_USER_INPUT',
      ]);
    expect(codes(await create(null, { url: 'https://example.com' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await create(outsider, { url: 'https://example.com' }))).toEqual(['NOT_FOUND']);
    const denied = await create(member, { url: 'https://example.com' });
    expect(denied.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_PERMISSION',
      permission: 'RESOURCE_MANAGE',
    });
    expect(
      (await create(moderator, { url: 'https://example.com', requiredTierId: randomUUID() })).errors?.[0]
        ?.extensions,
    ).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'TIER_MANAGE',
    });
    const id = createResource.resource.id;
    const update = (as: TestUser | null) =>
      h.gql(UPDATE, { input: { resourceId: id, title: 'hijacked' } }, as);
    const del = (as: TestUser | null) => h.gql(DELETE, { input: { resourceId: id } }, as);
    expect(codes(await update(null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await update(outsider))).toEqual(['NOT_FOUND']);
    expect((await update(member)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'RESOURCE_MANAGE',
    });
    expect(codes(await del(null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await del(outsider))).toEqual(['NOT_FOUND']);
    expect((await del(member)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'RESOURCE_MANAGE',
    });
    expect(codes(await h.gql(DELETE, { input: { resourceId: randomUUID() } }, moderator))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await h.gql(UPDATE, { input: { resourceId: id, url: 'ftp://x' } }, moderator))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await feedState(h)).toEqual(before);
    // Outsiders do not see a private library at all.
    expect((await h.ok<Library>(LIBRARY, { id: privateId }, outsider)).community).toBeNull();
  });

  it('links learning courses in order (COMMUNITY_UPDATE or RESOURCE_MANAGE), moves and unlinks them, and tells engagement which communities link a course', async () => {
    const courses = Array.from({ length: 4 }, () => randomUUID());
    const link = (as: TestUser | null, courseId: string, position?: number, id = communityId) =>
      h.gql(
        LINK,
        { input: { communityId: id, courseId, ...(position === undefined ? {} : { position }) } },
        as,
      );
    for (const course of courses.slice(0, 3)) expect(codes(await link(moderator, course))).toEqual([]);
    expect(codes(await link(admin, courses[3]!, 0))).toEqual([]);
    const order = async (as: TestUser | null = member) =>
      (await h.ok<Classroom>(CLASSROOM, { id: communityId }, as)).community!.classroom.edges.map((e) => [
        e.node.position,
        e.node.course.id,
      ]);
    expect(await order()).toEqual([
      [0, courses[3]],
      [1, courses[0]],
      [2, courses[1]],
      [3, courses[2]],
    ]);
    // Linking a linked course moves it.
    const moved = await h.ok<{
      linkClassroomCourse: { classroomCourse: { position: number; addedBy: { id: string } } };
    }>(LINK, { input: { communityId, courseId: courses[2], position: 1 } }, owner);
    expect(moved.linkClassroomCourse.classroomCourse).toEqual({
      position: 1,
      course: { id: courses[2] },
      addedBy: { id: moderator.id },
    });
    expect((await order(null)).map(([, c]) => c)).toEqual([courses[3], courses[2], courses[0], courses[1]]);
    const page = (await h.ok<Classroom>(CLASSROOM, { id: communityId, first: 3 }, member)).community!
      .classroom;
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(
      (
        await h.ok<Classroom>(
          CLASSROOM,
          { id: communityId, first: 3, after: page.pageInfo.endCursor },
          member,
        )
      ).community!.classroom.edges.map((e) => e.node.course.id),
    ).toEqual([courses[1]]);

    await h.ok(UNLINK, { input: { communityId, courseId: courses[2] } }, moderator);
    expect(await order()).toEqual([
      [0, courses[3]],
      [1, courses[0]],
      [2, courses[1]],
    ]);

    // Engagement's view (lesson.completed): which communities link a course.
    await link(owner, courses[0]!, undefined, privateId);
    expect((await communitiesLinkingCourse(h.dataSource.manager, courses[0]!)).sort()).toEqual(
      [communityId, privateId].sort(),
    );
    expect(await communitiesLinkingCourse(h.dataSource.manager, courses[2]!)).toEqual([]);
    expect(await classroomLinksCourse(h.dataSource.manager, communityId, courses[3]!)).toBe(true);
    expect(await classroomLinksCourse(h.dataSource.manager, communityId, courses[2]!)).toBe(false);

    const before = await feedState(h);
    expect(codes(await link(null, randomUUID()))).toEqual(['UNAUTHENTICATED']);
    expect((await link(outsider, randomUUID())).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_MEMBER',
    });
    expect(codes(await link(outsider, randomUUID(), undefined, privateId))).toEqual(['NOT_FOUND']);
    expect((await link(member, randomUUID())).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_PERMISSION',
      permission: 'RESOURCE_MANAGE',
    });
    expect(codes(await link(moderator, 'not-a-course'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await link(moderator, randomUUID(), -1))).toEqual(['BAD_USER_INPUT']);
    const unlink = (as: TestUser | null, courseId: string) =>
      h.gql(UNLINK, { input: { communityId, courseId } }, as);
    expect(codes(await unlink(null, courses[0]!))).toEqual(['UNAUTHENTICATED']);
    expect((await unlink(member, courses[0]!)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'RESOURCE_MANAGE',
    });
    expect(codes(await unlink(moderator, randomUUID()))).toEqual(['NOT_FOUND']);
    expect(await feedState(h)).toEqual(before);
  });

  it('caps a classroom at 100 courses (CLASSROOM_FULL)', async () => {
    const { id } = await h.community(owner);
    await h.dataSource.query(
      `INSERT INTO "community".community_courses (community_id, course_id, position, added_by_id)
       SELECT $1, gen_random_uuid(), n - 1, $2 FROM generate_series(1, 100) AS n`,
      [id, owner.id],
    );
    expect(codes(await h.gql(LINK, { input: { communityId: id, courseId: randomUUID() } }, owner))).toEqual([
      'CLASSROOM_FULL',
    ]);
  });
});
