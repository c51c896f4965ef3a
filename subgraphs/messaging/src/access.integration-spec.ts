import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessagingSchema } from './schema.js';
import {
  codes,
  createMessagingHarness,
  subscribe,
  type MessagingHarness,
  type TestUser,
} from './testing/messaging-harness.js';

/** One operation per root field, with variables shaped for a conversation and a message. */
function operations(
  conversationId: string,
  messageId: string,
  userId: string,
): Record<string, [string, Record<string, unknown>]> {
  const c = { conversationId };
  const m = { messageId };
  return {
    conversation: [`query($id: ID!) { conversation(id: $id) { id } }`, { id: conversationId }],
    conversations: [`{ conversations { edges { cursor } } }`, {}],
    communityChannels: [
      `query($c: ID!) { communityChannels(communityId: $c) { edges { cursor } } }`,
      { c: randomUUID() },
    ],
    unreadCounts: [`{ unreadCounts { total } }`, {}],
    presence: [`query($ids: [ID!]!) { presence(userIds: $ids) { status } }`, { ids: [userId] }],
    createChannel: [
      `mutation($i: CreateChannelInput!) { createChannel(input: $i) { conversation { id } } }`,
      { i: { communityId: randomUUID(), name: 'x' } },
    ],
    startConversation: [
      `mutation($i: StartConversationInput!) { startConversation(input: $i) { created } }`,
      { i: { userIds: [userId] } },
    ],
    addConversationMembers: [
      `mutation($i: AddConversationMembersInput!) { addConversationMembers(input: $i) { conversation { id } } }`,
      { i: { ...c, userIds: [randomUUID()] } },
    ],
    removeConversationMember: [
      `mutation($i: RemoveConversationMemberInput!) { removeConversationMember(input: $i) { conversation { id } } }`,
      { i: { ...c, userId } },
    ],
    leaveConversation: [
      `mutation($i: LeaveConversationInput!) { leaveConversation(input: $i) { conversationId } }`,
      { i: c },
    ],
    setConversationMemberRole: [
      `mutation($i: SetConversationMemberRoleInput!) { setConversationMemberRole(input: $i) { member { role } } }`,
      { i: { ...c, userId, role: 'MODERATOR' } },
    ],
    muteMember: [
      `mutation($i: MuteMemberInput!) { muteMember(input: $i) { member { role } } }`,
      { i: { ...c, userId, minutes: 5 } },
    ],
    unmuteMember: [
      `mutation($i: UnmuteMemberInput!) { unmuteMember(input: $i) { member { role } } }`,
      { i: { ...c, userId } },
    ],
    markRead: [`mutation($i: MarkReadInput!) { markRead(input: $i) { unreadCount } }`, { i: c }],
    sendMessage: [
      `mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id } } }`,
      { i: { ...c, body: 'hi' } },
    ],
    editMessage: [
      `mutation($i: EditMessageInput!) { editMessage(input: $i) { message { id } } }`,
      { i: { ...m, body: 'hi' } },
    ],
    deleteMessage: [
      `mutation($i: MessageIdInput!) { deleteMessage(input: $i) { message { id } } }`,
      { i: m },
    ],
    hideMessage: [`mutation($i: MessageIdInput!) { hideMessage(input: $i) { message { id } } }`, { i: m }],
    restoreMessage: [
      `mutation($i: MessageIdInput!) { restoreMessage(input: $i) { message { id } } }`,
      { i: m },
    ],
    addReaction: [
      `mutation($i: ReactionInput!) { addReaction(input: $i) { message { id } } }`,
      { i: { ...m, emoji: '👍' } },
    ],
    removeReaction: [
      `mutation($i: ReactionInput!) { removeReaction(input: $i) { message { id } } }`,
      { i: { ...m, emoji: '👍' } },
    ],
    setTyping: [
      `mutation($i: SetTypingInput!) { setTyping(input: $i) { isTyping } }`,
      { i: { ...c, isTyping: true } },
    ],
    heartbeat: [`mutation { heartbeat { status } }`, {}],
  };
}

/** Root fields that act on the conversation or its message: an outsider is FORBIDDEN. */
const CONVERSATION_SCOPED = [
  'conversation',
  'addConversationMembers',
  'removeConversationMember',
  'leaveConversation',
  'setConversationMemberRole',
  'muteMember',
  'unmuteMember',
  'markRead',
  'sendMessage',
  'editMessage',
  'deleteMessage',
  'hideMessage',
  'restoreMessage',
  'addReaction',
  'removeReaction',
  'setTyping',
];

