// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { MySessionsDocument, RevokeSessionDocument, type MySessionsQuery } from '../../generated/graphql.js';
import { axeViolations, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { SessionsPage } from './sessions-page.js';

const session = (
  id: string,
  current: boolean,
  userAgent: string | null,
): MySessionsQuery['sessions'][number] => ({
  __typename: 'Session',
  id,
  current,
  userAgent,
  ipAddress: '203.0.113.7',
  createdAt: '2026-11-20T09:00:00.000Z',
  lastUsedAt: '2026-11-28T09:00:00.000Z',
  expiresAt: '2026-12-28T09:00:00.000Z',
});

const here = session('s1', true, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36');
const phone = session('s2', false, 'Dart/3.5 (dart:io)');

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('SessionsPage', () => {
  it('lists the sessions, marks this browser, and signs another one out', async () => {
    rendered = await renderPage([{ path: '/account/sessions', element: <SessionsPage /> }], {
      mocks: [
        { request: { query: MySessionsDocument }, result: { data: { sessions: [here, phone] } } },
        {
          request: { query: RevokeSessionDocument, variables: { input: { sessionId: 's2' } } },
          result: { data: { revokeSession: true } },
        },
        { request: { query: MySessionsDocument }, result: { data: { sessions: [here] } } },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelectorAll('li.eg-session')).toHaveLength(2));
    const [first, second] = [...container.querySelectorAll('li.eg-session')];
    expect(first?.querySelector('h2')?.textContent).toBe('Chrome on LinuxThis browser');
    expect(first?.querySelector('button')).toBeNull();
    expect(second?.querySelector('h2')?.textContent).toBe('Edugraph app');
    expect(await axeViolations(container)).toEqual([]);

    const revoke = second?.querySelector('button');
    expect(revoke?.getAttribute('aria-label')).toMatch(/^Sign out Edugraph app, signed in /);
    await click(revoke!);
    await eventually(() => expect(container.querySelectorAll('li.eg-session')).toHaveLength(1));
    expect(container.querySelector('[role="status"]')?.textContent).toBe('The session was signed out.');
  });
});
