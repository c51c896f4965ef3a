/** "Unlocks on 3 Dec 2026, 09:00" in the reader's locale. */
export function formatUnlock(iso: string | null): string {
  if (!iso) return 'Locked';
  return `Unlocks ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))}`;
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export type ItemKind = 'lesson' | 'quiz' | 'assignment';
