import { describe, expect, it, vi } from 'vitest';
import { REFRESH_COOKIE_HEADER, SessionManager, type SessionEvent } from './session.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const inMinutes = (m: number) => new Date(NOW + m * 60_000).toISOString();

function harness(responses: (() => Response)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = responses.shift();
    if (!next) throw new Error('unexpected fetch');
    return next();
  });
  const timers: { callback: () => void; ms: number }[] = [];
  const posted: SessionEvent[] = [];
  let onMessage: ((event: MessageEvent<SessionEvent>) => void) | null = null;
  const manager = new SessionManager({
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => NOW,
    setTimer: (callback, ms) => {
      timers.push({ callback, ms });
      return timers.length as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: () => undefined,
    channel: {
      postMessage: (message: SessionEvent) => posted.push(message),
      addEventListener: ((_: string, listener: (event: MessageEvent<SessionEvent>) => void) => {
        onMessage = listener;
      }) as BroadcastChannel['addEventListener'],
      close: () => undefined,
    },
  });
  return {
    manager,
    calls,
    timers,
    posted,
    message: (data: SessionEvent) => onMessage?.({ data } as MessageEvent<SessionEvent>),
  };
}

const tokens = (accessToken: string, minutes = 10) =>
  new Response(JSON.stringify({ accessToken, accessTokenExpiresAt: inMinutes(minutes) }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
const status = (code: number) => () => new Response(code === 204 ? null : '{}', { status: code });

describe('SessionManager', () => {
  it('restores a session from the refresh cookie and schedules the next refresh a minute before expiry', async () => {
    const h = harness([() => tokens('at-1')]);
    await h.manager.restore();
    expect(h.manager.getState()).toEqual({
      status: 'signedIn',
      accessToken: 'at-1',
      expiresAt: NOW + 600_000,
    });
    expect(h.calls[0]).toMatchObject({
      url: '/auth/refresh',
      init: { method: 'POST', credentials: 'same-origin' },
    });
    expect((h.calls[0]!.init!.headers as Record<string, string>)[REFRESH_COOKIE_HEADER]).toBe('1');
    expect(h.timers.at(-1)?.ms).toBe(540_000);
    expect(await h.manager.accessToken()).toBe('at-1');
  });

  it('is signed out when there is no cookie (204) or it is no longer valid (401)', async () => {
    for (const code of [204, 401]) {
      const h = harness([status(code)]);
      await h.manager.restore();
      expect(h.manager.getState(), String(code)).toEqual({ status: 'signedOut' });
      expect(await h.manager.accessToken()).toBeNull();
    }
  });

  it('shares one refresh between concurrent callers and refreshes silently when the timer fires', async () => {
    const h = harness([() => tokens('at-1'), () => tokens('at-2')]);
    const [a, b] = await Promise.all([h.manager.accessToken(), h.manager.accessToken()]);
    expect([a, b]).toEqual(['at-1', 'at-1']);
    expect(h.calls).toHaveLength(1);
    h.timers.at(-1)!.callback();
    await vi.waitFor(() => expect(h.manager.getState()).toMatchObject({ accessToken: 'at-2' }));
    expect(h.calls).toHaveLength(2);
  });

  it('refreshes first when the token is about to expire', async () => {
    const h = harness([() => tokens('short', 0.4), () => tokens('fresh')]);
    await h.manager.restore();
    expect(await h.manager.accessToken()).toBe('fresh');
  });

  it('keeps the session when the gateway is busy (503) and retries later', async () => {
    const h = harness([() => tokens('at-1'), status(503)]);
    await h.manager.restore();
    expect(await h.manager.refresh()).toBe('at-1');
    expect(h.manager.getState()).toMatchObject({ status: 'signedIn', accessToken: 'at-1' });
    expect(h.timers.at(-1)?.ms).toBe(30_000);
  });

  it('serialises refreshes across tabs with the Web Locks API', async () => {
    const h = harness([() => tokens('at-1')]);
    const request = vi.fn((_name: string, run: () => Promise<string | null>) => run());
    const manager = new SessionManager({
      fetch: (async () => tokens('locked')) as typeof fetch,
      locks: { request: request as unknown as LockManager['request'] },
    });
    expect(await manager.refresh()).toBe('locked');
    expect(request).toHaveBeenCalledWith('edugraph-session-refresh', expect.any(Function));
    manager.dispose();
    h.manager.dispose();
  });

  it('establishes a session after sign-in and tells the other tabs; sign-out clears everywhere', async () => {
    const h = harness([status(204)]);
    const seen: string[] = [];
    h.manager.subscribe((state) => seen.push(state.status));
    h.manager.establish({ accessToken: 'at-1', accessTokenExpiresAt: inMinutes(10) });
    expect(h.posted).toEqual([{ type: 'signedIn' }]);
    const endSession = vi.fn(async () => {
      throw new Error('already ended');
    });
    await h.manager.signOut(endSession);
    expect(endSession).toHaveBeenCalled();
    expect(h.calls[0]?.url).toBe('/auth/sign-out');
    expect(h.manager.getState()).toEqual({ status: 'signedOut' });
    expect(h.posted).toEqual([{ type: 'signedIn' }, { type: 'signedOut' }]);
    expect(seen).toEqual(['signedIn', 'signedOut']);
  });

  it('follows another tab signing out', async () => {
    const h = harness([]);
    h.manager.establish({ accessToken: 'at-1', accessTokenExpiresAt: inMinutes(10) });
    h.message({ type: 'signedOut' });
    expect(h.manager.getState()).toEqual({ status: 'signedOut' });
  });
});
