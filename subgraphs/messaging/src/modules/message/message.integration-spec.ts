import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  codes,
  createMessagingHarness,
  type MessagingHarness,
  type TestUser,
} from '../../testing/messaging-harness.js';

const START = `mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id body parentId cursor author { id } isEdited isDeleted isHidden parent { id body } } } }`;
const EDIT = `mutation($input: EditMessageInput!) { editMessage(input: $input) { message { id body isEdited editedAt } } }`;
const DELETE = `mutation($input: MessageIdInput!) { deleteMessage(input: $input) { message { id body isDeleted } } }`;
const HIDE = `mutation($input: MessageIdInput!) { hideMessage(input: $input) { message { id body isHidden } } }`;
const RESTORE = `mutation($input: MessageIdInput!) { restoreMessage(input: $input) { message { id body isHidden } } }`;
const REACT = `mutation($input: ReactionInput!) { addReaction(input: $input) { message { id reactions { emoji count reactedByViewer } } } }`;
const UNREACT = `mutation($input: ReactionInput!) { removeReaction(input: $input) { message { id reactions { emoji count reactedByViewer } } } }`;
const MUTE = `mutation($input: MuteMemberInput!) { muteMember(input: $input) { member { user { id } mutedUntil } } }`;
const UNMUTE = `mutation($input: UnmuteMemberInput!) { unmuteMember(input: $input) { member { mutedUntil } } }`;
const MARK_READ = `mutation($input: MarkReadInput!) { markRead(input: $input) { conversationId unreadCount lastReadAt } }`;
const UNREAD = `{ unreadCounts { total conversations { conversationId unreadCount } } }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String) { conversation(id: $id) { messages(first: $first, after: $after) { edges { cursor node { id body author { id } replyCount reactions { emoji count } parent { id } } } pageInfo { hasNextPage endCursor } } } }`;
const SINCE = `query($id: ID!, $since: String!, $first: Int) { conversation(id: $id) { messagesSince(since: $since, first: $first) { edges { node { id body } } pageInfo { hasNextPage endCursor } } } }`;
const TYPING = `mutation($input: SetTypingInput!) { setTyping(input: $input) { conversationId isTyping } }`;
const HEARTBEAT = `mutation($input: HeartbeatInput) { heartbeat(input: $input) { userId status lastSeenAt } }`;
const PRESENCE = `query($ids: [ID!]!) { presence(userIds: $ids) { userId status } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id presence { status } } ... on Message { id body } ... on Conversation { id kind } } }`;

type Sent = {
  sendMessage: { message: { id: string; body: string; cursor: string; parentId: string | null } };
};

