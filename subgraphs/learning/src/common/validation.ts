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

export function assertSlug(value: string): string {
  const slug = value.trim().toLowerCase();
  if (!SLUG.test(slug) || slug.length > 80)
    throw new BadUserInputError('"slug" must be lowercase letters, digits and single dashes (≤ 80).', 'slug');
  return slug;
}

/** A URL-friendly slug from a title (ASCII letters and digits, dashes between words). */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'course';
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
