// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { axeViolations, renderPage, type Rendered } from '../testing/render.js';
import { RouteError } from './route-error.js';

function Broken({ message }: { message: string }): never {
  throw new Error(message);
}

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
  vi.restoreAllMocks();
});

describe('RouteError', () => {
  it('offers a reload when a page chunk is gone after a deploy', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    rendered = await renderPage([
      {
        path: '/courses/x',
        element: <Broken message="Failed to fetch dynamically imported module: /assets/course-page-abc.js" />,
        errorElement: <RouteError />,
      },
    ]);
    const { container } = rendered;
    expect(container.querySelector('h1')?.textContent).toBe('Something went wrong');
    expect(container.textContent).toContain('A new version of Edugraph is available.');
    expect(container.querySelector('button')?.textContent).toBe('Reload');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('says the page could not be shown for other failures', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    rendered = await renderPage([
      { path: '/x', element: <Broken message="boom" />, errorElement: <RouteError /> },
    ]);
    expect(rendered.container.textContent).toContain('This page could not be shown.');
  });
});
