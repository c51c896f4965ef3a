// @vitest-environment jsdom
import { createHash } from 'node:crypto';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CompleteUploadDocument,
  RequestUploadDocument,
  UpdateLessonDocument,
  UploadedAssetDocument,
} from '../../generated/graphql.js';
import { axeViolations, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { LessonUpload } from './lesson-upload.js';

const BYTES = '%PDF-1.4 a tiny lesson';

/** A stand-in for the browser's XMLHttpRequest: records the PUT, reports half the bytes, finishes when told. */
class FakeXhr {
  static last: FakeXhr | null = null;
  static sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } =
    {
      onprogress: null,
    };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  private method = '';
  private url = '';
  private headers: Record<string, string> = {};
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    FakeXhr.sent.push({ method: this.method, url: this.url, headers: this.headers, body });
    FakeXhr.last = this;
    setTimeout(() => this.upload.onprogress?.({ lengthComputable: true, loaded: 11, total: 22 }), 0);
  }
  finish() {
    this.status = 200;
    this.onload?.();
  }
}

const asset = (status: string) => ({ __typename: 'Asset' as const, id: 'a1', status });

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
  vi.unstubAllGlobals();
});

describe('LessonUpload', () => {
  it('requests the upload, PUTs with the signed headers and progress, completes and follows the scan to READY', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const sha256 = createHash('sha256').update(BYTES).digest('hex');
    rendered = await renderPage(
      [{ path: '/', element: <LessonUpload lessonId="l1" asset={null} pollMs={20} /> }],
      {
        mocks: [
          {
            request: {
              query: RequestUploadDocument,
              variables: {
                input: {
                  kind: 'DOCUMENT',
                  fileName: 'lesson.pdf',
                  mimeType: 'application/pdf',
                  size: BYTES.length,
                  sha256,
                  visibility: 'RESTRICTED',
                  ownerDomain: 'learning',
                  subjectRef: 'Lesson:l1',
                },
              },
            },
            result: {
              data: {
                requestUpload: {
                  __typename: 'RequestUploadPayload',
                  asset: asset('PENDING_UPLOAD'),
                  upload: {
                    __typename: 'AssetUploadTarget',
                    url: 'http://media.test/media/objects/incoming/k1?sig=x',
                    method: 'PUT',
                    headers: [
                      { __typename: 'HttpHeader', name: 'content-type', value: 'application/pdf' },
                      { __typename: 'HttpHeader', name: 'content-length', value: String(BYTES.length) },
                    ],
                  },
                },
              },
            },
          },
          {
            request: {
              query: UpdateLessonDocument,
              variables: { input: { lessonId: 'l1', assetId: 'a1', contentKind: 'PDF' } },
            },
            result: {
              data: {
                updateLesson: {
                  __typename: 'LessonPayload',
                  lesson: {
                    __typename: 'Lesson',
                    id: 'l1',
                    title: 'Intro',
                    position: 1,
                    contentKind: 'PDF',
                    body: null,
                    asset: { ...asset('PENDING_UPLOAD'), fileName: 'lesson.pdf' },
                  },
                },
              },
            },
          },
          {
            request: { query: CompleteUploadDocument, variables: { assetId: 'a1' } },
            result: {
              data: {
                completeUpload: {
                  __typename: 'CompleteUploadPayload',
                  asset: { ...asset('SCANNING'), failureReason: null },
                },
              },
            },
          },
          // the first poll still answers SCANNING (unchanged): polling goes on until READY
          {
            request: { query: UploadedAssetDocument, variables: { id: 'a1' } },
            result: {
              data: { asset: { ...asset('SCANNING'), fileName: 'lesson.pdf', failureReason: null } },
            },
          },
          {
            request: { query: UploadedAssetDocument, variables: { id: 'a1' } },
            result: {
              data: { asset: { ...asset('READY'), fileName: 'lesson.pdf', failureReason: null } },
            },
          },
        ],
      },
    );
    const { container } = rendered;
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    const file = new File([BYTES], 'lesson.pdf', { type: 'application/pdf' });
    Object.defineProperty(input, 'files', { value: [file] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await eventually(() => expect(container.querySelector('progress')?.getAttribute('value')).toBe('50'));
    expect(container.textContent).toContain('lesson.pdf: Waiting for the upload');
    // one upload at a time
    expect(input.disabled).toBe(true);
    expect(await axeViolations(container)).toEqual([]);
    await act(async () => FakeXhr.last?.finish());
    await eventually(() => expect(container.textContent).toContain('Scanning for viruses'));
    expect(FakeXhr.sent).toEqual([
      {
        method: 'PUT',
        url: 'http://media.test/media/objects/incoming/k1?sig=x',
        headers: { 'content-type': 'application/pdf' },
        body: file,
      },
    ]);
    // polled twice after the scan started, the second time answering READY; the bar stays at 100 %
    await eventually(() =>
      expect(container.querySelector('[role="status"]')?.textContent).toBe('lesson.pdf: Ready'),
    );
    expect(container.querySelector('progress')?.getAttribute('value')).toBe('100');
    expect(container.querySelector<HTMLInputElement>('input[type="file"]')?.disabled).toBe(false);
  });
});
