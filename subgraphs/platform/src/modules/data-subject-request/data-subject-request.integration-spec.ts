import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditRows, codes, usePlatformHarness, viewer } from '../../testing/platform-harness.js';

const REQUEST = `mutation($input: RequestDataSubjectRequestInput!) { requestDataSubjectRequest(input: $input) { request { id user { id } kind status requestedAt dueAt completedAt note } } }`;
const SET_STATUS = `mutation($input: SetDataSubjectRequestStatusInput!) { setDataSubjectRequestStatus(input: $input) { request { id status completedAt note } } }`;
const ALL = `query($status: DataSubjectRequestStatus, $userId: ID, $first: Int) { dataSubjectRequests(status: $status, userId: $userId, first: $first) { edges { node { id kind status overdue user { id } } } } }`;
const MINE = `{ myDataSubjectRequests { edges { node { id kind status } } } }`;

type Dsr = {
  overdue?: boolean;
  id: string;
  user: { id: string };
  kind: string;
  status: string;
  requestedAt: string;
  dueAt: string;
  completedAt: string | null;
  note: string | null;
};

describe('data subject requests', () => {
  const h = usePlatformHarness('dsr');
  const admin = viewer(['ADMIN']);
  const support = viewer(['SUPPORT']);
  const learner = viewer(['LEARNER']);
  const other = viewer(['LEARNER']);
  let exportId = '';

  it('a user requests an export of their data, due in 30 days, audited and published', async () => {
    const result = await h.exec<{ requestDataSubjectRequest: { request: Dsr } }>(
      REQUEST,
      { input: { kind: 'EXPORT' } },
      learner,
    );
    expect(result.errors).toBeUndefined();
    const request = result.data!.requestDataSubjectRequest.request;
    exportId = request.id;
    expect(request).toMatchObject({
      user: { id: learner.userId },
      kind: 'EXPORT',
      status: 'RECEIVED',
      completedAt: null,
    });
    expect(Date.parse(request.dueAt) - Date.parse(request.requestedAt)).toBe(30 * 86_400_000);
    const [outbox] = await h.dataSource.query(
      `SELECT event_type, payload FROM "platform".outbox WHERE aggregate_id = $1`,
      [request.id],
    );
    expect(outbox).toMatchObject({
      event_type: 'data_subject.requested',
      payload: { requestId: request.id, userId: learner.userId, kind: 'EXPORT' },
    });
    expect((await auditRows(h.dataSource, 'data_subject_request.created'))[0]).toMatchObject({
      actor_id: learner.userId,
      target_id: request.id,
    });
  });

  it('refuses a second open request of the same kind, anonymous callers, and filing for someone else', async () => {
    expect(codes(await h.exec(REQUEST, { input: { kind: 'EXPORT' } }, learner))).toEqual(['CONFLICT']);
    expect(codes(await h.exec(REQUEST, { input: { kind: 'EXPORT' } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(
      codes(await h.exec(REQUEST, { input: { kind: 'DELETE', userId: other.userId } }, learner)),
    ).toEqual(['FORBIDDEN']);
    const filed = await h.exec(REQUEST, { input: { kind: 'DELETE', userId: other.userId } }, support);
    expect(filed.errors).toBeUndefined();
  });

  it('lists: staff see all, users see their own', async () => {
    const all = await h.exec<{ dataSubjectRequests: { edges: { node: Dsr }[] } }>(ALL, {}, support);
    expect(all.data?.dataSubjectRequests.edges).toHaveLength(2);
    const deletes = await h.exec<{ dataSubjectRequests: { edges: { node: Dsr }[] } }>(
      ALL,
      { userId: other.userId },
      admin,
    );
    expect(deletes.data?.dataSubjectRequests.edges.map((e) => e.node.kind)).toEqual(['DELETE']);
    expect(codes(await h.exec(ALL, {}, learner))).toEqual(['FORBIDDEN']);
    expect(all.data?.dataSubjectRequests.edges.every((e) => e.node.overdue === false)).toBe(true);
    await h.dataSource.query(
      `UPDATE "platform".data_subject_requests SET requested_at = now() - interval '31 days', due_at = now() - interval '1 day' WHERE user_id = $1`,
      [other.userId],
    );
    const late = await h.exec<{ dataSubjectRequests: { edges: { node: Dsr & { overdue: boolean } }[] } }>(
      ALL,
      { userId: other.userId },
      admin,
    );
    expect(late.data?.dataSubjectRequests.edges.map((e) => e.node.overdue)).toEqual([true]);
    const mine = await h.exec<{ myDataSubjectRequests: { edges: { node: Dsr }[] } }>(MINE, {}, learner);
    expect(mine.data?.myDataSubjectRequests.edges.map((e) => e.node.id)).toEqual([exportId]);
  });

  it('ADMIN moves a request through its states; invalid transitions and rejections without a reason are refused', async () => {
    expect(
      codes(await h.exec(SET_STATUS, { input: { id: exportId, status: 'IN_PROGRESS' } }, support)),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.exec(SET_STATUS, { input: { id: exportId, status: 'REJECTED' } }, admin))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      codes(await h.exec(SET_STATUS, { input: { id: randomUUID(), status: 'IN_PROGRESS' } }, admin)),
    ).toEqual(['NOT_FOUND']);
    const progressing = await h.exec<{ setDataSubjectRequestStatus: { request: Dsr } }>(
      SET_STATUS,
      { input: { id: exportId, status: 'IN_PROGRESS' } },
      admin,
    );
    expect(progressing.data?.setDataSubjectRequestStatus.request).toMatchObject({
      status: 'IN_PROGRESS',
      completedAt: null,
    });
    const done = await h.exec<{ setDataSubjectRequestStatus: { request: Dsr } }>(
      SET_STATUS,
      { input: { id: exportId, status: 'COMPLETED' } },
      admin,
    );
    expect(done.data?.setDataSubjectRequestStatus.request.completedAt).not.toBeNull();
    expect(
      codes(await h.exec(SET_STATUS, { input: { id: exportId, status: 'IN_PROGRESS' } }, admin)),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      (await auditRows(h.dataSource, 'data_subject_request.status_set')).map((r) => r.metadata['to']),
    ).toEqual(['IN_PROGRESS', 'COMPLETED']);
    // a completed export frees the slot for a new one
    expect((await h.exec(REQUEST, { input: { kind: 'EXPORT' } }, learner)).errors).toBeUndefined();
  });
});
