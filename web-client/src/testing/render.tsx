import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import axe from 'axe-core';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { SessionProvider } from '../lib/auth/session-context.js';
import { SessionManager } from '../lib/auth/session.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom has no canvas; axe probes it for icon ligatures and copes with "none available".
if (typeof HTMLCanvasElement !== 'undefined') HTMLCanvasElement.prototype.getContext = () => null;

export type Rendered = {
  container: HTMLElement;
  session: SessionManager;
  router: ReturnType<typeof createMemoryRouter>;
  unmount: () => void;
};

/**
 * Renders a page the way the app does (Apollo with mocked operations, a session, the router) into a jsdom
 * document. The session starts signed out (`/auth/refresh` answers 204).
 */
export async function renderPage(
  routes: { path: string; element: ReactNode; errorElement?: ReactNode }[],
  options: { mocks?: MockLink.MockedResponse[]; at?: string } = {},
): Promise<Rendered> {
  const session = new SessionManager({ fetch: async () => new Response(null, { status: 204 }) });
  await session.restore();
  const router = createMemoryRouter(routes, { initialEntries: [options.at ?? routes[0]!.path] });
  const container = document.createElement('div');
  document.body.append(container);
  let root: Root | null = null;
  await act(async () => {
    root = createRoot(container);
    root.render(
      <MockedProvider mocks={options.mocks ?? []}>
        <SessionProvider manager={session}>
          <RouterProvider router={router} />
        </SessionProvider>
      </MockedProvider>,
    );
  });
  return {
    container,
    session,
    router,
    unmount: () => {
      act(() => root?.unmount());
      container.remove();
      session.dispose();
    },
  };
}

/** Types into a React-controlled input (the native setter, then an `input` event React listens to). */
export async function typeText(input: HTMLInputElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/**
 * Lets pending work (mocked responses, React updates) run inside act, a turn at a time, until `assertion` passes
 * (at most 300 turns).
 */
export async function eventually(assertion: () => void): Promise<void> {
  let failure: unknown;
  for (let turn = 0; turn < 300; turn += 1) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    try {
      assertion();
      return;
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

export async function click(element: HTMLElement): Promise<void> {
  await act(async () => {
    element.click();
  });
}

/** The input labelled `label` (by `<label for>`), as assistive technology finds it. */
export function field(container: HTMLElement, label: string): HTMLInputElement {
  const labels = [...container.querySelectorAll('label')].filter((l) => l.textContent?.trim() === label);
  const input = labels[0]?.control;
  if (!(input instanceof HTMLInputElement)) throw new Error(`no field labelled "${label}"`);
  return input;
}

export function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/**
 * axe-core's violations in the rendered DOM. Colour contrast needs real rendering (jsdom has no layout): the
 * browser e2e tests check it, and contrast.spec.ts checks every theme's pairs.
 */
export async function axeViolations(container: HTMLElement): Promise<string[]> {
  const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.impact ?? ''} ${v.id}: ${v.help}`);
}
