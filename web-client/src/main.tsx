import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { createEdugraphClient } from './lib/apollo/client.js';
import { SessionManager } from './lib/auth/session.js';
import { initialTheme } from './theme/theme-provider.js';
import { applyTheme } from './theme/tokens.js';
import './styles.css';

// Paint with the right theme before anything renders (bundled packs; runtime config refines it).
applyTheme(initialTheme(), document.documentElement);

const session = new SessionManager({
  locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
  channel: typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('edugraph-session') : undefined,
});
const { client, ws } = createEdugraphClient(session);
// A new person on this page: reconnect subscriptions with the new credentials.
let signedIn = false;
session.subscribe((state) => {
  const now = state.status === 'signedIn';
  if (now !== signedIn) ws.terminate();
  signedIn = now;
});
void session.restore();

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App client={client} session={session} />
    </StrictMode>,
  );
