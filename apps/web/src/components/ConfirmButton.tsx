import { useState } from 'react';
import { Button } from './Button.js';

/** A destructive action asked twice: the first press reveals the confirmation beside it. */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  busy,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  busy: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="secondary" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <Button variant="danger" busy={busy} busyLabel="Working…" onClick={onConfirm} autoFocus>
        {confirmLabel}
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)} disabled={busy}>
        Keep it
      </Button>
    </span>
  );
}
