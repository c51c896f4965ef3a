import { BadUserInputError } from '@edugraph/kit';
import { htmlToText, sanitizeRichHtml } from '../../common/rich-text.js';
import { assertUuid } from '../../common/validation.js';
import { InvalidEmojiError } from './feed.errors.js';

/** Post bodies: 1–8,000 characters of text; the sanitised HTML at most twice that. */
export const POST_BODY_MAX = 8_000;
/** Comment bodies: 1–4,000 characters of text; the sanitised HTML at most twice that. */
export const COMMENT_BODY_MAX = 4_000;
export const TITLE_MAX = 200;
export const MAX_TAGS = 12;
export const TAG_MAX = 32;
export const MAX_MENTIONS = 50;
export const MAX_ATTACHMENTS = 10;
export const EXCERPT_MAX = 280;

export type RichText = { html: string; text: string; excerpt: string };

/**
 * Rich text input → sanitised HTML with its plain text: BAD_USER_INPUT when the text is empty or longer
 * than `max` characters, or the HTML longer than twice that.
 */
export function richText(input: string, field: string, max: number): RichText {
  const html = sanitizeRichHtml(input);
  const text = htmlToText(html);
  if (text.length < 1 || text.length > max)
    throw new BadUserInputError(`"${field}" must have 1–${max} characters of text.`, field);
  if (html.length > 2 * max)
    throw new BadUserInputError(`"${field}" has too much formatting (at most ${2 * max} characters).`, field);
  return { html, text, excerpt: excerptOf(text) };
}

export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_MAX ? flat : `${flat.slice(0, EXCERPT_MAX - 1).trimEnd()}…`;
}

/** An optional plain-text title: trimmed, empty → null, at most 200 characters. */
export function titleOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const title = value.replace(/\s+/g, ' ').trim();
  if (title.length === 0) return null;
  if (title.length > TITLE_MAX)
    throw new BadUserInputError(`"title" has at most ${TITLE_MAX} characters.`, 'title');
  return title;
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u;

/**
 * Tags: trimmed, a leading `#` dropped, lowercased, inner spaces become dashes; letters, digits, `_` and
 * `-` (starting with a letter or digit), 1–32 characters, de-duplicated, at most 12.
 */
export function normaliseTags(values: readonly string[]): string[] {
  const tags: string[] = [];
  for (const value of values) {
    const tag = value.trim().replace(/^#/, '').normalize('NFC').toLowerCase().replace(/\s+/g, '-');
    if ([...tag].length < 1 || [...tag].length > TAG_MAX || !TAG.test(tag))
      throw new BadUserInputError(
        `Each tag is 1–${TAG_MAX} letters, digits, "_" or "-" (starting with a letter or digit).`,
        'tags',
      );
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) throw new BadUserInputError(`At most ${MAX_TAGS} tags.`, 'tags');
  return tags;
}

/** A tag filter (same normalisation; BAD_USER_INPUT when it cannot be a tag). */
export function normaliseTag(value: string): string {
  const [tag] = normaliseTags([value]);
  return tag as string;
}

const HANDLE = /(?:^|[^\p{L}\p{N}_@.])@([a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)/giu;

export type Mentions = { userIds: string[]; handles: string[] };

/**
 * Mentions: explicit user ids (UUIDs) plus every `@handle` in the text (letters, digits, `_` and `.`,
 * ≤ 30 characters, lowercased). Handles are stored as written — identity has no handles yet, so the
 * notifications consumer resolves them; at most 50 of each.
 */
export function mentionsOf(text: string, userIds: readonly string[] | null | undefined): Mentions {
  const ids = [...new Set((userIds ?? []).map((id) => assertUuid(id, 'mentionUserIds')))];
  if (ids.length > MAX_MENTIONS)
    throw new BadUserInputError(`At most ${MAX_MENTIONS} mentioned users.`, 'mentionUserIds');
  const handles = [...new Set([...text.matchAll(HANDLE)].map((m) => (m[1] as string).toLowerCase()))].slice(
    0,
    MAX_MENTIONS,
  );
  return { userIds: ids, handles };
}

/** Media asset ids of attachments: UUIDs, de-duplicated, at most 10. */
export function attachmentIds(values: readonly string[] | null | undefined): string[] {
  const ids = [...new Set((values ?? []).map((id) => assertUuid(id, 'attachmentAssetIds')))];
  if (ids.length > MAX_ATTACHMENTS)
    throw new BadUserInputError(`At most ${MAX_ATTACHMENTS} attachments.`, 'attachmentAssetIds');
  return ids;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI_PART = /^[\p{Extended_Pictographic}\p{Emoji_Component}]$/u;
const EMOJI_CORE = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u;
const REGIONAL_INDICATOR = /^\p{Regional_Indicator}$/u;

/**
 * A reaction emoji: exactly one grapheme cluster (so 👍, 👍🏽, ❤️, 👩‍💻, 🇵🇹 and 1️⃣ are each one), made only of
 * emoji code points (pictographs, modifiers, ZWJ, variation selectors, regional indicators, keycaps,
 * tags) with at least one pictograph, flag (two regional indicators) or keycap; at most 32 UTF-16 units.
 * INVALID_EMOJI otherwise.
 */
export function assertEmoji(value: string): string {
  const emoji = value.trim().normalize('NFC');
  if (emoji.length < 1 || emoji.length > 32) throw new InvalidEmojiError();
  const graphemes = [...segmenter.segment(emoji)];
  if (graphemes.length !== 1) throw new InvalidEmojiError();
  const points = [...emoji];
  if (!points.every((p) => EMOJI_PART.test(p)) || !EMOJI_CORE.test(emoji)) throw new InvalidEmojiError();
  // A flag is exactly two regional indicators (a lone one is a letter, not an emoji).
  const indicators = points.filter((p) => REGIONAL_INDICATOR.test(p)).length;
  if (indicators > 0 && (indicators !== 2 || points.length !== 2)) throw new InvalidEmojiError();
  return emoji;
}
