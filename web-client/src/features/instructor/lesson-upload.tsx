import { useApolloClient, useMutation } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { Alert } from '../../components/index.js';
import {
  CompleteUploadDocument,
  RequestUploadDocument,
  UpdateLessonDocument,
  UploadedAssetDocument,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { kindsFor, putWithProgress, SCAN_LABELS, sha256Hex } from './upload.js';

const FINAL = new Set(['READY', 'QUARANTINED', 'FAILED', 'EXPIRED']);
const POLL_MS = 2000;

/**
 * Uploads a lesson file through media: requestUpload → PUT with progress → completeUpload → the scan status,
 * polled until READY or QUARANTINED; the asset is attached to the lesson once requested.
 */
export function LessonUpload({
  lessonId,
  asset,
  pollMs = POLL_MS,
}: {
  lessonId: string;
  asset: { id: string; status: string; fileName: string } | null;
  /** How often the scan status is asked for. */
  pollMs?: number;
}) {
  const id = useId();
  const client = useApolloClient();
  const [requestUpload] = useMutation(RequestUploadDocument);
  const [completeUpload] = useMutation(CompleteUploadDocument);
  const [updateLesson] = useMutation(UpdateLessonDocument);
  const [progress, setProgress] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(asset?.status ?? null);
  const [assetId, setAssetId] = useState<string | null>(asset?.id ?? null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!assetId || !status || FINAL.has(status) || status === 'PENDING_UPLOAD') return;
    const timer = setTimeout(() => {
      void client
        .query({ query: UploadedAssetDocument, variables: { id: assetId }, fetchPolicy: 'network-only' })
        .then(({ data }) => data && setStatus(data.asset.status))
        .catch((e: unknown) => setError(errorMessage(e)));
    }, pollMs);
    return () => clearTimeout(timer);
  }, [assetId, status, client, pollMs]);

  const upload = async (file: File) => {
    setError(null);
    setProgress(0);
    try {
      const kinds = kindsFor(file.type || 'application/octet-stream');
      const requested = await requestUpload({
        variables: {
          input: {
            kind: kinds.asset,
            fileName: file.name,
            mimeType: file.type || 'application/octet-stream',
            size: file.size,
            sha256: await sha256Hex(file),
            visibility: 'RESTRICTED',
            ownerDomain: 'learning',
            subjectRef: `Lesson:${lessonId}`,
          },
        },
      });
      const payload = requested.data?.requestUpload;
      if (!payload) throw new Error('The upload could not be started.');
      setAssetId(payload.asset.id);
      setStatus(payload.asset.status);
      await updateLesson({
        variables: { input: { lessonId, assetId: payload.asset.id, contentKind: kinds.lesson } },
      });
      await putWithProgress(payload.upload, file, setProgress);
      const completed = await completeUpload({ variables: { assetId: payload.asset.id } });
      setStatus(completed.data?.completeUpload.asset.status ?? 'UPLOADED');
    } catch (e) {
      setError(e instanceof Error && !('errors' in e) ? e.message : errorMessage(e));
    }
  };

  return (
    <div className="eg-field">
      <label htmlFor={id} className="eg-field__label">
        Lesson file
      </label>
      <input
        id={id}
        type="file"
        className="eg-field__input"
        accept="video/*,audio/*,application/pdf,image/png,image/jpeg,.pptx"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) void upload(file);
        }}
      />
      {progress !== null && progress < 100 ? (
        <progress max={100} value={progress} aria-label="Upload progress">
          {progress} %
        </progress>
      ) : null}
      {status ? (
        <p role="status" className="eg-field__hint">
          {asset && asset.id === assetId ? `${asset.fileName}: ` : null}
          {SCAN_LABELS[status] ?? status}
        </p>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
