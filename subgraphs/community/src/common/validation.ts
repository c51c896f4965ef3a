import { BadUserInputError } from '@edugraph/kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new BadUserInputError(`"${field}" must be a UUID.`, field);
  return value.toLowerCase();
}

/** Trims and checks a length range; BAD_USER_INPUT otherwise. */
export function text(value: string, field: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max)
    throw new BadUserInputError(`"${field}" must have ${min}–${max} characters.`, field);
  return trimmed;
}

export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadUserInputError(`"${field}" must be an integer between ${min} and ${max}.`, field);
  return value;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MIN = 3;
export const SLUG_MAX = 60;

/** A community slug: lowercase letters, digits and single dashes, 3–60 characters. */
export function assertSlug(value: string): string {
  const slug = value.trim().toLowerCase();
  if (!SLUG.test(slug) || slug.length < SLUG_MIN || slug.length > SLUG_MAX)
    throw new BadUserInputError(
      `"slug" must be ${SLUG_MIN}–${SLUG_MAX} lowercase letters, digits and single dashes.`,
      'slug',
    );
  return slug;
}

/** A URL-friendly slug from a name (ASCII letters and digits, dashes between words), at least 3 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug.length >= SLUG_MIN ? slug : `community${slug ? `-${slug}` : ''}`;
}

/** Trimmed, de-duplicated, each 1–max characters, at most `count`. */
export function stringList(values: string[], field: string, count: number, max: number): string[] {
  const cleaned = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  if (cleaned.length > count) throw new BadUserInputError(`"${field}" has at most ${count} entries.`, field);
  for (const value of cleaned)
    if (value.length > max)
      throw new BadUserInputError(`Each of "${field}" has at most ${max} characters.`, field);
  return cleaned;
}

/** An IANA time zone name the runtime knows (e.g. `Europe/Lisbon`, `UTC`). */
export function assertTimeZone(value: string, field = 'timeZone'): string {
  const zone = value.trim();
  try {
    if (zone.length > 0 && zone.length <= 64) {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone;
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError(`"${field}" must be an IANA time zone such as "Europe/Lisbon".`, field);
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  return e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}
