// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { CertificateByVerificationIdDocument } from '../../generated/graphql.js';
import { axeViolations, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { CertificatePage } from './certificate-page.js';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('CertificatePage', () => {
  it('shows who completed what, and says when no certificate has the id', async () => {
    const certificate = {
      __typename: 'CourseCertificate' as const,
      id: 'cert1',
      verificationId: 'VER-123',
      courseTitle: 'Inclusive Design',
      issuedAt: '2026-11-28T10:00:00.000Z',
      holder: { __typename: 'User' as const, id: 'u1', displayName: 'Bea Buyer' },
    };
    rendered = await renderPage([{ path: '/certificates/:verificationId', element: <CertificatePage /> }], {
      at: '/certificates/VER-123',
      mocks: [
        {
          request: { query: CertificateByVerificationIdDocument, variables: { verificationId: 'VER-123' } },
          result: { data: { certificate } },
        },
        {
          request: { query: CertificateByVerificationIdDocument, variables: { verificationId: 'nope' } },
          result: { data: { certificate: null } },
        },
      ],
    });
    const { container, router } = rendered;
    await eventually(() =>
      expect(container.querySelector('.eg-lead')?.textContent).toBe('Bea Buyer completed Inclusive Design.'),
    );
    expect(container.textContent).toContain('VER-123');
    expect(await axeViolations(container)).toEqual([]);
    await router.navigate('/certificates/nope');
    await eventually(() => expect(container.querySelector('h1')?.textContent).toBe('Certificate not found'));
  });
});
