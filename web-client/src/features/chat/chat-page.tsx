import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { NavLink, useParams } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  ChatConversationsDocument,
  ChatUnreadCountsChangedDocument,
  FindUserByEmailDocument,
  HeartbeatDocument,
  type ChatConversationFragment,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { ConversationView } from './conversation-view.js';
import { useStartConversation } from './use-start-conversation.js';
import '../instructor/staff.css';

/** A heartbeat keeps the viewer ONLINE (messaging's TTL is longer than this). */
export const HEARTBEAT_MS = 60_000;

export function conversationTitle(conversation: ChatConversationFragment, viewerId: string): string {
  if (conversation.name) return conversation.name;
  const others = conversation.members.nodes
    .filter((m) => m.user.id !== viewerId)
    .map((m) => m.user.displayName);
  return others.join(', ') || 'Just you';
}

/**
 * Chat: the viewer's conversations with live unread badges (`unreadCountsChanged`), one open conversation, and a
 * form to start a 1:1 conversation. Subscriptions run over graphql-ws through the gateway.
 */
export function ChatPage() {
  const { conversationId } = useParams();
  const client = useApolloClient();
  const { data, error, refetch } = useQuery(ChatConversationsDocument, { fetchPolicy: 'cache-and-network' });
  const [heartbeat] = useMutation(HeartbeatDocument);

  useSubscription(ChatUnreadCountsChangedDocument, {
    onData: ({ data: event }) => {
      const change = event.data?.unreadCountsChanged;
      if (!change) return;
      const id = client.cache.identify({ __typename: 'Conversation', id: change.conversationId });
      const known = id
        ? client.cache.modify({ id, fields: { unreadCount: () => change.unreadCount } })
        : false;
      // a conversation the list does not show yet (someone just started it)
      if (!known) void refetch();
    },
  });

  useEffect(() => {
    const beat = () => void heartbeat().catch(() => undefined);
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [heartbeat]);

  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!data) return <Spinner label="Loading conversations…" />;
  const viewer = data.viewer;
  if (!viewer) return <Alert tone="error">Sign in to chat.</Alert>;
  const conversations = data.conversations.edges.map(({ node }) => node);
  const open = conversations.find((c) => c.id === conversationId) ?? null;

  return (
    <Page title={open ? `Chat: ${conversationTitle(open, viewer.id)}` : 'Chat'} heading="Chat">
      <p className="eg-muted">
        Your user id (share it to be found): <code data-testid="viewer-id">{viewer.id}</code>
      </p>
      <div className="eg-chat">
        <div>
          <nav aria-label="Conversations">
            {conversations.length === 0 ? <p>No conversations yet.</p> : null}
            <ul className="eg-list">
              {conversations.map((conversation) => (
                <li key={conversation.id}>
                  <NavLink to={`/chat/${conversation.id}`} className="eg-chat__conversation">
                    {conversationTitle(conversation, viewer.id)}
                  </NavLink>{' '}
                  {conversation.unreadCount > 0 ? (
                    <span className="eg-badge" data-testid="unread-badge">
                      {conversation.unreadCount}
                      <span className="eg-visually-hidden-status"> unread</span>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </nav>
          <StartConversation onStarted={() => void refetch()} />
        </div>
        <div>
          {open ? (
            <ConversationView key={open.id} conversation={open} viewer={viewer} />
          ) : conversationId ? (
            <Alert tone="error">This conversation was not found.</Alert>
          ) : (
            <p>Choose a conversation, or start one.</p>
          )}
        </div>
      </div>
    </Page>
  );
}

function StartConversation({ onStarted }: { onStarted: () => void }) {
  const client = useApolloClient();
  const { startWith, loading } = useStartConversation();
  const [who, setWho] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const value = who.trim();
    if (!value) return;
    try {
      let userId = value;
      if (value.includes('@')) {
        // finding people by email is for ADMIN/SUPPORT; the API refuses others
        const { data } = await client.query({ query: FindUserByEmailDocument, variables: { query: value } });
        const found = data?.users.edges[0]?.node;
        if (!found) throw new Error(`No one with the email ${value}.`);
        userId = found.id;
      }
      await startWith(userId);
      setWho('');
      onStarted();
    } catch (e) {
      setError(e instanceof Error && !('errors' in e) && !('statusCode' in e) ? e.message : errorMessage(e));
    }
  };
  return (
    <Card>
      <h2>Start a conversation</h2>
      <form className="eg-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label="User id"
          hint="Their user id (admins can also give an email)"
          value={who}
          error={error}
          onChange={(e) => setWho(e.currentTarget.value)}
        />
        <div className="eg-form__actions">
          <Button type="submit" busy={loading}>
            Start conversation
          </Button>
        </div>
      </form>
    </Card>
  );
}
