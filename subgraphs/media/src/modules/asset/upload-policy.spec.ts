import { describe, expect, it } from 'vitest';
import { makePdf } from '../../testing/pdf.js';
import { magicBytesMatch, MIME, normaliseMimeType, UPLOAD_RULES } from './upload-policy.js';

const MB = 1024 * 1024;

describe('upload policy', () => {
  it('caps each kind as DOMAIN.md says', () => {
    expect(
      Object.fromEntries(Object.entries(UPLOAD_RULES).map(([kind, rule]) => [kind, rule.maxBytes / MB])),
    ).toEqual({
      IMAGE: 30,
      DOCUMENT: 120,
      SLIDES: 120,
      VIDEO: 512,
      AUDIO: 100,
      EBOOK: 60,
    });
  });

  it('allows no scriptable or executable type', () => {
    const all = Object.values(UPLOAD_RULES).flatMap((r) => r.mimeTypes);
    for (const risky of ['image/svg+xml', 'text/html', 'application/javascript', 'application/x-msdownload'])
      expect(all).not.toContain(risky);
  });

  it('checks magic bytes per type', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array(26).fill(0)]);
    const odp = Buffer.concat([zip, Buffer.from(`mimetype${MIME.odp}`)]);
    const epub = Buffer.concat([zip, Buffer.from(`mimetype${MIME.epub}`)]);
    expect(magicBytesMatch(MIME.pdf, makePdf(['x']))).toBe(true);
    expect(magicBytesMatch(MIME.pdf, Buffer.from('<html>'))).toBe(false);
    expect(magicBytesMatch(MIME.png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      true,
    );
    expect(magicBytesMatch(MIME.jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(magicBytesMatch(MIME.jpeg, Buffer.from('GIF89a'))).toBe(false);
    expect(magicBytesMatch(MIME.gif, Buffer.from('GIF89a'))).toBe(true);
    expect(magicBytesMatch(MIME.webp, Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe(true);
    expect(magicBytesMatch(MIME.wav, Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe(false);
    expect(magicBytesMatch(MIME.pptx, zip)).toBe(true);
    expect(magicBytesMatch(MIME.odp, odp)).toBe(true);
    expect(magicBytesMatch(MIME.odp, zip)).toBe(false);
    expect(magicBytesMatch(MIME.epub, epub)).toBe(true);
    expect(magicBytesMatch(MIME.ppt, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(
      true,
    );
    expect(magicBytesMatch(MIME.mp4, Buffer.from('\0\0\0\x20ftypisom', 'latin1'))).toBe(true);
    expect(magicBytesMatch(MIME.webm, Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toBe(true);
    expect(magicBytesMatch(MIME.mp3, Buffer.from('ID3\x04'))).toBe(true);
    expect(magicBytesMatch(MIME.mp3, Buffer.from([0xff, 0xfb, 0x90]))).toBe(true);
    expect(magicBytesMatch(MIME.ogg, Buffer.from('OggS'))).toBe(true);
    expect(magicBytesMatch('application/x-unknown', Buffer.from('anything'))).toBe(false);
    expect(magicBytesMatch(MIME.pdf, Buffer.alloc(0))).toBe(false);
  });

  it('normalises MIME types', () => {
    expect(normaliseMimeType(' Application/PDF; charset=binary')).toBe('application/pdf');
  });
});
