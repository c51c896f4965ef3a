import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Spinner } from '../../components/index.js';
import { ModerationSettingsDocument, UpdateModerationSettingsDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDateTime } from './format.js';

export const MAX_BAD_WORDS = 200;
export const MAX_BAD_WORD_LENGTH = 60;

/** Words or phrases one a line, trimmed, blanks and repeats (ignoring case) dropped. */
export function parseBadWords(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split('\n')
    .map((w) => w.trim())
    .filter((w) => w && !seen.has(w.toLowerCase()) && (seen.add(w.toLowerCase()), true));
}

/** The community's additions to the built-in bad-word list (REPORTS_HANDLE): posts using them are flagged. */
export function ModerationSettingsForm({ communityId }: { communityId: string }) {
  const id = useId();
  const hintId = useId();
  const { data, loading, error } = useQuery(ModerationSettingsDocument, { variables: { communityId } });
  const settings = data?.community?.moderationSettings;
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [save, saving] = useMutation(UpdateModerationSettingsDocument);
  useEffect(() => {
    if (settings) setText(settings.badWords.join('\n'));
  }, [settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setSaved(null);
    const badWords = parseBadWords(text);
    if (badWords.length > MAX_BAD_WORDS) return setProblem(`At most ${MAX_BAD_WORDS} words or phrases.`);
    const long = badWords.find((w) => w.length > MAX_BAD_WORD_LENGTH);
    if (long) return setProblem(`“${long}” is longer than ${MAX_BAD_WORD_LENGTH} characters.`);
    try {
      const result = await save({ variables: { input: { communityId, badWords } } });
      const updated = result.data?.updateModerationSettings;
      if (updated)
        saving.client.cache.updateQuery(
          { query: ModerationSettingsDocument, variables: { communityId } },
          (prev) =>
            prev?.community ? { community: { ...prev.community, moderationSettings: updated } } : prev,
        );
      setSaved(
        `Saved: ${badWords.length === 1 ? '1 word' : `${badWords.length} words`} added to the built-in list.`,
      );
    } catch (failure) {
      setProblem(`The settings were not saved: ${errorMessage(failure)}`);
    }
  };

  return (
    <Card className="eg-moderation__settings">
      <form aria-label="Moderation settings" onSubmit={(e) => void submit(e)}>
        <h2>Moderation settings</h2>
        {error ? <Alert tone="error">The settings could not be loaded: {errorMessage(error)}</Alert> : null}
        {loading && !data ? <Spinner /> : null}
        <div className="eg-field">
          <label htmlFor={id} className="eg-field__label">
            Blocked words (one a line)
          </label>
          <textarea
            id={id}
            className="eg-field__input"
            rows={5}
            aria-describedby={hintId}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <p id={hintId} className="eg-community__meta">
            Posts and comments using them are flagged for review (matched as whole words, ignoring case,
            accents and look-alike characters). They add to the built-in list
            {settings ? ` of ${settings.defaultBadWordCount} words` : ''}. At most {MAX_BAD_WORDS}, each up to{' '}
            {MAX_BAD_WORD_LENGTH} characters.
            {settings?.updatedAt ? ` Last changed ${formatDateTime(settings.updatedAt)}.` : ''}
          </p>
        </div>
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        <div role="status">{saved}</div>
        <Button type="submit" busy={saving.loading} disabled={!settings}>
          Save settings
        </Button>
      </form>
    </Card>
  );
}
