/**
 * The browser session (web-client/README.md, "Tokens"): the access token lives in this object's memory only;
 * the refresh token is an httpOnly cookie that script never sees. `POST /auth/refresh` turns the cookie into a
 * fresh access token (and rotates the cookie). The manager refreshes a minute before the token expires, shares
 * one refresh between concurrent callers, and — with the Web Locks API — serialises refreshes across tabs,
 * because identity's refresh tokens are one-time: two tabs racing with the same cookie would end the session.
 */

export const REFRESH_COOKIE_HEADER = 'x-edugraph-refresh-cookie';

export type SessionTokens = { accessToken: string; accessTokenExpiresAt: string };

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; accessToken: string; expiresAt: number };

export type SessionEvent = { type: 'signedIn' } | { type: 'signedOut' };

type Timer = ReturnType<typeof setTimeout>;

export type SessionManagerOptions = {
  fetch?: typeof fetch;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => Timer;
  clearTimer?: (timer: Timer) => void;
  /** `navigator.locks` where available. */
  locks?: Pick<LockManager, 'request'> | undefined;
  /** Other tabs of this app (`BroadcastChannel`), to follow sign-in and sign-out. */
  channel?: Pick<BroadcastChannel, 'postMessage' | 'addEventListener' | 'close'> | undefined;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
  /** Base URL of the API origin (same origin: ''). */
  baseUrl?: string;
};

const LOCK_NAME = 'edugraph-session-refresh';

export class SessionManager {
  private state: SessionState = { status: 'loading' };
  private readonly listeners = new Set<(state: SessionState) => void>();
  private refreshing: Promise<string | null> | null = null;
  private timer: Timer | null = null;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => Timer;
  private readonly clearTimer: (timer: Timer) => void;
  private readonly marginMs: number;

  constructor(private readonly options: SessionManagerOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer));
    this.marginMs = options.refreshMarginMs ?? 60_000;
    options.channel?.addEventListener('message', (event: MessageEvent<SessionEvent>) => {
      if (event.data?.type === 'signedOut') this.setState({ status: 'signedOut' });
      if (event.data?.type === 'signedIn' && this.state.status !== 'signedIn') void this.refresh();
    });
  }

  getState(): SessionState {
    return this.state;
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** At start-up: a session cookie from an earlier visit becomes an access token, else signed out. */
  async restore(): Promise<void> {
    await this.refresh();
  }

  /** After `signIn`/`signUp`: the gateway already stored the refresh cookie. */
  establish(tokens: SessionTokens): void {
    this.signedIn(tokens);
    this.options.channel?.postMessage({ type: 'signedIn' } satisfies SessionEvent);
  }

  /** The access token to send now, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const state = this.state;
    if (state.status === 'loading') return this.refreshing ?? this.refresh();
    if (state.status !== 'signedIn') return null;
    if (state.expiresAt - this.now() > this.marginMs / 2) return state.accessToken;
    return this.refresh();
  }

  /** Exchanges the refresh cookie for a new access token; concurrent calls share one request. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forgets the session in this tab and every other tab; the cookie is cleared by the gateway. */
  async signOut(endSession?: () => Promise<unknown>): Promise<void> {
    try {
      await endSession?.();
    } catch {
      // the session may already be gone on the server; clearing the cookie below still signs this browser out
    }
    try {
      await this.fetch(`${this.options.baseUrl ?? ''}/auth/sign-out`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { [REFRESH_COOKIE_HEADER]: '1' },
      });
    } catch {
      // offline: the session itself was ended above; the stale cookie fails its next refresh
    } finally {
      this.setState({ status: 'signedOut' });
      this.options.channel?.postMessage({ type: 'signedOut' } satisfies SessionEvent);
    }
  }

  dispose(): void {
    if (this.timer) this.clearTimer(this.timer);
    this.timer = null;
    this.options.channel?.close();
    this.listeners.clear();
  }

  private async refreshOnce(): Promise<string | null> {
    const run = () => this.requestRefresh();
    const locks = this.options.locks;
    return locks ? locks.request(LOCK_NAME, run) : run();
  }

  private async requestRefresh(): Promise<string | null> {
    let response: Response;
    try {
      response = await this.fetch(`${this.options.baseUrl ?? ''}/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { [REFRESH_COOKIE_HEADER]: '1', accept: 'application/json' },
      });
    } catch {
      // offline: keep what we have and try again shortly
      this.schedule(15_000);
      return this.state.status === 'signedIn' ? this.state.accessToken : null;
    }
    if (response.status === 204) {
      // no session cookie in this browser
      this.setState({ status: 'signedOut' });
      return null;
    }
    if (response.ok) {
      const tokens = (await response.json()) as SessionTokens;
      this.signedIn(tokens);
      return tokens.accessToken;
    }
    if (response.status === 401 || response.status === 400) {
      this.setState({ status: 'signedOut' });
      return null;
    }
    // 429 / 503: our side is busy; keep the session and retry later
    this.schedule(30_000);
    if (this.state.status === 'loading') this.setState({ status: 'signedOut' });
    return this.state.status === 'signedIn' ? this.state.accessToken : null;
  }

  private signedIn(tokens: SessionTokens): void {
    const expiresAt = Date.parse(tokens.accessTokenExpiresAt);
    this.setState({ status: 'signedIn', accessToken: tokens.accessToken, expiresAt });
    this.schedule(Math.max(5_000, expiresAt - this.now() - this.marginMs));
  }

  private schedule(ms: number): void {
    if (this.timer) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.refresh();
    }, ms);
  }

  private setState(state: SessionState): void {
    if (state.status !== 'signedIn' && this.timer) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
