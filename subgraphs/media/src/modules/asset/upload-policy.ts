export type AssetKind = 'IMAGE' | 'DOCUMENT' | 'SLIDES' | 'VIDEO' | 'AUDIO' | 'EBOOK';
export const ASSET_KINDS: readonly AssetKind[] = ['IMAGE', 'DOCUMENT', 'SLIDES', 'VIDEO', 'AUDIO', 'EBOOK'];

const MB = 1024 * 1024;

export const MIME = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  weba: 'audio/webm',
  epub: 'application/epub+zip',
} as const;

export type UploadRule = { maxBytes: number; mimeTypes: readonly string[] };

/** Per-kind caps and MIME allow-lists (DOMAIN.md media). */
export const UPLOAD_RULES: Record<AssetKind, UploadRule> = {
  IMAGE: { maxBytes: 30 * MB, mimeTypes: [MIME.jpeg, MIME.png, MIME.gif, MIME.webp] },
  DOCUMENT: {
    maxBytes: 120 * MB,
    mimeTypes: [MIME.pdf, MIME.docx, MIME.doc, MIME.odt, MIME.jpeg, MIME.png],
  },
  SLIDES: { maxBytes: 120 * MB, mimeTypes: [MIME.pptx, MIME.ppt, MIME.odp, MIME.pdf] },
  VIDEO: { maxBytes: 512 * MB, mimeTypes: [MIME.mp4, MIME.webm, MIME.mov] },
  AUDIO: { maxBytes: 100 * MB, mimeTypes: [MIME.mp3, MIME.m4a, MIME.ogg, MIME.wav, MIME.weba] },
  EBOOK: { maxBytes: 60 * MB, mimeTypes: [MIME.epub, MIME.pdf] },
};

/** Slide decks LibreOffice converts to PDF (then page images). */
export const SLIDE_MIME_TYPES: readonly string[] = [MIME.pptx, MIME.ppt, MIME.odp];

export const MAGIC_BYTES_NEEDED = 64;

function startsWith(bytes: Buffer, signature: number[] | string, offset = 0): boolean {
  const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  );
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const EBML = [0x1a, 0x45, 0xdf, 0xa3];

function isoMedia(bytes: Buffer): boolean {
  return startsWith(bytes, 'ftyp', 4);
}

/** OpenDocument and EPUB zips store their MIME type uncompressed as the first entry, `mimetype`. */
function zipMimetype(bytes: Buffer, mimeType: string): boolean {
  return startsWith(bytes, ZIP) && startsWith(bytes, `mimetype${mimeType}`, 30);
}

const MAGIC: Record<string, (bytes: Buffer) => boolean> = {
  [MIME.jpeg]: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  [MIME.png]: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  [MIME.gif]: (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a'),
  [MIME.webp]: (b) => startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8),
  [MIME.pdf]: (b) => startsWith(b, '%PDF-'),
  [MIME.docx]: (b) => startsWith(b, ZIP),
  [MIME.pptx]: (b) => startsWith(b, ZIP),
  [MIME.doc]: (b) => startsWith(b, OLE2),
  [MIME.ppt]: (b) => startsWith(b, OLE2),
  [MIME.odt]: (b) => zipMimetype(b, MIME.odt),
  [MIME.odp]: (b) => zipMimetype(b, MIME.odp),
  [MIME.epub]: (b) => zipMimetype(b, MIME.epub),
  [MIME.mp4]: isoMedia,
  [MIME.mov]: isoMedia,
  [MIME.m4a]: isoMedia,
  [MIME.webm]: (b) => startsWith(b, EBML),
  [MIME.weba]: (b) => startsWith(b, EBML),
  [MIME.mp3]: (b) =>
    startsWith(b, 'ID3') || (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  [MIME.ogg]: (b) => startsWith(b, 'OggS'),
  [MIME.wav]: (b) => startsWith(b, 'RIFF') && startsWith(b, 'WAVE', 8),
};

/** Whether the first bytes of a file match its declared MIME type (unknown types never match). */
export function magicBytesMatch(mimeType: string, firstBytes: Buffer): boolean {
  return MAGIC[mimeType]?.(firstBytes) ?? false;
}

/** `type/subtype` lower-cased, parameters dropped. */
export function normaliseMimeType(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}
