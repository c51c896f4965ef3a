import type { AssetKind, LessonContentKind } from '../../generated/graphql.js';

/** The media asset kind and the lesson content kind a file becomes. */
export function kindsFor(mimeType: string): { asset: AssetKind; lesson: LessonContentKind } {
  if (mimeType.startsWith('video/')) return { asset: 'VIDEO', lesson: 'VIDEO' };
  if (mimeType.startsWith('audio/')) return { asset: 'AUDIO', lesson: 'AUDIO' };
  if (mimeType.startsWith('image/')) return { asset: 'IMAGE', lesson: 'TEXT' };
  if (mimeType.includes('presentation') || mimeType.includes('powerpoint'))
    return { asset: 'SLIDES', lesson: 'SLIDES' };
  return { asset: 'DOCUMENT', lesson: 'PDF' };
}

function readBytes(file: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsArrayBuffer(file);
  });
}

/** The file's SHA-256 (hex), which media signs into the upload and checks on completion. */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(await readBytes(file)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * PUTs the file to the presigned URL with XMLHttpRequest (fetch has no upload progress), reporting 0–100.
 * The browser sets Content-Length itself; the signed Content-Type comes from `headers`.
 */
export function putWithProgress(
  target: { url: string; method: string; headers: { name: string; value: string }[] },
  file: Blob,
  onProgress: (percent: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const { name, value } of target.headers) {
      // forbidden header names are set by the browser itself
      if (!/^(content-length|host)$/i.test(name)) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve();
      } else reject(new Error(`The upload was refused (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error('The upload could not reach the file store.'));
    xhr.send(file);
  });
}

export const SCAN_LABELS: Record<string, string> = {
  PENDING_UPLOAD: 'Waiting for the upload',
  UPLOADED: 'Uploaded, waiting for the virus scan',
  SCANNING: 'Scanning for viruses',
  READY: 'Ready',
  QUARANTINED: 'Quarantined: the scan found a threat, the file will not be shown',
  FAILED: 'Failed',
  EXPIRED: 'Expired before the upload finished',
};
