// @vitest-environment jsdom
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { SignUpDocument } from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { SignUpPage } from './sign-up-page.js';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('SignUpPage', () => {
  it('explains what is missing before calling the API, each error tied to its field', async () => {
    rendered = await renderPage([{ path: '/sign-up', element: <SignUpPage /> }]);
    const { container } = rendered;
    expect(await axeViolations(container)).toEqual([]);
    await typeText(field(container, 'Email'), 'not-an-email');
    await typeText(field(container, 'Password'), 'short');
    await click(button(container, 'Create account'));
    for (const [label, message] of [
      ['Name', 'Enter the name others will see.'],
      ['Email', 'Enter an email address like name@example.com.'],
      ['Password', 'Use at least 8 characters.'],
    ] as const) {
      const input = field(container, label);
      expect(input.getAttribute('aria-invalid'), label).toBe('true');
      const described = (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent);
      expect(described, label).toContain(message);
    }
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows EMAIL_TAKEN on the email field', async () => {
    const input = { displayName: 'Lea', email: 'lea@example.com', password: 'correct horse battery staple' };
    rendered = await renderPage([{ path: '/sign-up', element: <SignUpPage /> }], {
      mocks: [
        {
          request: { query: SignUpDocument, variables: { input } },
          result: {
            errors: [
              new GraphQLError('An account with this email already exists.', {
                extensions: { code: 'EMAIL_TAKEN', field: 'email' },
              }),
            ],
          },
        },
      ],
    });
    const { container, session } = rendered;
    await typeText(field(container, 'Name'), input.displayName);
    await typeText(field(container, 'Email'), input.email);
    await typeText(field(container, 'Password'), input.password);
    await click(button(container, 'Create account'));
    await eventually(() => expect(field(container, 'Email').getAttribute('aria-invalid')).toBe('true'));
    expect(container.textContent).toContain('An account with this email already exists.');
    expect(field(container, 'Name').getAttribute('aria-invalid')).toBeNull();
    expect(session.getState()).toEqual({ status: 'signedOut' });
  });
});
