import type { ButtonHTMLAttributes } from 'react';

/** A button that says when it is working and cannot be pressed twice meanwhile. */
export function Button({
  busy = false,
  busyLabel,
  variant = 'primary',
  children,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; busyLabel?: string; variant?: 'primary' | 'secondary' | 'danger' }) {
  return (
    <button type={type} className={`button-${variant}`} aria-busy={busy || undefined} disabled={busy || rest.disabled} {...rest}>
      {busy ? (busyLabel ?? children) : children}
    </button>
  );
}
