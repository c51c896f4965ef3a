import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createMessagingHarness,
  subscribe,
  type MessagingHarness,
  type MessagingInstance,
  type TestUser,
} from '../../testing/messaging-harness.js';
import { TOPICS } from './realtime.topics.js';

const START = `mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id cursor } } }`;
const EDIT = `mutation($input: EditMessageInput!) { editMessage(input: $input) { message { id } } }`;
const HIDE = `mutation($input: MessageIdInput!) { hideMessage(input: $input) { message { id } } }`;
const REMOVE = `mutation($input: RemoveConversationMemberInput!) { removeConversationMember(input: $input) { conversation { id } } }`;
const ADD = `mutation($input: AddConversationMembersInput!) { addConversationMembers(input: $input) { conversation { id } } }`;
const TYPING = `mutation($input: SetTypingInput!) { setTyping(input: $input) { isTyping } }`;
const HEARTBEAT = `mutation($input: HeartbeatInput) { heartbeat(input: $input) { status } }`;
const MARK_READ = `mutation($input: MarkReadInput!) { markRead(input: $input) { unreadCount } }`;
const SINCE = `query($id: ID!, $since: String!) { conversation(id: $id) { messagesSince(since: $since, first: 100) { edges { node { id body } } } } }`;

const MESSAGE_ADDED = `subscription($id: ID!) { messageAdded(conversationId: $id) { id body cursor author { id } conversationId reactions { emoji count } } }`;
const MESSAGE_UPDATED = `subscription($id: ID!) { messageUpdated(conversationId: $id) { id body isEdited isHidden } }`;
const TYPING_SUB = `subscription($id: ID!) { typing(conversationId: $id) { conversationId user { id } isTyping } }`;
const PRESENCE_SUB = `subscription($ids: [ID!]!) { presenceChanged(userIds: $ids) { userId status } }`;
const UNREAD_SUB = `subscription { unreadCountsChanged { conversationId unreadCount } }`;

type Added = { messageAdded: { id: string; body: string; cursor: string; author: { id: string } } };

