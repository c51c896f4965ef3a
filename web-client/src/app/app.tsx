import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { SessionProvider } from '../lib/auth/session-context.js';
import type { SessionManager } from '../lib/auth/session.js';
import { ThemeProvider } from '../theme/theme-provider.js';
import { createRouter } from './router.js';

export function App({ client, session }: { client: ApolloClient; session: SessionManager }) {
  const [router] = useState(createRouter);
  return (
    <ApolloProvider client={client}>
      <SessionProvider manager={session}>
        <ThemeProvider>
          <RouterProvider router={router} />
        </ThemeProvider>
      </SessionProvider>
    </ApolloProvider>
  );
}
