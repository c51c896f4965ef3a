import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createMessagingHarness,
  type MessagingHarness,
  type TestUser,
} from '../../testing/messaging-harness.js';

const START = `mutation($input: StartConversationInput!) { startConversation(input: $input) { created conversation { id kind name viewerRole memberCount } } }`;
const CREATE_CHANNEL = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { conversation { id kind communityId channelType name viewerRole } } }`;
const ADD = `mutation($input: AddConversationMembersInput!) { addConversationMembers(input: $input) { conversation { id memberCount } } }`;
const REMOVE = `mutation($input: RemoveConversationMemberInput!) { removeConversationMember(input: $input) { conversation { id memberCount } } }`;
const LEAVE = `mutation($input: LeaveConversationInput!) { leaveConversation(input: $input) { conversationId } }`;
const SET_ROLE = `mutation($input: SetConversationMemberRoleInput!) { setConversationMemberRole(input: $input) { member { role user { id } } } }`;
const CONVERSATION = `query($id: ID!) { conversation(id: $id) { id kind viewerRole memberCount members(first: 2) { nodes { user { id } role } nextCursor } } }`;
const CONVERSATIONS = `query($first: Int, $after: String, $kind: ConversationKind) { conversations(first: $first, after: $after, kind: $kind) { edges { cursor node { id kind unreadCount lastMessage { id body } } } pageInfo { hasNextPage endCursor } } }`;
const CHANNELS = `query($communityId: ID!) { communityChannels(communityId: $communityId) { edges { node { id name } } } }`;

describe('conversations', () => {
  let h: MessagingHarness;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    h = await createMessagingHarness('conversations');
    [alice, bob, carol] = await Promise.all([h.user(), h.user(), h.user()]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function count(table: string): Promise<number> {
    const [row] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM "messaging".${table}`)) as {
      n: number;
    }[];
    return row!.n;
  }

  describe('startConversation', () => {
    it('reuses the 1:1 conversation whoever starts it', async () => {
      const first = await h.gql<{
        startConversation: {
          created: boolean;
          conversation: { id: string; kind: string; memberCount: number };
        };
      }>(START, { input: { userIds: [bob.id] } }, alice);
      expect(first.errors).toBeUndefined();
      expect(first.data!.startConversation).toMatchObject({
        created: true,
        conversation: { kind: 'DIRECT', memberCount: 2, viewerRole: 'MEMBER' },
      });
      const again = await h.gql<typeof first.data>(START, { input: { userIds: [bob.id, alice.id] } }, alice);
      const fromBob = await h.gql<typeof first.data>(START, { input: { userIds: [alice.id] } }, bob);
      expect(again.data!.startConversation).toMatchObject({
        created: false,
        conversation: { id: first.data!.startConversation.conversation.id },
      });
      expect(fromBob.data!.startConversation).toMatchObject({
        created: false,
        conversation: { id: first.data!.startConversation.conversation.id },
      });
    });

    it('creates one 1:1 conversation even when both people start it at once', async () => {
      const [x, y] = await Promise.all([h.user(), h.user()]);
      const results = await Promise.all(
        [x, y, x, y, x].map((as) =>
          h.gql<{ startConversation: { created: boolean; conversation: { id: string } } }>(
            START,
            { input: { userIds: [as === x ? y.id : x.id] } },
            as,
          ),
        ),
      );
      const ids = new Set(results.map((r) => r.data!.startConversation.conversation.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.data!.startConversation.created)).toHaveLength(1);
    });

    it('creates a group owned by its creator, at most 50 members', async () => {
      const group = await h.gql<{ startConversation: { conversation: { id: string } } }>(
        START,
        { input: { userIds: [bob.id, carol.id], name: '  Study group ' } },
        alice,
      );
      expect(group.data!.startConversation).toMatchObject({
        created: true,
        conversation: { kind: 'GROUP', name: 'Study group', viewerRole: 'OWNER', memberCount: 3 },
      });
      const before = await count('conversations');
      const tooMany = await h.gql(
        START,
        { input: { userIds: Array.from({ length: 50 }, () => randomUUID()) } },
        alice,
      );
      expect(codes(tooMany)).toEqual(['GROUP_FULL']);
      expect(await count('conversations')).toBe(before);
    });

    it('rejects bad input with a typed error and changes nothing', async () => {
      const before = await count('conversations');
      expect(codes(await h.gql(START, { input: { userIds: [] } }, alice))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.gql(START, { input: { userIds: [alice.id] } }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await h.gql(START, { input: { userIds: ['not-a-uuid'] } }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(
        codes(await h.gql(START, { input: { userIds: [bob.id, carol.id], name: 'x'.repeat(81) } }, alice)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(await count('conversations')).toBe(before);
    });

    it('denies anonymous callers', async () => {
      expect(codes(await h.gql(START, { input: { userIds: [bob.id] } }, null))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('channels', () => {
    const communityId = randomUUID();

    it('are created by instructors, moderators and admins only', async () => {
      const learner = await h.user(['LEARNER']);
      const denied = await h.gql(CREATE_CHANNEL, { input: { communityId, name: 'general' } }, learner);
      expect(codes(denied)).toEqual(['FORBIDDEN']);
      const instructor = await h.user(['INSTRUCTOR']);
      const created = await h.gql<{ createChannel: { conversation: { id: string } } }>(
        CREATE_CHANNEL,
        { input: { communityId, name: 'general', type: 'ANNOUNCEMENT', memberIds: [alice.id] } },
        instructor,
      );
      expect(created.data!.createChannel.conversation).toMatchObject({
        kind: 'CHANNEL',
        communityId,
        channelType: 'ANNOUNCEMENT',
        name: 'general',
        viewerRole: 'OWNER',
      });
      const listed = await h.gql<{ communityChannels: { edges: { node: { id: string } }[] } }>(
        CHANNELS,
        { communityId },
        alice,
      );
      expect(listed.data!.communityChannels.edges.map((e) => e.node.id)).toEqual([
        created.data!.createChannel.conversation.id,
      ]);
      expect(
        (await h.gql<{ communityChannels: { edges: unknown[] } }>(CHANNELS, { communityId }, bob)).data!
          .communityChannels.edges,
      ).toEqual([]);
    });
  });

  describe('membership management', () => {
    let groupId: string;
    beforeAll(async () => {
      const group = await h.gql<{ startConversation: { conversation: { id: string } } }>(
        START,
        { input: { userIds: [bob.id], name: 'pair' } },
        alice,
      );
      // One other participant makes a 1:1; build a group with two and then manage it.
      expect(group.data!.startConversation.conversation.id).toBeTruthy();
      const g = await h.gql<{ startConversation: { conversation: { id: string } } }>(
        START,
        { input: { userIds: [bob.id, carol.id], name: 'managed' } },
        alice,
      );
      groupId = g.data!.startConversation.conversation.id;
    });

    it('lets the owner add and remove members; plain members are denied and nothing changes', async () => {
      const dave = await h.user();
      expect(
        codes(await h.gql(ADD, { input: { conversationId: groupId, userIds: [dave.id] } }, bob)),
      ).toEqual(['FORBIDDEN']);
      expect(
        codes(await h.gql(REMOVE, { input: { conversationId: groupId, userId: carol.id } }, bob)),
      ).toEqual(['FORBIDDEN']);
      expect(
        (
          await h.gql<{ addConversationMembers: { conversation: { memberCount: number } } }>(
            ADD,
            { input: { conversationId: groupId, userIds: [dave.id] } },
            alice,
          )
        ).data!.addConversationMembers.conversation.memberCount,
      ).toBe(4);
      const removed = await h.gql<{ removeConversationMember: { conversation: { memberCount: number } } }>(
        REMOVE,
        { input: { conversationId: groupId, userId: dave.id } },
        alice,
      );
      expect(removed.data!.removeConversationMember.conversation.memberCount).toBe(3);
      expect(codes(await h.gql(CONVERSATION, { id: groupId }, dave))).toEqual(['FORBIDDEN']);
      expect(
        codes(await h.gql(REMOVE, { input: { conversationId: groupId, userId: alice.id } }, alice)),
      ).toEqual(['FORBIDDEN']);
    });

    it('keeps a group at 50 members', async () => {
      const ids = Array.from({ length: 47 }, () => randomUUID());
      expect(
        (await h.gql(ADD, { input: { conversationId: groupId, userIds: ids } }, alice)).errors,
      ).toBeUndefined();
      const full = await h.gql(ADD, { input: { conversationId: groupId, userIds: [randomUUID()] } }, alice);
      expect(codes(full)).toEqual(['GROUP_FULL']);
      const [row] = (await h.dataSource.query(
        `SELECT count(*)::int AS n FROM "messaging".conversation_members WHERE conversation_id = $1`,
        [groupId],
      )) as { n: number }[];
      expect(row!.n).toBe(50);
    });

    it('lets the owner appoint moderators; moderators cannot change roles', async () => {
      const set = await h.gql(
        SET_ROLE,
        { input: { conversationId: groupId, userId: bob.id, role: 'MODERATOR' } },
        alice,
      );
      expect(set.data).toEqual({
        setConversationMemberRole: { member: { role: 'MODERATOR', user: { id: bob.id } } },
      });
      expect(
        codes(
          await h.gql(
            SET_ROLE,
            { input: { conversationId: groupId, userId: carol.id, role: 'MODERATOR' } },
            bob,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(
        codes(
          await h.gql(
            SET_ROLE,
            { input: { conversationId: groupId, userId: carol.id, role: 'OWNER' } },
            alice,
          ),
        ),
      ).toEqual(['BAD_USER_INPUT']);
    });

    it('pages members by cursor and hides the conversation from non-members', async () => {
      const page = await h.gql<{ conversation: { members: { nodes: unknown[]; nextCursor: string } } }>(
        CONVERSATION,
        { id: groupId },
        carol,
      );
      expect(page.data!.conversation.members.nodes).toHaveLength(2);
      expect(page.data!.conversation.members.nextCursor).toEqual(expect.any(String));
      const outsider = await h.user();
      expect(codes(await h.gql(CONVERSATION, { id: groupId }, outsider))).toEqual(['FORBIDDEN']);
      expect(codes(await h.gql(CONVERSATION, { id: randomUUID() }, outsider))).toEqual(['NOT_FOUND']);
      expect(codes(await h.gql(CONVERSATION, { id: groupId }, null))).toEqual(['UNAUTHENTICATED']);
    });

    it('lets members leave a group but not a 1:1; an owner leaving hands ownership on', async () => {
      expect((await h.gql(LEAVE, { input: { conversationId: groupId } }, carol)).data).toEqual({
        leaveConversation: { conversationId: groupId },
      });
      expect(codes(await h.gql(CONVERSATION, { id: groupId }, carol))).toEqual(['FORBIDDEN']);
      const direct = await h.gql<{ startConversation: { conversation: { id: string } } }>(
        START,
        { input: { userIds: [carol.id] } },
        alice,
      );
      expect(
        codes(
          await h.gql(
            LEAVE,
            { input: { conversationId: direct.data!.startConversation.conversation.id } },
            alice,
          ),
        ),
      ).toEqual(['BAD_USER_INPUT']);
      await h.gql(LEAVE, { input: { conversationId: groupId } }, alice);
      const asBob = await h.gql<{ conversation: { viewerRole: string } }>(CONVERSATION, { id: groupId }, bob);
      expect(asBob.data!.conversation.viewerRole).toBe('OWNER');
    });
  });

  describe('inbox', () => {
    it('lists the viewer’s conversations by recent activity with bounded SQL per page', async () => {
      const erin = await h.user();
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const other = await h.user();
        const r = await h.gql<{ startConversation: { conversation: { id: string } } }>(
          START,
          { input: { userIds: [other.id] } },
          erin,
        );
        ids.push(r.data!.startConversation.conversation.id);
        await h.gql(
          `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }`,
          { input: { conversationId: r.data!.startConversation.conversation.id, body: `hi ${i}` } },
          other,
        );
      }
      const queries: number[] = [];
      let after: string | null = null;
      const seen: string[] = [];
      for (const first of [2, 4]) {
        h.counter.reset();
        const page: {
          data?: null | {
            conversations: {
              edges: { node: { id: string; unreadCount: number; lastMessage: { body: string } } }[];
              pageInfo: { endCursor: string };
            };
          };
        } = await h.gql(CONVERSATIONS, { first, after }, erin);
        queries.push(h.counter.count);
        seen.push(...page.data!.conversations.edges.map((e) => e.node.id));
        expect(
          page.data!.conversations.edges.every(
            (e) => e.node.unreadCount === 1 && e.node.lastMessage.body.startsWith('hi'),
          ),
        ).toBe(true);
        after = page.data!.conversations.pageInfo.endCursor;
      }
      expect(seen).toEqual([...ids].reverse());
      // page + memberships + unread counts + last messages, whatever the page size.
      expect(queries[0]).toBeLessThanOrEqual(4);
      expect(queries[1]).toBe(queries[0]);
      expect(codes(await h.gql(CONVERSATIONS, { first: 101 }, erin))).toEqual(['BAD_USER_INPUT']);
    });
  });
});
