/** A loading indicator with a text alternative. */
export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="eg-spinner" role="status">
      <span className="eg-spinner__dot" aria-hidden="true" />
      {label}
    </p>
  );
}
