import { useId, type InputHTMLAttributes, type Ref } from 'react';

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string;
  /** Help shown under the field (and read with it). */
  hint?: string;
  /** An error about this field; marks it invalid and is announced. */
  error?: string | null;
  ref?: Ref<HTMLInputElement>;
};

export function TextField({ label, hint, error, ref, className, ...props }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={['eg-field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="eg-field__label">
        {label}
      </label>
      <input
        {...props}
        ref={ref}
        id={id}
        className="eg-field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
      {hint ? (
        <p id={hintId} className="eg-field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="eg-field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
