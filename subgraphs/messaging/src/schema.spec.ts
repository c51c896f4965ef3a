import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { buildMessagingSchema } from './schema.js';

describe('messaging schema (composition build, no services)', () => {
  it('links Federation ≥ 2.4 and keys Conversation, Message and the User stub', async () => {
    const { sdl } = await buildMessagingSchema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toMatch(/type Conversation @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Message @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type User @key\(fields: "id"\) \{\s+id: ID!\s+presence: Presence!\s+\}/);
  });

  it('has the fixed subscription names and the documented mutations', async () => {
    const { schema } = await buildMessagingSchema();
    expect(Object.keys(schema.getSubscriptionType()!.getFields()).sort()).toEqual(
      ['messageAdded', 'messageUpdated', 'presenceChanged', 'typing', 'unreadCountsChanged'].sort(),
    );
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      [
        'addConversationMembers',
        'addReaction',
        'createChannel',
        'deleteMessage',
        'editMessage',
        'heartbeat',
        'hideMessage',
        'leaveConversation',
        'markRead',
        'muteMember',
        'removeConversationMember',
        'removeReaction',
        'restoreMessage',
        'sendMessage',
        'setConversationMemberRole',
        'setTyping',
        'startConversation',
        'unmuteMember',
      ].sort(),
    );
    const args = schema.getSubscriptionType()!.getFields();
    expect(args['messageAdded']!.args.map((a) => `${a.name}: ${a.type.toString()}`)).toEqual([
      'conversationId: ID!',
    ]);
    expect(args['presenceChanged']!.args.map((a) => `${a.name}: ${a.type.toString()}`)).toEqual([
      'userIds: [ID!]!',
    ]);
  });
});