describe('access rules of every root field', () => {
  let h: MessagingHarness;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let conversationId: string;
  let messageId: string;

  beforeAll(async () => {
    h = await createMessagingHarness('access');
    [owner, member, outsider] = await Promise.all([h.user(), h.user(), h.user()]);
    const g = await h.gql<{ startConversation: { conversation: { id: string } } }>(
      `mutation($i: StartConversationInput!) { startConversation(input: $i) { conversation { id } } }`,
      { i: { userIds: [member.id, randomUUID()], name: 'acl' } },
      owner,
    );
    conversationId = g.data!.startConversation.conversation.id;
    const sent = await h.gql<{ sendMessage: { message: { id: string } } }>(
      `mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id } } }`,
      { i: { conversationId, body: 'hello' } },
      member,
    );
    messageId = sent.data!.sendMessage.message.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('covers every query and mutation of the schema', async () => {
    const { schema } = await buildMessagingSchema();
    const rootFields = [
      ...Object.keys(schema.getQueryType()!.getFields()),
      ...Object.keys(schema.getMutationType()!.getFields()),
    ]
      .filter((name) => !name.startsWith('_'))
      .sort();
    expect(Object.keys(operations(conversationId, messageId, member.id)).sort()).toEqual(rootFields);
  });

  it('denies every query and mutation to anonymous callers (UNAUTHENTICATED)', async () => {
    for (const [name, [query, variables]] of Object.entries(
      operations(conversationId, messageId, member.id),
    )) {
      expect({ name, codes: codes(await h.gql(query, variables, null)) }).toEqual({
        name,
        codes: ['UNAUTHENTICATED'],
      });
    }
  });

  it('denies every conversation-scoped field to a signed-in outsider (FORBIDDEN) and changes nothing', async () => {
    const before = await h.dataSource.query(`SELECT * FROM "messaging".messages ORDER BY id`);
    const members = await h.dataSource.query(
      `SELECT * FROM "messaging".conversation_members ORDER BY user_id`,
    );
    const all = operations(conversationId, messageId, member.id);
    for (const name of CONVERSATION_SCOPED) {
      const [query, variables] = all[name]!;
      expect({ name, codes: codes(await h.gql(query, variables, outsider)) }).toEqual({
        name,
        codes: ['FORBIDDEN'],
      });
    }
    expect(await h.dataSource.query(`SELECT * FROM "messaging".messages ORDER BY id`)).toEqual(before);
    expect(
      await h.dataSource.query(`SELECT * FROM "messaging".conversation_members ORDER BY user_id`),
    ).toEqual(members);
  });

  it('denies moderator actions to a plain member (FORBIDDEN)', async () => {
    const all = operations(conversationId, messageId, owner.id);
    for (const name of [
      'addConversationMembers',
      'removeConversationMember',
      'setConversationMemberRole',
      'muteMember',
      'unmuteMember',
      'hideMessage',
      'restoreMessage',
    ]) {
      const [query, variables] = all[name]!;
      expect({ name, codes: codes(await h.gql(query, variables, member)) }).toEqual({
        name,
        codes: ['FORBIDDEN'],
      });
    }
    const [edit, editVariables] = all['editMessage']!;
    expect(codes(await h.gql(edit, editVariables, owner))).toEqual(['FORBIDDEN']); // not the author
  });

  it('denies every subscription to anonymous callers, and conversation subscriptions to outsiders', async () => {
    const subscriptions: [string, Record<string, unknown>][] = [
      [`subscription($id: ID!) { messageAdded(conversationId: $id) { id } }`, { id: conversationId }],
      [`subscription($id: ID!) { messageUpdated(conversationId: $id) { id } }`, { id: conversationId }],
      [`subscription($id: ID!) { typing(conversationId: $id) { isTyping } }`, { id: conversationId }],
      [`subscription($ids: [ID!]!) { presenceChanged(userIds: $ids) { status } }`, { ids: [member.id] }],
      [`subscription { unreadCountsChanged { unreadCount } }`, {}],
    ];
    for (const [query, variables] of subscriptions) {
      const anonymous = subscribe(h.ws(null), query, variables);
      await anonymous.done;
      expect(anonymous.results.map(codes)).toEqual([['UNAUTHENTICATED']]);
    }
    for (const [query, variables] of subscriptions.slice(0, 3)) {
      const outside = subscribe(h.ws(outsider), query, variables);
      await outside.done;
      expect(outside.results.map(codes)).toEqual([['FORBIDDEN']]);
    }
  });
});