describe('messages', () => {
  let h: MessagingHarness;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  let groupId: string;

  beforeAll(async () => {
    h = await createMessagingHarness('messages');
    [alice, bob, carol, outsider] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
    const g = await h.gql<{ startConversation: { conversation: { id: string } } }>(
      START,
      { input: { userIds: [bob.id, carol.id], name: 'g' } },
      alice,
    );
    groupId = g.data!.startConversation.conversation.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  async function send(as: TestUser, body: string, conversationId = groupId, parentId?: string) {
    const result = await h.gql<Sent>(
      SEND,
      { input: { conversationId, body, ...(parentId ? { parentId } : {}) } },
      as,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage.message;
  }

  async function messageCount(): Promise<number> {
    const [row] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM "messaging".messages`)) as {
      n: number;
    }[];
    return row!.n;
  }

  describe('sendMessage', () => {
    it('posts a trimmed message and a reply, with an outbox event', async () => {
      const message = await send(alice, '  hello  ');
      expect(message).toMatchObject({
        body: 'hello',
        author: { id: alice.id },
        isEdited: false,
        isDeleted: false,
        isHidden: false,
        parent: null,
      });
      const reply = await send(bob, 'hi!', groupId, message.id);
      expect(reply).toMatchObject({ parentId: message.id, parent: { id: message.id, body: 'hello' } });
      const events = (await h.dataSource.query(
        `SELECT event_type, aggregate_id FROM "messaging".outbox WHERE aggregate_id = $1`,
        [reply.id],
      )) as unknown[];
      expect(events).toEqual([{ event_type: 'message.sent', aggregate_id: reply.id }]);
    });

    it('accepts 5,000 characters and rejects empty, blank or longer text, changing nothing', async () => {
      await send(alice, 'x'.repeat(5000));
      const before = await messageCount();
      for (const body of ['', '   ', 'y'.repeat(5001)]) {
        expect(codes(await h.gql(SEND, { input: { conversationId: groupId, body } }, alice))).toEqual([
          'BAD_USER_INPUT',
        ]);
      }
      expect(
        codes(
          await h.gql(SEND, { input: { conversationId: groupId, body: 'x', parentId: randomUUID() } }, alice),
        ),
      ).toEqual(['BAD_USER_INPUT']);
      expect(await messageCount()).toBe(before);
    });

    it('denies non-members and anonymous callers', async () => {
      const before = await messageCount();
      expect(
        codes(await h.gql(SEND, { input: { conversationId: groupId, body: 'let me in' } }, outsider)),
      ).toEqual(['FORBIDDEN']);
      expect(codes(await h.gql(SEND, { input: { conversationId: groupId, body: 'anon' } }, null))).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(codes(await h.gql(SEND, { input: { conversationId: randomUUID(), body: 'x' } }, alice))).toEqual(
        ['NOT_FOUND'],
      );
      expect(await messageCount()).toBe(before);
    });

    it('lets only owners and moderators post in an announcement channel', async () => {
      const instructor = await h.user(['INSTRUCTOR']);
      const channel = await h.gql<{ createChannel: { conversation: { id: string } } }>(
        `mutation($input: CreateChannelInput!) { createChannel(input: $input) { conversation { id } } }`,
        { input: { communityId: randomUUID(), name: 'news', type: 'ANNOUNCEMENT', memberIds: [bob.id] } },
        instructor,
      );
      const channelId = channel.data!.createChannel.conversation.id;
      expect(codes(await h.gql(SEND, { input: { conversationId: channelId, body: 'me too' } }, bob))).toEqual(
        ['FORBIDDEN'],
      );
      await send(instructor, 'Welcome!', channelId);
    });
  });

  describe('edit and delete', () => {
    it('lets only the author edit', async () => {
      const message = await send(alice, 'typo');
      expect(codes(await h.gql(EDIT, { input: { messageId: message.id, body: 'hacked' } }, bob))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await h.gql(EDIT, { input: { messageId: message.id, body: ' ' } }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
      const edited = await h.gql(EDIT, { input: { messageId: message.id, body: 'fixed' } }, alice);
      expect(edited.data).toMatchObject({
        editMessage: { message: { body: 'fixed', isEdited: true, editedAt: expect.any(String) } },
      });
    });

    it('lets the author or a moderator delete (soft: the text is removed), not another member', async () => {
      const mine = await send(bob, 'oops');
      expect(codes(await h.gql(DELETE, { input: { messageId: mine.id } }, carol))).toEqual(['FORBIDDEN']);
      expect((await h.gql(DELETE, { input: { messageId: mine.id } }, bob)).data).toEqual({
        deleteMessage: { message: { id: mine.id, body: null, isDeleted: true } },
      });
      const [row] = (await h.dataSource.query(
        `SELECT body, deleted_at FROM "messaging".messages WHERE id = $1`,
        [mine.id],
      )) as { body: string | null; deleted_at: Date }[];
      expect(row).toEqual({ body: null, deleted_at: expect.any(Date) });
      expect(codes(await h.gql(EDIT, { input: { messageId: mine.id, body: 'back' } }, bob))).toEqual([
        'MESSAGE_DELETED',
      ]);
      const carols = await send(carol, 'spam');
      expect((await h.gql(DELETE, { input: { messageId: carols.id } }, alice)).data).toMatchObject({
        deleteMessage: { message: { isDeleted: true } },
      });
      const platformModerator = await h.user(['MODERATOR']);
      const another = await send(carol, 'more spam');
      expect(
        (await h.gql(DELETE, { input: { messageId: another.id } }, platformModerator)).data,
      ).toMatchObject({ deleteMessage: { message: { isDeleted: true } } });
    });
  });

  describe('moderation', () => {
    it('lets moderators hide and restore; members see no text while hidden, moderators do', async () => {
      const message = await send(carol, 'rude words');
      expect(codes(await h.gql(HIDE, { input: { messageId: message.id } }, bob))).toEqual(['FORBIDDEN']);
      expect((await h.gql(HIDE, { input: { messageId: message.id } }, alice)).data).toEqual({
        hideMessage: { message: { id: message.id, body: 'rude words', isHidden: true } },
      });
      const asMember = await h.gql<{ _entities: { body: string | null }[] }>(
        ENTITIES,
        { r: [{ __typename: 'Message', id: message.id }] },
        bob,
      );
      expect(asMember.data!._entities).toEqual([{ id: message.id, body: null }]);
      expect(
        (await h.gql(ENTITIES, { r: [{ __typename: 'Message', id: message.id }] }, outsider)).data,
      ).toEqual({ _entities: [null] });
      expect((await h.gql(RESTORE, { input: { messageId: message.id } }, alice)).data).toEqual({
        restoreMessage: { message: { id: message.id, body: 'rude words', isHidden: false } },
      });
    });

    it('mutes a member: a muted member cannot post until unmuted; members cannot mute', async () => {
      expect(
        codes(await h.gql(MUTE, { input: { conversationId: groupId, userId: carol.id, minutes: 10 } }, bob)),
      ).toEqual(['FORBIDDEN']);
      expect(
        codes(await h.gql(MUTE, { input: { conversationId: groupId, userId: carol.id, minutes: 0 } }, alice)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(await h.gql(MUTE, { input: { conversationId: groupId, userId: alice.id, minutes: 5 } }, alice)),
      ).toEqual(['BAD_USER_INPUT']);
      const muted = await h.gql(
        MUTE,
        { input: { conversationId: groupId, userId: carol.id, minutes: 10 } },
        alice,
      );
      expect(muted.data).toMatchObject({
        muteMember: { member: { user: { id: carol.id }, mutedUntil: expect.any(String) } },
      });
      const before = await messageCount();
      const denied = await h.gql(SEND, { input: { conversationId: groupId, body: 'can I?' } }, carol);
      expect(codes(denied)).toEqual(['MEMBER_MUTED']);
      expect(await messageCount()).toBe(before);
      expect(
        (await h.gql(UNMUTE, { input: { conversationId: groupId, userId: carol.id } }, alice)).data,
      ).toEqual({ unmuteMember: { member: { mutedUntil: null } } });
      await send(carol, 'thanks');
    });
  });

  describe('reactions', () => {
    it('keeps one reaction per user per emoji and reports the viewer’s own', async () => {
      const message = await send(alice, 'react to me');
      await h.gql(REACT, { input: { messageId: message.id, emoji: '👍' } }, bob);
      await h.gql(REACT, { input: { messageId: message.id, emoji: '👍' } }, bob);
      const result = await h.gql(REACT, { input: { messageId: message.id, emoji: '👍' } }, carol);
      expect(result.data).toEqual({
        addReaction: {
          message: { id: message.id, reactions: [{ emoji: '👍', count: 2, reactedByViewer: true }] },
        },
      });
      expect(
        codes(await h.gql(REACT, { input: { messageId: message.id, emoji: 'two words' } }, bob)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.gql(REACT, { input: { messageId: message.id, emoji: '👍' } }, outsider))).toEqual([
        'FORBIDDEN',
      ]);
      const removed = await h.gql(UNREACT, { input: { messageId: message.id, emoji: '👍' } }, bob);
      expect(removed.data).toEqual({
        removeReaction: {
          message: { id: message.id, reactions: [{ emoji: '👍', count: 1, reactedByViewer: false }] },
        },
      });
    });
  });

  describe('history and read state', () => {
    let conversationId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      const erin = await h.user();
      const r = await h.gql<{ startConversation: { conversation: { id: string } } }>(
        START,
        { input: { userIds: [erin.id] } },
        alice,
      );
      conversationId = r.data!.startConversation.conversation.id;
      for (let i = 0; i < 12; i += 1)
        ids.push((await send(i % 2 ? erin : alice, `m${i}`, conversationId, i > 0 ? ids[0] : undefined)).id);
      await h.gql(REACT, { input: { messageId: ids[0], emoji: '🎉' } }, alice);
    });

    it('pages newest first by keyset cursor with bounded SQL whatever the page size', async () => {
      const seen: string[] = [];
      const costs: number[] = [];
      let after: string | null = null;
      for (const first of [3, 9]) {
        h.counter.reset();
        const page: {
          data?: {
            conversation: {
              messages: {
                edges: { node: { id: string } }[];
                pageInfo: { endCursor: string; hasNextPage: boolean };
              };
            };
          } | null;
        } = await h.gql(HISTORY, { id: conversationId, first, after }, alice);
        costs.push(h.counter.count);
        seen.push(...page.data!.conversation.messages.edges.map((e) => e.node.id));
        after = page.data!.conversation.messages.pageInfo.endCursor;
      }
      expect(seen).toEqual([...ids].reverse());
      // conversation + membership + page + reply counts + reactions + parents, independent of the page size.
      expect(costs[0]).toBeLessThanOrEqual(7);
      expect(costs[1]).toBe(costs[0]);
      expect(codes(await h.gql(HISTORY, { id: conversationId, first: 500 }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await h.gql(HISTORY, { id: conversationId, after: 'garbage' }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await h.gql(HISTORY, { id: conversationId }, outsider))).toEqual(['FORBIDDEN']);
    });

    it('catches up after a cursor, oldest first', async () => {
      const first = await h.gql<{
        conversation: { messages: { edges: { cursor: string; node: { id: string } }[] } };
      }>(HISTORY, { id: conversationId, first: 12 }, alice);
      const oldest = first.data!.conversation.messages.edges.at(-1)!; // ids[0]
      const since = await h.gql<{
        conversation: {
          messagesSince: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
        };
      }>(SINCE, { id: conversationId, since: oldest.cursor, first: 5 }, alice);
      expect(since.data!.conversation.messagesSince.edges.map((e) => e.node.id)).toEqual(ids.slice(1, 6));
      expect(since.data!.conversation.messagesSince.pageInfo.hasNextPage).toBe(true);
      expect(codes(await h.gql(SINCE, { id: conversationId, since: 'nope' }, alice))).toEqual([
        'BAD_USER_INPUT',
      ]);
    });

    it('counts unread messages of others and moves the read mark forward only', async () => {
      const unread = await h.gql<{
        unreadCounts: { total: number; conversations: { conversationId: string; unreadCount: number }[] };
      }>(UNREAD, {}, alice);
      expect(unread.data!.unreadCounts.conversations).toContainEqual({ conversationId, unreadCount: 6 });
      const partial = await h.gql(MARK_READ, { input: { conversationId, messageId: ids[5] } }, alice);
      expect(partial.data).toMatchObject({ markRead: { conversationId, unreadCount: 3 } });
      const all = await h.gql(MARK_READ, { input: { conversationId } }, alice);
      expect(all.data).toMatchObject({ markRead: { unreadCount: 0 } });
      const back = await h.gql(MARK_READ, { input: { conversationId, messageId: ids[1] } }, alice);
      expect(back.data).toMatchObject({ markRead: { unreadCount: 0 } });
      expect(
        codes(await h.gql(MARK_READ, { input: { conversationId, messageId: randomUUID() } }, alice)),
      ).toEqual(['NOT_FOUND']);
      expect(codes(await h.gql(MARK_READ, { input: { conversationId } }, outsider))).toEqual(['FORBIDDEN']);
    });
  });

  describe('typing and presence', () => {
    beforeEach(async () => {
      await h.gql(HEARTBEAT, { input: { status: 'OFFLINE' } }, alice);
    });

    it('accepts typing from members only', async () => {
      expect((await h.gql(TYPING, { input: { conversationId: groupId, isTyping: true } }, bob)).data).toEqual(
        { setTyping: { conversationId: groupId, isTyping: true } },
      );
      expect(
        codes(await h.gql(TYPING, { input: { conversationId: groupId, isTyping: true } }, outsider)),
      ).toEqual(['FORBIDDEN']);
    });

    it('stores presence with a 5 minute TTL and reads it per user (≤ 100 ids)', async () => {
      expect((await h.gql(PRESENCE, { ids: [alice.id] }, bob)).data).toEqual({
        presence: [{ userId: alice.id, status: 'OFFLINE' }],
      });
      const beat = await h.gql(HEARTBEAT, { input: { status: 'AWAY' } }, alice);
      expect(beat.data).toMatchObject({
        heartbeat: { userId: alice.id, status: 'AWAY', lastSeenAt: expect.any(String) },
      });
      const ttl = await h.redis.ttl(`${h.prefix}messaging:presence:${alice.id}`);
      expect(ttl).toBeGreaterThan(240);
      expect(ttl).toBeLessThanOrEqual(300);
      expect((await h.gql(PRESENCE, { ids: [alice.id, bob.id] }, carol)).data).toEqual({
        presence: [
          { userId: alice.id, status: 'AWAY' },
          { userId: bob.id, status: 'OFFLINE' },
        ],
      });
      const users = await h.gql(ENTITIES, { r: [{ __typename: 'User', id: alice.id }] }, carol);
      expect(users.data).toEqual({ _entities: [{ id: alice.id, presence: { status: 'AWAY' } }] });
      expect(
        codes(await h.gql(PRESENCE, { ids: Array.from({ length: 101 }, () => randomUUID()) }, bob)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.gql(PRESENCE, { ids: [alice.id] }, null))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await h.gql(HEARTBEAT, {}, null))).toEqual(['UNAUTHENTICATED']);
    });
  });
});
