import type { ButtonHTMLAttributes } from 'react';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  /** Shows progress and blocks repeated submits; the label stays for screen readers. */
  busy?: boolean;
};

export function Button({ variant = 'primary', busy = false, className, children, ...props }: ButtonProps) {
  return (
    <button
      type="button"
      {...props}
      className={['eg-button', `eg-button--${variant}`, className].filter(Boolean).join(' ')}
      aria-busy={busy || undefined}
      disabled={props.disabled || busy}
    >
      {children}
    </button>
  );
}
