import { useApolloClient, useMutation, useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Spinner } from '../../components/index.js';
import {
  ChatMessageAddedDocument,
  ChatMessagesDocument,
  ChatPresenceChangedDocument,
  ChatTypingDocument,
  MarkConversationReadDocument,
  SendChatMessageDocument,
  SetTypingDocument,
  type ChatConversationFragment,
  type ChatMessageFragment,
  type PresenceStatus,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';

/** Sending `isTyping: true` again at most this often while the person keeps typing. */
export const TYPING_REPEAT_MS = 3000;
/** No keystroke for this long: "stopped typing". */
export const TYPING_IDLE_MS = 4000;
/** A typing indicator without news for this long is dropped (a peer that vanished). */
export const TYPING_EXPIRE_MS = 8000;

/** Oldest first, no duplicates (a message may come from history and the subscription). */
export function mergeMessages(
  current: readonly ChatMessageFragment[],
  incoming: readonly ChatMessageFragment[],
): ChatMessageFragment[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
}

export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
}

export function ConversationView({
  conversation,
  viewer,
}: {
  conversation: ChatConversationFragment;
  viewer: { id: string; displayName: string };
}) {
  const client = useApolloClient();
  const [messages, setMessages] = useState<ChatMessageFragment[] | null>(null);
  const [older, setOlder] = useState<{ hasMore: boolean; cursor: string | null }>({
    hasMore: false,
    cursor: null,
  });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [typing, setTyping] = useState<Record<string, { name: string; at: number }>>({});
  const others = conversation.members.nodes.filter((m) => m.user.id !== viewer.id).map((m) => m.user);
  const [presence, setPresence] = useState<Record<string, PresenceStatus>>(() =>
    Object.fromEntries(others.map((u) => [u.id, u.presence.status])),
  );
  const [send, { loading: sending }] = useMutation(SendChatMessageDocument);
  const [markRead] = useMutation(MarkConversationReadDocument);
  const [setTypingMutation] = useMutation(SetTypingDocument);
  const lastTypingSent = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const listEnd = useRef<HTMLLIElement>(null);

  const read = useCallback(
    () => void markRead({ variables: { conversationId: conversation.id } }).catch(() => undefined),
    [markRead, conversation.id],
  );

  const loadPage = useCallback(
    async (after: string | null) => {
      const { data } = await client.query({
        query: ChatMessagesDocument,
        variables: { conversationId: conversation.id, after },
        fetchPolicy: 'network-only',
      });
      const page = data?.conversation.messages;
      if (!page) return;
      // history comes newest first
      setMessages((current) =>
        mergeMessages(
          current ?? [],
          page.edges.map(({ node }) => node),
        ),
      );
      setOlder({ hasMore: page.pageInfo.hasNextPage, cursor: page.pageInfo.endCursor ?? null });
    },
    [client, conversation.id],
  );

  useEffect(() => {
    loadPage(null)
      .then(read)
      .catch((e: unknown) => setError(errorMessage(e)));
    // back online or back to the tab: the subscription may have missed messages; the newest page fills the gap
    const catchUp = () => {
      if (document.visibilityState === 'visible') void loadPage(null).catch(() => undefined);
    };
    window.addEventListener('online', catchUp);
    document.addEventListener('visibilitychange', catchUp);
    return () => {
      window.removeEventListener('online', catchUp);
      document.removeEventListener('visibilitychange', catchUp);
    };
  }, [loadPage, read]);

  useSubscription(ChatMessageAddedDocument, {
    variables: { conversationId: conversation.id },
    onData: ({ data }) => {
      const message = data.data?.messageAdded;
      if (!message) return;
      setMessages((current) => mergeMessages(current ?? [], [message]));
      setTyping(({ [message.author.id]: _, ...rest }) => rest);
      if (message.author.id !== viewer.id) read();
    },
  });

  useSubscription(ChatTypingDocument, {
    variables: { conversationId: conversation.id },
    onData: ({ data }) => {
      const event = data.data?.typing;
      if (!event || event.user.id === viewer.id) return;
      setTyping(({ [event.user.id]: _, ...rest }) =>
        event.isTyping
          ? { ...rest, [event.user.id]: { name: event.user.displayName, at: Date.now() } }
          : rest,
      );
    },
  });

  useSubscription(ChatPresenceChangedDocument, {
    variables: { userIds: others.map((u) => u.id) },
    skip: others.length === 0,
    onData: ({ data }) => {
      const change = data.data?.presenceChanged;
      if (change) setPresence((current) => ({ ...current, [change.userId]: change.status }));
    },
  });

  // drop typing indicators of peers that went quiet without saying so
  const typingKeys = Object.keys(typing).length;
  useEffect(() => {
    if (typingKeys === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setTyping((current) =>
        Object.fromEntries(Object.entries(current).filter(([, t]) => now - t.at < TYPING_EXPIRE_MS)),
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [typingKeys]);

  useEffect(() => {
    listEnd.current?.scrollIntoView?.({ block: 'nearest' });
  }, [messages?.length]);

  const stopTyping = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (lastTypingSent.current === 0) return;
    lastTypingSent.current = 0;
    void setTypingMutation({ variables: { conversationId: conversation.id, isTyping: false } }).catch(
      () => undefined,
    );
  }, [setTypingMutation, conversation.id]);

  useEffect(() => stopTyping, [stopTyping]);

  const onDraft = (value: string) => {
    setDraft(value);
    if (!value) return stopTyping();
    const now = Date.now();
    if (now - lastTypingSent.current > TYPING_REPEAT_MS) {
      lastTypingSent.current = now;
      void setTypingMutation({ variables: { conversationId: conversation.id, isTyping: true } }).catch(
        () => undefined,
      );
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    setError(null);
    stopTyping();
    try {
      const result = await send({ variables: { conversationId: conversation.id, body } });
      const message = result.data?.sendMessage.message;
      if (message) setMessages((current) => mergeMessages(current ?? [], [message]));
      setDraft('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const loadOlder = async () => {
    setLoadingOlder(true);
    try {
      await loadPage(older.cursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingOlder(false);
    }
  };

  const typingNames = Object.values(typing).map((t) => t.name);
  return (
    <section aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">
        {conversation.name ?? (others.map((u) => u.displayName).join(', ') || 'Just you')}
      </h2>
      {others.length > 0 ? (
        <ul className="eg-list" aria-label="Presence">
          {others.map((u) => (
            <li key={u.id} data-testid="presence">
              {u.displayName}: {(presence[u.id] ?? 'OFFLINE').toLowerCase()}
            </li>
          ))}
        </ul>
      ) : null}
      {older.hasMore ? (
        <Button variant="secondary" busy={loadingOlder} onClick={() => void loadOlder()}>
          Load older messages
        </Button>
      ) : null}
      {messages === null && !error ? <Spinner label="Loading messages…" /> : null}
      <div role="log" aria-label="Messages">
        <ol className="eg-chat__messages">
          {(messages ?? []).map((message) => (
            <li key={message.id} className="eg-chat__message" data-testid="message">
              <strong>{message.author.id === viewer.id ? 'You' : message.author.displayName}</strong>{' '}
              <time dateTime={message.createdAt} className="eg-muted">
                {new Date(message.createdAt).toLocaleTimeString()}
              </time>
              <p>
                {message.isDeleted
                  ? 'Message deleted'
                  : message.isHidden
                    ? 'Message hidden by a moderator'
                    : message.body}
                {message.isEdited ? <span className="eg-muted"> (edited)</span> : null}
              </p>
            </li>
          ))}
          <li ref={listEnd} aria-hidden="true" />
        </ol>
      </div>
      <p role="status" className="eg-muted" data-testid="typing">
        {typingText(typingNames)}
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <form className="eg-form" onSubmit={(event) => void submit(event)}>
        <div className="eg-field">
          <label className="eg-field__label" htmlFor={`composer-${conversation.id}`}>
            Message
          </label>
          <textarea
            id={`composer-${conversation.id}`}
            className="eg-field__input"
            rows={2}
            value={draft}
            onChange={(e) => onDraft(e.currentTarget.value)}
            onBlur={stopTyping}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </div>
        <div className="eg-form__actions">
          <Button type="submit" busy={sending}>
            Send
          </Button>
        </div>
      </form>
    </section>
  );
}
