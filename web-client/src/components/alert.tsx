import type { ReactNode } from 'react';

/** A message region. `error` is announced at once (role=alert); `info`/`success` politely (role=status). */
export function Alert({
  tone = 'info',
  children,
}: {
  tone?: 'info' | 'success' | 'error';
  children: ReactNode;
}) {
  return (
    <div className={`eg-alert eg-alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