describe('realtime subscriptions (graphql-ws on the subgraph)', () => {
  let h: MessagingHarness;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  let groupId: string;

  beforeAll(async () => {
    h = await createMessagingHarness('realtime');
    [alice, bob, carol, outsider] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
    const g = await h.gql<{ startConversation: { conversation: { id: string } } }>(
      START,
      { input: { userIds: [bob.id, carol.id], name: 'live' } },
      alice,
    );
    groupId = g.data!.startConversation.conversation.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  async function send(as: TestUser, body: string, conversationId = groupId, url?: string) {
    const result = await h.gql<{ sendMessage: { message: { id: string; cursor: string } } }>(
      SEND,
      { input: { conversationId, body } },
      as,
      url,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage.message;
  }

  it('delivers new messages to members, with the author reference and a cursor', async () => {
    const sub = subscribe<Added>(h.ws(bob), MESSAGE_ADDED, { id: groupId });
    await h.subscribers(TOPICS.messageAdded, groupId, 1);
    const sent = await send(alice, 'hello live');
    await sub.next(1);
    expect(sub.results[0]).toEqual({
      data: {
        messageAdded: {
          id: sent.id,
          body: 'hello live',
          cursor: sent.cursor,
          author: { id: alice.id },
          conversationId: groupId,
          reactions: [],
        },
      },
    });
    sub.stop();
  });

  it('refuses a non-member on subscribe with FORBIDDEN, and anonymous with UNAUTHENTICATED', async () => {
    const denied = subscribe(h.ws(outsider), MESSAGE_ADDED, { id: groupId });
    await denied.done;
    expect(denied.results.map(codes)).toEqual([['FORBIDDEN']]);
    const missing = subscribe(h.ws(alice), MESSAGE_ADDED, { id: randomUUID() });
    await missing.done;
    expect(missing.results.map(codes)).toEqual([['FORBIDDEN']]);
    const anonymous = subscribe(h.ws(null), MESSAGE_ADDED, { id: groupId });
    await anonymous.done;
    expect(anonymous.results.map(codes)).toEqual([['UNAUTHENTICATED']]);
    const bad = subscribe(h.ws(alice), MESSAGE_ADDED, { id: 'nope' });
    await bad.done;
    expect(bad.results.map(codes)).toEqual([['BAD_USER_INPUT']]);
  });

  it('checks membership per event: a removed member’s stream ends with FORBIDDEN, the others go on', async () => {
    const dave = await h.user();
    const g = await h.gql<{ startConversation: { conversation: { id: string } } }>(
      START,
      { input: { userIds: [bob.id, dave.id], name: 'churn' } },
      alice,
    );
    const id = g.data!.startConversation.conversation.id;
    const forDave = subscribe<Added>(h.ws(dave), MESSAGE_ADDED, { id });
    const forBob = subscribe<Added>(h.ws(bob), MESSAGE_ADDED, { id });
    await h.subscribers(TOPICS.messageAdded, id, 2);
    await send(alice, 'before', id);
    await Promise.all([forDave.next(1), forBob.next(1)]);
    expect(
      (await h.gql(REMOVE, { input: { conversationId: id, userId: dave.id } }, alice)).errors,
    ).toBeUndefined();
    await send(alice, 'after 1', id);
    await send(alice, 'after 2', id);
    await forBob.next(3);
    expect(forBob.results.map((r) => r.data!.messageAdded.body)).toEqual(['before', 'after 1', 'after 2']);
    await forDave.done;
    expect(forDave.results.map((r) => r.data?.messageAdded.body ?? codes(r))).toEqual([
      'before',
      ['FORBIDDEN'],
    ]);
    // Re-added, Dave subscribes again and receives again.
    expect(
      (await h.gql(ADD, { input: { conversationId: id, userIds: [dave.id] } }, alice)).errors,
    ).toBeUndefined();
    const again = subscribe<Added>(h.ws(dave), MESSAGE_ADDED, { id });
    await h.subscribers(TOPICS.messageAdded, id, 2);
    await send(alice, 'welcome back', id);
    await again.next(1);
    expect(again.results.map((r) => r.data!.messageAdded.body)).toEqual(['welcome back']);
  });

  it('delivers edits and moderator hides, hiding the text from members but not from moderators', async () => {
    const forCarol = subscribe<{
      messageUpdated: { id: string; body: string | null; isHidden: boolean; isEdited: boolean };
    }>(h.ws(carol), MESSAGE_UPDATED, { id: groupId });
    const forAlice = subscribe<{ messageUpdated: { id: string; body: string | null; isHidden: boolean } }>(
      h.ws(alice),
      MESSAGE_UPDATED,
      { id: groupId },
    );
    await h.subscribers(TOPICS.messageUpdated, groupId, 2);
    const sent = await send(bob, 'first draft');
    await h.gql(EDIT, { input: { messageId: sent.id, body: 'second draft' } }, bob);
    await h.gql(HIDE, { input: { messageId: sent.id } }, alice);
    await Promise.all([forCarol.next(2), forAlice.next(2)]);
    expect(forCarol.results.map((r) => r.data!.messageUpdated)).toEqual([
      { id: sent.id, body: 'second draft', isEdited: true, isHidden: false },
      { id: sent.id, body: null, isEdited: true, isHidden: true },
    ]);
    expect(forAlice.results[1]!.data!.messageUpdated).toEqual({
      id: sent.id,
      body: 'second draft',
      isEdited: true,
      isHidden: true,
    });
  });

  it('publishes typing to the other members only', async () => {
    const forCarol = subscribe<{ typing: { user: { id: string }; isTyping: boolean } }>(
      h.ws(carol),
      TYPING_SUB,
      { id: groupId },
    );
    const forBob = subscribe<{ typing: { user: { id: string }; isTyping: boolean } }>(h.ws(bob), TYPING_SUB, {
      id: groupId,
    });
    await h.subscribers(TOPICS.typing, groupId, 2);
    await h.gql(TYPING, { input: { conversationId: groupId, isTyping: true } }, bob);
    await h.gql(TYPING, { input: { conversationId: groupId, isTyping: false } }, carol);
    await Promise.all([forCarol.next(1), forBob.next(1)]);
    expect(forCarol.results.map((r) => r.data!.typing)).toEqual([
      { conversationId: groupId, user: { id: bob.id }, isTyping: true },
    ]);
    expect(forBob.results.map((r) => r.data!.typing)).toEqual([
      { conversationId: groupId, user: { id: carol.id }, isTyping: false },
    ]);
  });

  it('publishes presence changes of the watched users only, and refuses more than 100 ids', async () => {
    const watch = subscribe<{ presenceChanged: { userId: string; status: string } }>(
      h.ws(carol),
      PRESENCE_SUB,
      { ids: [alice.id] },
    );
    await h.subscribers(TOPICS.presence, undefined, 1);
    await h.gql(HEARTBEAT, { input: { status: 'ONLINE' } }, bob); // not watched
    await h.gql(HEARTBEAT, { input: { status: 'ONLINE' } }, alice);
    await h.gql(HEARTBEAT, { input: { status: 'ONLINE' } }, alice); // no change → no event
    await h.gql(HEARTBEAT, { input: { status: 'AWAY' } }, alice);
    await watch.next(2);
    expect(watch.results.map((r) => r.data!.presenceChanged)).toEqual([
      { userId: alice.id, status: 'ONLINE' },
      { userId: alice.id, status: 'AWAY' },
    ]);
    const tooMany = subscribe(h.ws(carol), PRESENCE_SUB, {
      ids: Array.from({ length: 101 }, () => randomUUID()),
    });
    await tooMany.done;
    expect(tooMany.results.map(codes)).toEqual([['BAD_USER_INPUT']]);
  });

  it('tells each member their new unread count, and the reader after markRead', async () => {
    const forCarol = subscribe<{ unreadCountsChanged: { conversationId: string; unreadCount: number } }>(
      h.ws(carol),
      UNREAD_SUB,
    );
    await h.subscribers(TOPICS.unread, carol.id, 1);
    await h.gql(MARK_READ, { input: { conversationId: groupId } }, carol);
    await send(alice, 'count me');
    await forCarol.next(2);
    expect(forCarol.results.map((r) => r.data!.unreadCountsChanged)).toEqual([
      { conversationId: groupId, unreadCount: 0 },
      { conversationId: groupId, unreadCount: 1 },
    ]);
  });

  describe('two subgraph instances sharing Redis', () => {
    let second: MessagingInstance;
    beforeAll(async () => {
      second = await h.startInstance();
    });

    it('deliver an event published on either instance to subscribers of both, once each', async () => {
      const onFirst = subscribe<Added>(h.ws(bob), MESSAGE_ADDED, { id: groupId });
      const onSecond = subscribe<Added>(h.ws(carol, second), MESSAGE_ADDED, { id: groupId });
      await h.subscribers(TOPICS.messageAdded, groupId, 2);
      const viaFirst = await send(alice, 'via first');
      const viaSecond = await send(alice, 'via second', groupId, second.server.url);
      const marker = await send(alice, 'marker', groupId, second.server.url);
      await Promise.all([onFirst.next(3), onSecond.next(3)]);
      const expected = [viaFirst.id, viaSecond.id, marker.id];
      expect(onFirst.results.map((r) => r.data!.messageAdded.id)).toEqual(expected);
      expect(onSecond.results.map((r) => r.data!.messageAdded.id)).toEqual(expected);
    });
  });

  it('lets a reconnecting client catch up with messagesSince: no gap, no duplicate', async () => {
    const first = subscribe<Added>(h.ws(carol), MESSAGE_ADDED, { id: groupId });
    await h.subscribers(TOPICS.messageAdded, groupId, 1);
    await send(alice, 'seen live');
    await first.next(1);
    const lastSeen = first.results.at(-1)!.data!.messageAdded;
    first.stop(); // connection lost
    const missed = [await send(alice, 'missed 1'), await send(bob, 'missed 2')];
    const resumed = subscribe<Added>(h.ws(carol), MESSAGE_ADDED, { id: groupId });
    await h.subscribers(TOPICS.messageAdded, groupId, 1);
    const caughtUp = await h.gql<{
      conversation: { messagesSince: { edges: { node: { id: string; body: string } }[] } };
    }>(SINCE, { id: groupId, since: lastSeen.cursor }, carol);
    expect(caughtUp.data!.conversation.messagesSince.edges.map((e) => e.node.id)).toEqual(
      missed.map((m) => m.id),
    );
    const live = await send(alice, 'live again');
    await resumed.next(1);
    expect(resumed.results.map((r) => r.data!.messageAdded.id)).toEqual([live.id]);
  });
});
