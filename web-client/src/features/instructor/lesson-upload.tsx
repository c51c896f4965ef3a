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
  const [fileName, setFileName] = useState<string | null>(asset?.fileName ?? null);
  const [failureReason, setFailureReason] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Counts answers, so an unchanged status (still UPLOADED) schedules the next poll too.
  const [polls, setPolls] = useState(0);

  useEffect(() => {
    if (!assetId || !status || FINAL.has(status) || status === 'PENDING_UPLOAD') return;
    let current = true;
    const timer = setTimeout(() => {
      void client
        .query({ query: UploadedAssetDocument, variables: { id: assetId }, fetchPolicy: 'network-only' })
        .then(({ data }) => {
          if (!current || !data) return;
          setStatus(data.asset.status);
          setFailureReason(data.asset.failureReason ?? null);
          setPolls((n) => n + 1);
        })
        .catch((e: unknown) => current && setError(errorMessage(e)));
    }, pollMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [assetId, status, polls, client, pollMs]);

  const upload = async (file: File) => {
    setError(null);
    setFailureReason(null);
    setProgress(0);
    setBusy(true);
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
      setFileName(file.name);
      setStatus(payload.asset.status);
      await updateLesson({
        variables: { input: { lessonId, assetId: payload.asset.id, contentKind: kinds.lesson } },
      });
      await putWithProgress(payload.upload, file, setProgress);
      const completed = await completeUpload({ variables: { assetId: payload.asset.id } });
      setStatus(completed.data?.completeUpload.asset.status ?? 'UPLOADED');
      setFailureReason(completed.data?.completeUpload.asset.failureReason ?? null);
    } catch (e) {
      setError(e instanceof Error && !('errors' in e) ? e.message : errorMessage(e));
    } finally {
      setBusy(false);
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
        disabled={busy}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) void upload(file);
        }}
      />
      {progress !== null ? (
        // stays at 100 once the file is sent, so the finished upload remains visible beside the scan status
        <progress max={100} value={progress} aria-label="Upload progress">
          {progress} %
        </progress>
      ) : null}
      {status ? (
        <p role="status" className="eg-field__hint">
          {fileName ? `${fileName}: ` : null}
          {SCAN_LABELS[status] ?? status}
          {failureReason ? ` (${failureReason})` : null}
        </p>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
