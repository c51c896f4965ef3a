/** How long a moderator can mute a member for (`muteCommunityMember` / moderation MUTE take hours). */
export const MUTE_DURATIONS = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
] as const;

/** The mute length choice; the caller renders its label (for `id`). */
export function MuteDurationSelect({
  id,
  hours,
  onChange,
}: {
  id: string;
  hours: number;
  onChange: (hours: number) => void;
}) {
  return (
    <select
      id={id}
      className="eg-field__input"
      value={hours}
      onChange={(e) => onChange(Number(e.target.value))}
    >
      {MUTE_DURATIONS.map((d) => (
        <option key={d.hours} value={d.hours}>
          {d.label}
        </option>
      ))}
    </select>
  );
}
