import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Alert, Button, Card, Spinner } from '../../components/index.js';
import {
  CommunityEventsDocument,
  RsvpCommunityEventDocument,
  type CommunityEventRsvpChoice,
  type CommunityPermission,
  type EventOccurrenceFragment,
} from '../../generated/graphql.js';
import { SafeHtml } from '../player/safe-html.js';
import { can, formatDateTime, monthGrid } from './format.js';

const CHOICES: { value: CommunityEventRsvpChoice; label: string }[] = [
  { value: 'GOING', label: 'Going' },
  { value: 'INTERESTED', label: 'Interested' },
  { value: 'DECLINED', label: 'Not going' },
];

const monthName = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Upcoming occurrences (list or month), each with its detail and RSVP, and the calendar feed. */
export function EventsTab({
  communityId,
  permissions,
}: {
  communityId: string;
  permissions: readonly CommunityPermission[];
}) {
  const [view, setView] = useState<'list' | 'month'>('list');
  const [month, setMonth] = useState(() => {
    const now = new Date();
    return { year: now.getUTCFullYear(), month: now.getUTCMonth() };
  });
  const window =
    view === 'list'
      ? { from: null, to: null }
      : {
          from: new Date(Date.UTC(month.year, month.month, 1)).toISOString(),
          to: new Date(Date.UTC(month.year, month.month + 1, 1)).toISOString(),
        };
  const { data, loading, error } = useQuery(CommunityEventsDocument, {
    variables: { communityId, ...window },
  });
  const occurrences = (data?.community?.events.edges ?? []).map((e) => e.node);
  const [selected, setSelected] = useState<string | null>(null);
  const feedUrl = data?.community?.calendarFeedUrl;
  const shift = (delta: number) =>
    setMonth(({ year, month: m }) => {
      const d = new Date(Date.UTC(year, m + delta, 1));
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
    });
  return (
    <div className="eg-events">
      <div className="eg-events__toolbar" role="group" aria-label="Calendar view">
        <Button
          variant={view === 'list' ? 'primary' : 'secondary'}
          aria-pressed={view === 'list'}
          onClick={() => setView('list')}
        >
          Upcoming
        </Button>
        <Button
          variant={view === 'month' ? 'primary' : 'secondary'}
          aria-pressed={view === 'month'}
          onClick={() => setView('month')}
        >
          Month
        </Button>
        {feedUrl ? (
          <a
            className="eg-events__feed"
            href={feedUrl.replace(/^https?:/, 'webcal:')}
            title="Subscribe in your calendar app"
          >
            Add to calendar
          </a>
        ) : null}
        {feedUrl ? (
          <a className="eg-events__feed" href={feedUrl}>
            Calendar feed (ICS)
          </a>
        ) : null}
      </div>
      {error ? <Alert tone="error">The events could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {view === 'month' ? (
        <MonthView
          year={month.year}
          month={month.month}
          occurrences={occurrences}
          onPrevious={() => shift(-1)}
          onNext={() => shift(1)}
          onSelect={setSelected}
        />
      ) : data && occurrences.length === 0 ? (
        <p>No upcoming events.</p>
      ) : null}
      <ul className="eg-events__list" aria-label={view === 'list' ? 'Upcoming events' : 'Events this month'}>
        {occurrences
          .filter((o) => view === 'list' || selected === null || o.id === selected)
          .map((o) => (
            <OccurrenceCard
              key={o.id}
              occurrence={o}
              canRsvp={can(permissions, 'EVENT_RSVP')}
              open={selected === o.id}
              onToggle={() => setSelected((s) => (s === o.id ? null : o.id))}
            />
          ))}
      </ul>
    </div>
  );
}

function MonthView({
  year,
  month,
  occurrences,
  onPrevious,
  onNext,
  onSelect,
}: {
  year: number;
  month: number;
  occurrences: EventOccurrenceFragment[];
  onPrevious: () => void;
  onNext: () => void;
  onSelect: (id: string) => void;
}) {
  const captionId = useId();
  const cells = monthGrid(year, month);
  const weeks: (Date | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const onDay = (day: Date) =>
    occurrences.filter(
      (o) => new Date(o.startsAt).toISOString().slice(0, 10) === day.toISOString().slice(0, 10),
    );
  return (
    <div className="eg-month">
      <div className="eg-month__nav">
        <Button variant="secondary" onClick={onPrevious}>
          Previous month
        </Button>
        <h2 id={captionId}>{monthName.format(new Date(Date.UTC(year, month, 1)))}</h2>
        <Button variant="secondary" onClick={onNext}>
          Next month
        </Button>
      </div>
      <table className="eg-month__grid" aria-labelledby={captionId}>
        <thead>
          <tr>
            {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {Array.from({ length: 7 }, (_, i) => week[i] ?? null).map((day, i) => (
                <td key={i}>
                  {day ? (
                    <>
                      <span className="eg-month__day">{day.getUTCDate()}</span>
                      {onDay(day).map((o) => (
                        <Button
                          key={o.id}
                          variant="link"
                          className="eg-month__event"
                          onClick={() => onSelect(o.id)}
                        >
                          {o.event?.title ?? 'Event'}
                        </Button>
                      ))}
                    </>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function rsvpSummary(o: EventOccurrenceFragment): string {
  const rsvp = o.viewerRsvp;
  if (!rsvp) return 'You have not answered.';
  if (rsvp.status === 'WAITLISTED')
    return `You are on the waitlist (position ${rsvp.waitlistPosition ?? '?'}).`;
  if (rsvp.status === 'GOING') return 'You are going.';
  if (rsvp.status === 'INTERESTED') return 'You are interested.';
  return 'You are not going.';
}

function OccurrenceCard({
  occurrence: o,
  canRsvp,
  open,
  onToggle,
}: {
  occurrence: EventOccurrenceFragment;
  canRsvp: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const headingId = useId();
  const [rsvp, { loading, error }] = useMutation(RsvpCommunityEventDocument);
  const title = o.event?.title ?? 'Event';
  const answer = (status: CommunityEventRsvpChoice) =>
    void rsvp({ variables: { input: { occurrenceId: o.id, status } } }).catch(() => undefined);
  return (
    <Card as="li" className="eg-event">
      <h2 id={headingId}>{title}</h2>
      <p className="eg-community__meta">
        <time dateTime={o.startsAt}>{formatDateTime(o.startsAt)}</time> –{' '}
        <time dateTime={o.endsAt}>{formatDateTime(o.endsAt)}</time>
        {o.event
          ? ` · ${o.event.format === 'ONLINE' ? 'Online' : o.event.format === 'IN_PERSON' ? 'In person' : o.event.format}`
          : ''}
        {o.cancelledAt ? ' · Cancelled' : ''}
      </p>
      <p className="eg-community__meta">
        {o.counts.going} going · {o.counts.interested} interested
        {o.counts.waitlisted ? ` · ${o.counts.waitlisted} on the waitlist` : ''}
        {o.spotsLeft !== null && o.spotsLeft !== undefined
          ? ` · ${o.spotsLeft} ${o.spotsLeft === 1 ? 'spot' : 'spots'} left`
          : ''}
      </p>
      <p role="status" data-testid="rsvp-status">
        {rsvpSummary(o)}
      </p>
      <Button variant="link" aria-expanded={open} onClick={onToggle}>
        {open ? 'Hide details' : 'Details'}
      </Button>
      {open && o.event ? (
        <div className="eg-event__detail">
          <SafeHtml html={o.event.description} />
          <p className="eg-community__meta">
            Times in {o.event.timeZone}: starts {o.localStartsAt.replace('T', ' ')}
          </p>
          {o.event.meetingUrl ? (
            <p>
              <a href={o.event.meetingUrl} rel="noopener noreferrer">
                Meeting link
              </a>
            </p>
          ) : null}
        </div>
      ) : null}
      {canRsvp && !o.cancelledAt ? (
        <div role="group" aria-label={`Your answer for ${title}`} className="eg-event__rsvp">
          {CHOICES.map((c) => {
            const current =
              o.viewerRsvp?.status === c.value ||
              (c.value === 'GOING' && o.viewerRsvp?.status === 'WAITLISTED');
            return (
              <Button
                key={c.value}
                variant={current ? 'primary' : 'secondary'}
                aria-pressed={current}
                busy={loading}
                onClick={() => answer(c.value)}
              >
                {c.label}
              </Button>
            );
          })}
        </div>
      ) : null}
      {error ? <Alert tone="error">The answer was not saved: {error.message}</Alert> : null}
    </Card>
  );
}
