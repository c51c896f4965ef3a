import { useId, useState, type FormEvent } from 'react';
import { Alert, Button, TextField } from '../../components/index.js';
import type {
  CommunityJoinPolicy,
  CommunityPostingPolicy,
  CommunityVisibility,
} from '../../generated/graphql.js';
import { errorCode, errorField, errorMessage } from '../../lib/graphql-errors.js';

export type CommunitySettingsValues = {
  name: string;
  slug: string;
  description: string;
  visibility: CommunityVisibility;
  joinPolicy: CommunityJoinPolicy;
  postingPolicy: CommunityPostingPolicy;
  categories: string[];
};

type Field = 'name' | 'slug' | 'description' | 'categories' | 'joinPolicy';

/** The slug the API derives from a name (ASCII letters and digits, dashes between words, at most 50). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "a, b" → ["a", "b"]: trimmed, without blanks or duplicates. */
export const parseCategories = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  ),
];

/** Client-side checks mirroring the API's (3–80 name, 3–60 slug, at most 5 categories of ≤ 40). */
export function validateSettings(values: CommunitySettingsValues): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {};
  const name = values.name.trim();
  if (name.length < 3 || name.length > 80) problems.name = 'Use 3 to 80 characters.';
  if (!SLUG.test(values.slug) || values.slug.length < 3 || values.slug.length > 60)
    problems.slug = 'Use 3 to 60 lowercase letters, digits and single dashes.';
  if (values.description.length > 2000) problems.description = 'Use at most 2,000 characters.';
  if (values.categories.length > 5 || values.categories.some((c) => c.length > 40))
    problems.categories = 'At most 5 categories of at most 40 characters each.';
  if (values.visibility === 'PRIVATE' && values.joinPolicy === 'OPEN')
    problems.joinPolicy = 'A private community cannot be open: choose approval or invitation.';
  return problems;
}

/**
 * The profile and policies of a community, for creating one and for its settings: the slug follows the name
 * until it is edited by hand; typed API errors (SLUG_TAKEN, BAD_USER_INPUT on a field) show on their field.
 */
export function CommunitySettingsForm({
  initial,
  submitLabel,
  label,
  onSubmit,
}: {
  initial?: CommunitySettingsValues;
  submitLabel: string;
  label: string;
  onSubmit: (values: CommunitySettingsValues) => Promise<void>;
}) {
  const descriptionId = useId();
  const joinId = useId();
  const postingId = useId();
  const [values, setValues] = useState<CommunitySettingsValues>(
    initial ?? {
      name: '',
      slug: '',
      description: '',
      visibility: 'PUBLIC',
      joinPolicy: 'OPEN',
      postingPolicy: 'ALL_MEMBERS',
      categories: [],
    },
  );
  const [categories, setCategories] = useState((initial?.categories ?? []).join(', '));
  const [slugEdited, setSlugEdited] = useState(Boolean(initial));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const next = { ...values, name: values.name.trim(), categories: parseCategories(categories) };
    const problems = validateSettings(next);
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(next);
    } catch (failure) {
      const field = errorField(failure);
      if (errorCode(failure) === 'SLUG_TAKEN')
        setFieldErrors({ slug: 'Another community already uses this address. Choose another one.' });
      else if (field === 'name' || field === 'slug' || field === 'description' || field === 'categories')
        setFieldErrors({ [field]: errorMessage(failure) });
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="eg-form" aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField
        label="Name"
        required
        maxLength={80}
        value={values.name}
        error={fieldErrors.name}
        onChange={(e) => {
          const name = e.target.value;
          setValues((v) => ({ ...v, name, slug: slugEdited ? v.slug : slugify(name) }));
        }}
      />
      <TextField
        label="Address"
        required
        maxLength={60}
        hint={`Lowercase letters, digits and dashes: /communities/${values.slug || '…'}`}
        value={values.slug}
        error={fieldErrors.slug}
        onChange={(e) => {
          setSlugEdited(true);
          setValues((v) => ({ ...v, slug: e.target.value.toLowerCase() }));
        }}
      />
      <div className="eg-field">
        <label htmlFor={descriptionId} className="eg-field__label">
          Description
        </label>
        <textarea
          id={descriptionId}
          className="eg-field__input"
          rows={3}
          maxLength={2000}
          value={values.description}
          aria-invalid={fieldErrors.description ? true : undefined}
          aria-describedby={fieldErrors.description ? `${descriptionId}-error` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
        />
        {fieldErrors.description ? (
          <p id={`${descriptionId}-error`} className="eg-field__error">
            {fieldErrors.description}
          </p>
        ) : null}
      </div>
      <fieldset className="eg-field">
        <legend className="eg-field__label">Visibility</legend>
        <label className="eg-community__check">
          <input
            type="radio"
            name="visibility"
            checked={values.visibility === 'PUBLIC'}
            onChange={() => setValues((v) => ({ ...v, visibility: 'PUBLIC' }))}
          />{' '}
          Public — anyone finds and reads it
        </label>
        <label className="eg-community__check">
          <input
            type="radio"
            name="visibility"
            checked={values.visibility === 'PRIVATE'}
            onChange={() =>
              setValues((v) => ({
                ...v,
                visibility: 'PRIVATE',
                joinPolicy: v.joinPolicy === 'OPEN' ? 'APPROVAL' : v.joinPolicy,
              }))
            }
          />{' '}
          Private — only members read it
        </label>
      </fieldset>
      <div className="eg-field">
        <label htmlFor={joinId} className="eg-field__label">
          Who may join
        </label>
        <select
          id={joinId}
          className="eg-field__input"
          value={values.joinPolicy}
          aria-invalid={fieldErrors.joinPolicy ? true : undefined}
          aria-describedby={fieldErrors.joinPolicy ? `${joinId}-error` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, joinPolicy: e.target.value as CommunityJoinPolicy }))}
        >
          {values.visibility === 'PUBLIC' ? <option value="OPEN">Anyone, at once</option> : null}
          <option value="APPROVAL">Anyone who asks, once approved</option>
          <option value="INVITE_ONLY">Only people invited</option>
        </select>
        {fieldErrors.joinPolicy ? (
          <p id={`${joinId}-error`} className="eg-field__error">
            {fieldErrors.joinPolicy}
          </p>
        ) : null}
      </div>
      <div className="eg-field">
        <label htmlFor={postingId} className="eg-field__label">
          Who may post
        </label>
        <select
          id={postingId}
          className="eg-field__input"
          value={values.postingPolicy}
          onChange={(e) =>
            setValues((v) => ({ ...v, postingPolicy: e.target.value as CommunityPostingPolicy }))
          }
        >
          <option value="ALL_MEMBERS">Every member</option>
          <option value="MODERATORS_ONLY">Moderators and above</option>
        </select>
      </div>
      <TextField
        label="Categories"
        hint="Separated by commas, at most 5."
        value={categories}
        error={fieldErrors.categories}
        onChange={(e) => setCategories(e.target.value)}
      />
      <div className="eg-form__actions">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
