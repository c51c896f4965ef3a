import type { ReactNode } from 'react';

export function Card({
  children,
  as: Tag = 'section',
  className,
}: {
  children: ReactNode;
  as?: 'section' | 'li' | 'div';
  className?: string;
}) {
  return <Tag className={['eg-card', className].filter(Boolean).join(' ')}>{children}</Tag>;
}
