import { useMutation } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { StartDirectConversationDocument } from '../../generated/graphql.js';

/**
 * Opens the 1:1 conversation with a person (messaging reuses an existing one) and goes to it in the chat page.
 * Used by the chat page's form and by "Message …" actions elsewhere (community members).
 */
export function useStartConversation(): {
  startWith: (userId: string) => Promise<void>;
  loading: boolean;
} {
  const navigate = useNavigate();
  const [start, { loading }] = useMutation(StartDirectConversationDocument);
  const startWith = async (userId: string) => {
    const result = await start({ variables: { userIds: [userId] } });
    const id = result.data?.startConversation.conversation.id;
    if (id) await navigate(`/chat/${id}`);
  };
  return { startWith, loading };
}
