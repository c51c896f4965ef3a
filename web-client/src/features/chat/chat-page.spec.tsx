// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChatConversationsDocument,
  ChatMessageAddedDocument,
  ChatMessagesDocument,
  ChatPresenceChangedDocument,
  ChatTypingDocument,
  ChatUnreadCountsChangedDocument,
  HeartbeatDocument,
  MarkConversationReadDocument,
  SendChatMessageDocument,
  SetTypingDocument,
  StartDirectConversationDocument,
  type ChatConversationFragment,
  type ChatMessageFragment,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { ChatPage } from './chat-page.js';
import { mergeMessages, typingText } from './conversation-view.js';

const VIEWER = { __typename: 'User' as const, id: 'u-me', displayName: 'Ines Instructor' };
const LEA = { __typename: 'User' as const, id: 'u-lea', displayName: 'Lea Learner' };

const member = (user: typeof VIEWER, status: 'ONLINE' | 'OFFLINE') => ({
  __typename: 'ConversationMember' as const,
  user: { ...user, presence: { __typename: 'Presence' as const, userId: user.id, status } },
});

const conversation: ChatConversationFragment = {
  __typename: 'Conversation',
  id: 'conv1',
  kind: 'DIRECT',
  name: null,
  unreadCount: 2,
  lastActivityAt: '2026-11-28T10:00:00.000Z',
  members: {
    __typename: 'ConversationMemberPage',
    nodes: [member(VIEWER, 'ONLINE'), member(LEA, 'OFFLINE')],
  },
};

const message = (id: string, body: string, author: typeof VIEWER, minute: number): ChatMessageFragment => ({
  __typename: 'Message',
  id,
  conversationId: 'conv1',
  body,
  createdAt: `2026-11-28T10:${String(minute).padStart(2, '0')}:00.000Z`,
  isDeleted: false,
  isHidden: false,
  isEdited: false,
  cursor: `cur-${id}`,
  author,
});

const heartbeat = {
  request: { query: HeartbeatDocument },
  result: { data: { heartbeat: { __typename: 'Presence', userId: 'u-me', status: 'ONLINE' } } },
};

const conversationsMock = (unreadCount: number) => ({
  request: { query: ChatConversationsDocument },
  result: {
    data: {
      viewer: VIEWER,
      conversations: {
        __typename: 'ConversationConnection',
        edges: [{ __typename: 'ConversationEdge', node: { ...conversation, unreadCount } }],
      },
    },
  },
});

