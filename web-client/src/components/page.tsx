import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page: sets the document title and moves focus to the heading on navigation, so screen-reader and keyboard
 * users start at the new content (client-side routing does not do this by itself).
 */
export function Page({
  title,
  heading = title,
  actions,
  children,
}: {
  title: string;
  heading?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Edugraph`;
    ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <article className="eg-page">
      <header className="eg-page__header">
        <h1 ref={ref} tabIndex={-1} className="eg-page__title">
          {heading}
        </h1>
        {actions ? <div className="eg-page__actions">{actions}</div> : null}
      </header>
      {children}
    </article>
  );
}
