// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AccountSecurityDocument,
  BeginTwoFactorEnrollmentDocument,
  ConfirmTwoFactorEnrollmentDocument,
  DisableTwoFactorDocument,
  RegenerateRecoveryCodesDocument,
  type AccountSecurityQuery,
  type PlatformRole,
} from '../../generated/graphql.js';
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
import { SecurityPage } from './security-page.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Edugraph:lea%40example.com?secret=${SECRET}&issuer=Edugraph&algorithm=SHA1&digits=6&period=30`;
const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`);

const viewer = (twoFactorEnabled: boolean, roles: PlatformRole[] = ['LEARNER']): AccountSecurityQuery => ({
  viewer: {
    __typename: 'User',
    id: 'u1',
    displayName: 'Lea Learner',
    email: 'lea@example.com',
    emailVerified: true,
    twoFactorEnabled,
    roles,
  },
});

const failure = (code: string, message: string) => ({
  errors: [new GraphQLError(message, { extensions: { code } })],
});

const viewerMock = (enabled: boolean, roles?: PlatformRole[]): MockLink.MockedResponse => ({
  request: { query: AccountSecurityDocument },
  result: { data: viewer(enabled, roles) },
});

const codeMock = (
  query:
    | typeof ConfirmTwoFactorEnrollmentDocument
    | typeof DisableTwoFactorDocument
    | typeof RegenerateRecoveryCodesDocument,
  code: string,
  result: MockLink.MockedResponse['result'],
): MockLink.MockedResponse => ({ request: { query, variables: { input: { code } } }, result });

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
  vi.unstubAllGlobals();
});

const heading = (container: HTMLElement, text: string) =>
  [...container.querySelectorAll('h2')].find((h) => h.textContent === text) ?? null;

const statusText = (container: HTMLElement) =>
  container.querySelector('.eg-security__status p')?.textContent ?? '';

const live = (container: HTMLElement) => container.querySelector('div[role="status"]')?.textContent ?? '';

async function open(mocks: MockLink.MockedResponse[]): Promise<Rendered> {
  rendered = await renderPage([{ path: '/account/security', element: <SecurityPage /> }], { mocks });
  await eventually(() => expect(rendered!.container.querySelector('.eg-security__status p')).not.toBeNull());
  return rendered;
}

describe('SecurityPage', () => {
  it('enrolls: QR code and setup key, wrong code, right code, recovery codes shown once; then turns it off', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { container } = await open([
      viewerMock(false),
      {
        request: { query: BeginTwoFactorEnrollmentDocument },
        result: {
          data: {
            beginTwoFactorEnrollment: { __typename: 'TwoFactorEnrollment', secret: SECRET, otpauthUri: URI },
          },
        },
      },
      codeMock(
        ConfirmTwoFactorEnrollmentDocument,
        '111111',
        failure('INVALID_CODE', 'The code is not valid.'),
      ),
      codeMock(ConfirmTwoFactorEnrollmentDocument, '123456', { data: { confirmTwoFactorEnrollment: true } }),
      viewerMock(true),
      codeMock(RegenerateRecoveryCodesDocument, '123456', failure('INVALID_CODE', 'The code is not valid.')),
      codeMock(RegenerateRecoveryCodesDocument, '234567', { data: { regenerateRecoveryCodes: CODES } }),
      codeMock(DisableTwoFactorDocument, '222222', failure('INVALID_CODE', 'The code is not valid.')),
      codeMock(DisableTwoFactorDocument, '345678', { data: { disableTwoFactor: true } }),
      viewerMock(false),
    ]);
    expect(container.querySelector('h1')?.textContent).toBe('Account security');
    expect(statusText(container)).toBe('Status: Off');
    expect(await axeViolations(container)).toEqual([]);

    // Step 1: the QR code (an SVG image with a name) and the setup key, grouped, copyable.
    await click(button(container, 'Set up two-factor authentication'));
    const scan = 'Step 1 of 2: add Edugraph to your authenticator app';
    await eventually(() => expect(document.activeElement).toBe(heading(container, scan)));
    const qr = container.querySelector('svg[role="img"]');
    expect(qr?.getAttribute('aria-label')).toMatch(/QR code/);
    expect(qr?.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(container.querySelector('.eg-security__secret')?.textContent).toBe(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );
    expect(container.querySelector(`a[href="${URI}"]`)).not.toBeNull();
    await click(button(container, 'Copy setup key'));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    await eventually(() => expect(live(container)).toBe('Setup key copied.'));
    const code = field(container, 'Authentication code');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(await axeViolations(container)).toEqual([]);

    // Not six digits: refused here, no request.
    await typeText(code, '12');
    await click(button(container, 'Verify and turn on'));
    expect(code.getAttribute('aria-invalid')).toBe('true');
    expect(container.textContent).toContain('Enter the 6-digit code from your authenticator app.');
    expect(document.activeElement).toBe(code);

    // A wrong code: identity's INVALID_CODE, on the field.
    await typeText(code, '111111');
    await click(button(container, 'Verify and turn on'));
    await eventually(() => expect(container.textContent).toContain('That code is not valid.'));
    expect(code.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(code);
    expect(await axeViolations(container)).toEqual([]);

    // The right code (spaces as apps show them are fine): on, and the next step asks for a fresh code.
    await typeText(code, '123 456');
    await click(button(container, 'Verify and turn on'));
    await eventually(() =>
      expect(document.activeElement).toBe(heading(container, 'Create your recovery codes')),
    );
    await eventually(() => expect(statusText(container)).toMatch(/^Status: On/));
    expect(live(container)).toBe('Two-factor authentication is on.');
    const fresh = field(container, 'New authentication code');
    expect(document.getElementById(fresh.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /cannot be used again/,
    );
    await typeText(fresh, '123456');
    await click(button(container, 'Create recovery codes'));
    await eventually(() => expect(fresh.getAttribute('aria-invalid')).toBe('true'));
    await typeText(fresh, '234567');
    await click(button(container, 'Create recovery codes'));

    // Recovery codes: shown once, copy and download, acknowledged before leaving.
    await eventually(() =>
      expect(document.activeElement).toBe(heading(container, 'Save your recovery codes')),
    );
    const list = container.querySelector('ol[aria-label="Recovery codes"]');
    expect([...(list?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual(CODES);
    const download = [...container.querySelectorAll('a')].find(
      (a) => a.textContent === 'Download codes (.txt)',
    );
    expect(download?.getAttribute('download')).toBe('edugraph-recovery-codes.txt');
    expect(decodeURIComponent(download?.getAttribute('href') ?? '')).toContain(
      `Edugraph recovery codes for lea@example.com`,
    );
    expect(decodeURIComponent(download?.getAttribute('href') ?? '')).toContain(CODES.join('\n'));
    await click(button(container, 'Copy codes'));
    expect(writeText).toHaveBeenLastCalledWith(CODES.join('\n'));
    expect(await axeViolations(container)).toEqual([]);
    const done = button(container, 'Done');
    expect(done.disabled).toBe(true);
    await click(field(container, 'I have saved my recovery codes somewhere safe'));
    expect(done.disabled).toBe(false);
    await click(done);
    await eventually(() =>
      expect(document.activeElement).toBe(heading(container, 'Two-factor authentication')),
    );
    expect(container.querySelector('ol[aria-label="Recovery codes"]')).toBeNull();
    expect(container.textContent).not.toContain(CODES[0]);
    expect(live(container)).toMatch(/recovery codes are saved/);

    // Turning it off needs a current code.
    const off = field(container, 'Code to turn off two-factor');
    await typeText(off, '222222');
    await click(button(container, 'Turn off two-factor'));
    await eventually(() => expect(off.getAttribute('aria-invalid')).toBe('true'));
    expect(document.activeElement).toBe(off);
    await typeText(off, '345678');
    await click(button(container, 'Turn off two-factor'));
    await eventually(() => expect(statusText(container)).toBe('Status: Off'));
    expect(live(container)).toMatch(/^Two-factor authentication is off/);
    expect(document.activeElement).toBe(heading(container, 'Two-factor authentication'));
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows the API refusing to turn it off as an alert (FORBIDDEN)', async () => {
    const { container } = await open([
      viewerMock(true),
      codeMock(
        DisableTwoFactorDocument,
        '123456',
        failure('FORBIDDEN', 'ADMIN and FINANCE users must keep two-factor enabled.'),
      ),
    ]);
    await typeText(field(container, 'Code to turn off two-factor'), '123456');
    await click(button(container, 'Turn off two-factor'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'ADMIN and FINANCE users must keep two-factor enabled.',
      ),
    );
    expect(statusText(container)).toMatch(/^Status: On/);
  });

  it('tells an admin their role requires two-factor, and offers no way to turn it off', async () => {
    const { container } = await open([viewerMock(true, ['LEARNER', 'ADMIN'])]);
    expect(container.textContent).toContain('Your Admin role requires two-factor authentication');
    expect(() => field(container, 'Code to turn off two-factor')).toThrow();
    expect(() => field(container, 'Authentication code')).not.toThrow();
  });

  it('guides an admin without two-factor to set it up', async () => {
    const { container } = await open([viewerMock(false, ['LEARNER', 'ADMIN'])]);
    expect(container.querySelector('[role="status"].eg-alert--info')?.textContent).toMatch(
      /Admin role requires two-factor authentication: until you turn it on, you are signed in without that role/,
    );
    expect(() => button(container, 'Set up two-factor authentication')).not.toThrow();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows typed errors: already on when starting, and a setup that is no longer pending', async () => {
    const { container } = await open([
      viewerMock(false),
      {
        request: { query: BeginTwoFactorEnrollmentDocument },
        result: failure('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor is already enabled.'),
      },
      viewerMock(true),
    ]);
    await click(button(container, 'Set up two-factor authentication'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'Two-factor authentication is already on for your account.',
      ),
    );
    await eventually(() => expect(statusText(container)).toMatch(/^Status: On/));
  });

  it('starts again when the pending setup is gone (TWO_FACTOR_NOT_ENABLED)', async () => {
    const { container } = await open([
      viewerMock(false),
      {
        request: { query: BeginTwoFactorEnrollmentDocument },
        result: {
          data: {
            beginTwoFactorEnrollment: { __typename: 'TwoFactorEnrollment', secret: SECRET, otpauthUri: URI },
          },
        },
      },
      codeMock(
        ConfirmTwoFactorEnrollmentDocument,
        '123456',
        failure('TWO_FACTOR_NOT_ENABLED', 'Start the enrolment first (beginTwoFactorEnrollment).'),
      ),
      viewerMock(false),
    ]);
    await click(button(container, 'Set up two-factor authentication'));
    await eventually(() => expect(() => field(container, 'Authentication code')).not.toThrow());
    await typeText(field(container, 'Authentication code'), '123456');
    await click(button(container, 'Verify and turn on'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toMatch(
        /no longer pending.*Start again/,
      ),
    );
    expect(document.activeElement).toBe(heading(container, 'Two-factor authentication'));
    expect(() => button(container, 'Set up two-factor authentication')).not.toThrow();
  });
});