const never = { delay: Infinity, result: { data: null } };

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('ChatPage', () => {
  it('lists conversations with an unread badge that follows unreadCountsChanged', async () => {
    rendered = await renderPage([{ path: '/chat', element: <ChatPage /> }], {
      mocks: [
        conversationsMock(2),
        heartbeat,
        {
          request: { query: ChatUnreadCountsChangedDocument },
          delay: 50,
          result: {
            data: {
              unreadCountsChanged: {
                __typename: 'ConversationUnreadCount',
                conversationId: 'conv1',
                unreadCount: 3,
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('nav[aria-label="Conversations"] a')).not.toBeNull(),
    );
    expect(container.querySelector('nav[aria-label="Conversations"] a')?.textContent).toBe('Lea Learner');
    expect(container.querySelector('[data-testid="viewer-id"]')?.textContent).toBe('u-me');
    await eventually(() =>
      expect(container.querySelector('[data-testid="unread-badge"]')?.textContent).toBe('3 unread'),
    );
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows history oldest first, appends live messages, shows typing and presence, marks read', async () => {
    rendered = await renderPage([{ path: '/chat/:conversationId', element: <ChatPage /> }], {
      at: '/chat/conv1',
      mocks: [
        conversationsMock(1),
        heartbeat,
        { request: { query: ChatUnreadCountsChangedDocument }, ...never },
        {
          request: { query: ChatMessagesDocument, variables: { conversationId: 'conv1', after: null } },
          result: {
            data: {
              conversation: {
                __typename: 'Conversation',
                id: 'conv1',
                messages: {
                  __typename: 'MessageConnection',
                  // newest first, as the API pages history
                  edges: [
                    { __typename: 'MessageEdge', node: message('m2', 'Welcome!', VIEWER, 2) },
                    { __typename: 'MessageEdge', node: message('m1', 'Hello', LEA, 1) },
                  ],
                  pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'cur-m1' },
                },
              },
            },
          },
        },
        {
          request: { query: MarkConversationReadDocument, variables: { conversationId: 'conv1' } },
          result: {
            data: { markRead: { __typename: 'MarkReadPayload', conversationId: 'conv1', unreadCount: 0 } },
          },
        },
        {
          request: { query: MarkConversationReadDocument, variables: { conversationId: 'conv1' } },
          result: {
            data: { markRead: { __typename: 'MarkReadPayload', conversationId: 'conv1', unreadCount: 0 } },
          },
        },
        {
          request: { query: ChatTypingDocument, variables: { conversationId: 'conv1' } },
          delay: 30,
          result: {
            data: {
              typing: {
                __typename: 'TypingEvent',
                conversationId: 'conv1',
                isTyping: true,
                at: '2026-11-28T10:03:00.000Z',
                user: LEA,
              },
            },
          },
        },
        {
          request: { query: ChatMessageAddedDocument, variables: { conversationId: 'conv1' } },
          delay: 200,
          result: { data: { messageAdded: message('m3', 'Thanks!', LEA, 3) } },
        },
        {
          request: { query: ChatPresenceChangedDocument, variables: { userIds: ['u-lea'] } },
          delay: 30,
          result: {
            data: {
              presenceChanged: {
                __typename: 'Presence',
                userId: 'u-lea',
                status: 'ONLINE',
                lastSeenAt: null,
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    const bodies = () =>
      [...container.querySelectorAll('[data-testid="message"] p')].map((p) => p.textContent);
    await eventually(() => expect(bodies()).toEqual(['Hello', 'Welcome!']));
    expect(container.querySelector('[data-testid="message"] strong')?.textContent).toBe('Lea Learner');
    expect(container.querySelector('[role="log"]')?.getAttribute('aria-label')).toBe('Messages');
    expect(
      [...container.querySelectorAll('button')].some((b) => b.textContent === 'Load older messages'),
    ).toBe(true);
    await eventually(() =>
      expect(container.querySelector('[data-testid="typing"]')?.textContent).toBe('Lea Learner is typing…'),
    );
    await eventually(() =>
      expect(container.querySelector('[data-testid="presence"]')?.textContent).toBe('Lea Learner: online'),
    );
    expect(await axeViolations(container)).toEqual([]);
    // the live message arrives, and the typing indicator of its author goes away
    await eventually(() => expect(bodies()).toEqual(['Hello', 'Welcome!', 'Thanks!']));
    expect(container.querySelector('[data-testid="typing"]')?.textContent).toBe('');
  });
});

describe('ChatPage composing', () => {
  it('says it is typing, sends a message, says it stopped, and starts a 1:1 conversation from a user id', async () => {
    const calls: string[] = [];
    const typing = (isTyping: boolean) => ({
      request: { query: SetTypingDocument, variables: { conversationId: 'conv1', isTyping } },
      result: () => {
        calls.push(`typing:${isTyping}`);
        return {
          data: { setTyping: { __typename: 'SetTypingPayload', conversationId: 'conv1', isTyping } },
        };
      },
    });
    const read = {
      request: { query: MarkConversationReadDocument, variables: { conversationId: 'conv1' } },
      result: {
        data: { markRead: { __typename: 'MarkReadPayload', conversationId: 'conv1', unreadCount: 0 } },
      },
    };
    rendered = await renderPage(
      [
        { path: '/chat/:conversationId', element: <ChatPage /> },
        { path: '/chat', element: <ChatPage /> },
      ],
      {
        at: '/chat/conv1',
        mocks: [
          conversationsMock(0),
          conversationsMock(0),
          heartbeat,
          read,
          { request: { query: ChatUnreadCountsChangedDocument }, ...never },
          { request: { query: ChatTypingDocument, variables: { conversationId: 'conv1' } }, ...never },
          { request: { query: ChatMessageAddedDocument, variables: { conversationId: 'conv1' } }, ...never },
          { request: { query: ChatPresenceChangedDocument, variables: { userIds: ['u-lea'] } }, ...never },
          {
            request: { query: ChatMessagesDocument, variables: { conversationId: 'conv1', after: null } },
            result: {
              data: {
                conversation: {
                  __typename: 'Conversation',
                  id: 'conv1',
                  messages: {
                    __typename: 'MessageConnection',
                    edges: [],
                    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
                  },
                },
              },
            },
          },
          typing(true),
          typing(false),
          {
            request: {
              query: SendChatMessageDocument,
              variables: { conversationId: 'conv1', body: 'Hi Lea' },
            },
            result: () => {
              calls.push('send');
              return {
                data: {
                  sendMessage: { __typename: 'MessagePayload', message: message('m9', 'Hi Lea', VIEWER, 9) },
                },
              };
            },
          },
          {
            request: { query: StartDirectConversationDocument, variables: { userIds: ['u-sam'] } },
            result: {
              data: {
                startConversation: {
                  __typename: 'StartConversationPayload',
                  created: true,
                  conversation: { ...conversation, id: 'conv2', unreadCount: 0 },
                },
              },
            },
          },
        ],
      },
    );
    const { container, router } = rendered;
    const composer = () => container.querySelector<HTMLTextAreaElement>('textarea')!;
    await eventually(() => expect(container.querySelector('[role="log"]')).not.toBeNull());
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    await eventually(() => {
      setter?.call(composer(), 'Hi Lea');
      composer().dispatchEvent(new Event('input', { bubbles: true }));
      expect(calls).toEqual(['typing:true']);
    });
    await click(button(container, 'Send'));
    await eventually(() =>
      expect([...container.querySelectorAll('[data-testid="message"] p')].map((p) => p.textContent)).toEqual([
        'Hi Lea',
      ]),
    );
    // "stopped typing" goes out with the message (the mocks answer in no fixed order)
    await eventually(() => expect([...calls].sort()).toEqual(['send', 'typing:false', 'typing:true']));
    expect(composer().value).toBe('');

    await typeText(field(container, 'User id'), 'u-sam');
    await click(button(container, 'Start conversation'));
    await eventually(() => expect(router.state.location.pathname).toBe('/chat/conv2'));
  });
});

describe('chat helpers', () => {
  it('merges history and live messages oldest first without duplicates', () => {
    const a = message('a', 'one', LEA, 1);
    const b = message('b', 'two', VIEWER, 2);
    expect(mergeMessages([b], [a, b]).map((m) => m.id)).toEqual(['a', 'b']);
  });
  it('says who is typing', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Lea'])).toBe('Lea is typing…');
    expect(typingText(['Lea', 'Ines', 'Ada'])).toBe('Lea, Ines and Ada are typing…');
  });
});
