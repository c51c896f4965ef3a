// @vitest-environment jsdom
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { SignInDocument, type SignInMutation } from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText as typeInto,
  type Rendered,
} from '../../testing/render.js';
import { SignInPage } from './sign-in-page.js';

const EMAIL = 'lea@example.com';
const PASSWORD = 'correct horse battery staple';

const signedIn: SignInMutation = {
  signIn: {
    __typename: 'AuthPayload',
    accessToken: 'access-token',
    refreshToken: '',
    accessTokenExpiresAt: new Date(Date.now() + 600_000).toISOString(),
    twoFactorEnrollmentRequired: false,
    user: {
      __typename: 'User',
      id: 'u1',
      displayName: 'Lea Learner',
      email: EMAIL,
      emailVerified: true,
      twoFactorEnabled: true,
      roles: ['LEARNER'],
    },
  },
};

const failure = (code: string, message: string) => ({
  errors: [new GraphQLError(message, { extensions: { code } })],
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('SignInPage', () => {
  it('is accessible, asks for the two-factor code when identity requires it, then signs in', async () => {
    rendered = await renderPage(
      [
        { path: '/sign-in', element: <SignInPage /> },
        { path: '/', element: <p>home</p> },
      ],
      {
        mocks: [
          {
            request: { query: SignInDocument, variables: { input: { email: EMAIL, password: PASSWORD } } },
            result: failure('TWO_FACTOR_REQUIRED', 'Enter the code from your authenticator app.'),
          },
          {
            request: {
              query: SignInDocument,
              variables: { input: { email: EMAIL, password: PASSWORD, totpCode: '111111' } },
            },
            result: failure('INVALID_CODE', 'The two-factor code is not valid.'),
          },
          {
            request: {
              query: SignInDocument,
              variables: { input: { email: EMAIL, password: PASSWORD, totpCode: '123456' } },
            },
            result: { data: signedIn },
          },
        ],
      },
    );
    const { container, session, router } = rendered;
    expect(container.querySelector('h1')?.textContent).toBe('Sign in');
    expect(await axeViolations(container)).toEqual([]);

    await typeInto(field(container, 'Email'), EMAIL);
    await typeInto(field(container, 'Password'), PASSWORD);
    await click(button(container, 'Sign in'));

    await eventually(() => expect(() => field(container, 'Authentication code')).not.toThrow());
    const code = field(container, 'Authentication code');
    await eventually(() => expect(document.activeElement).toBe(code));
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(document.getElementById(code.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /recovery codes/,
    );
    expect(await axeViolations(container)).toEqual([]);

    await typeInto(code, '111111');
    await click(button(container, 'Verify and sign in'));
    await eventually(() => expect(code.getAttribute('aria-invalid')).toBe('true'));
    expect(container.textContent).toContain('That code is not valid.');
    expect(await axeViolations(container)).toEqual([]);

    await typeInto(code, '123456');
    await click(button(container, 'Verify and sign in'));
    await eventually(() => expect(router.state.location.pathname).toBe('/'));
    expect(session.getState()).toMatchObject({ status: 'signedIn', accessToken: 'access-token' });
    expect(container.textContent).toContain('home');
  });

  it('announces wrong credentials as an alert', async () => {
    rendered = await renderPage([{ path: '/sign-in', element: <SignInPage /> }], {
      mocks: [
        {
          request: { query: SignInDocument, variables: { input: { email: EMAIL, password: 'nope' } } },
          result: failure('INVALID_CREDENTIALS', 'The email or password is incorrect.'),
        },
      ],
    });
    const { container, session } = rendered;
    await typeInto(field(container, 'Email'), EMAIL);
    await typeInto(field(container, 'Password'), 'nope');
    await click(button(container, 'Sign in'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'The email or password is incorrect.',
      ),
    );
    expect(session.getState()).toEqual({ status: 'signedOut' });
  });

  it('takes an admin without two-factor to the security page to enrol (twoFactorEnrollmentRequired)', async () => {
    rendered = await renderPage(
      [
        { path: '/sign-in', element: <SignInPage /> },
        { path: '/account/security', element: <p>security</p> },
      ],
      {
        at: '/sign-in?next=%2Fadmin',
        mocks: [
          {
            request: { query: SignInDocument, variables: { input: { email: EMAIL, password: PASSWORD } } },
            result: {
              data: {
                signIn: {
                  ...signedIn.signIn,
                  twoFactorEnrollmentRequired: true,
                  user: { ...signedIn.signIn.user, twoFactorEnabled: false, roles: ['LEARNER', 'ADMIN'] },
                },
              },
            },
          },
        ],
      },
    );
    const { container, router } = rendered;
    await typeInto(field(container, 'Email'), EMAIL);
    await typeInto(field(container, 'Password'), PASSWORD);
    await click(button(container, 'Sign in'));
    await eventually(() => expect(router.state.location.pathname).toBe('/account/security'));
    expect(router.state.location.state).toEqual({ enrollmentRequired: true });
  });
});
