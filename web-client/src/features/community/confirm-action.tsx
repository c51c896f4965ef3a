import { useState, type ReactNode } from 'react';
import { Button } from '../../components/index.js';

/**
 * A destructive action asked twice: the first button reveals a question with "confirm" and "cancel" (and any
 * extra inputs, e.g. a reason), so nothing irreversible happens on one click.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  busy,
  onConfirm,
  children,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => Promise<unknown>;
  children?: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button variant="secondary" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <div role="group" aria-label={question} className="eg-confirm">
      <p>{question}</p>
      {children}
      <Button
        variant="danger"
        busy={busy}
        onClick={() =>
          void onConfirm().then(
            () => setAsking(false),
            () => undefined,
          )
        }
      >
        {confirmLabel}
      </Button>{' '}
      <Button variant="link" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  );
}
