import type { FlagKind, Severity } from './moderation.entity.js';

/**
 * Automatic flags (pure). Scores add up to a case's risk score (0–100):
 *
 * - BAD_WORDS: the default list below plus the community's additions, matched as whole words or phrases
 *   after folding case, accents and common look-alikes (`1d10t` → `idiot`): 40 for the first distinct
 *   word, +20 for each further one (1 → MEDIUM, 2 → HIGH, 3 → CRITICAL).
 * - LINK_SPAM: more than 3 distinct links: 30, +10 per further link (≤ 60); a link repeated 3 times or
 *   more: +30; any link from a member who joined less than 72 hours before posting: +30 (≤ 100).
 *
 * Risk score = min(100, flags + 20 per report); severity ≥ 80 CRITICAL, ≥ 60 HIGH, ≥ 35 MEDIUM, else LOW.
 */
export const DEFAULT_BAD_WORDS: readonly string[] = [
  'asshole',
  'bastard',
  'bitch',
  'cunt',
  'dickhead',
  'faggot',
  'fuck',
  'fucking',
  'kill yourself',
  'kys',
  'motherfucker',
  'nigger',
  'retard',
  'shit',
  'slut',
  'whore',
];

export const MAX_COMMUNITY_BAD_WORDS = 200;
export const NEW_MEMBER_HOURS = 72;
export const REPORT_WEIGHT = 20;

export type Flag = { kind: FlagKind; score: number; details: Record<string, unknown> };

const LOOK_ALIKES: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Lower case, no accents, look-alike characters replaced, words separated by single spaces. */
export function foldText(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[013457@$]/g, (c) => LOOK_ALIKES[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded ? ` ${folded} ` : ' ';
}

/** A bad-word list entry as stored: trimmed, lower case, 1–60 characters. */
export function normalizeBadWord(word: string): string {
  return foldText(word).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X'))
      return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/** The text of (sanitised) HTML, tags removed. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

function normalizeLink(link: string): string {
  let value = link.trim().replace(/[.,;:!?)\]]+$/, '');
  if (/^www\./i.test(value)) value = `http://${value}`;
  try {
    const url = new URL(value);
    return `${url.host.toLowerCase().replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    return value.toLowerCase();
  }
}

/** Every link of (sanitised) HTML: anchors' targets, then URLs written in the remaining text. */
export function linksOf(html: string): string[] {
  const links: string[] = [];
  const withoutAnchors = html.replace(
    /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>[\s\S]*?<\/a>/gi,
    (_whole, a?: string, b?: string, c?: string) => {
      const href = decodeEntities(a ?? b ?? c ?? '');
      if (/^(https?:)?\/\//i.test(href) || /^www\./i.test(href)) links.push(normalizeLink(href));
      return ' ';
    },
  );
  for (const match of plainText(withoutAnchors).matchAll(URL_IN_TEXT)) links.push(normalizeLink(match[0]));
  return links;
}

/** BAD_WORDS: distinct words and phrases of `words` found in the text. */
export function badWordsFlag(text: string, words: readonly string[]): Flag | null {
  const folded = foldText(text);
  const matched = [...new Set(words.map(normalizeBadWord).filter(Boolean))].filter((w) =>
    folded.includes(` ${w} `),
  );
  if (matched.length === 0) return null;
  return {
    kind: 'BAD_WORDS',
    score: Math.min(100, 40 + 20 * (matched.length - 1)),
    details: { words: matched.sort() },
  };
}

/** LINK_SPAM: too many links, repeated links, links from a new member. */
export function linkSpamFlag(links: readonly string[], options: { newMember: boolean }): Flag | null {
  if (links.length === 0) return null;
  const counts = new Map<string, number>();
  for (const link of links) counts.set(link, (counts.get(link) ?? 0) + 1);
  const reasons: string[] = [];
  let score = 0;
  if (counts.size > 3) {
    score += Math.min(60, 30 + 10 * (counts.size - 4));
    reasons.push('TOO_MANY_LINKS');
  }
  if ([...counts.values()].some((n) => n >= 3)) {
    score += 30;
    reasons.push('REPEATED_LINKS');
  }
  if (options.newMember) {
    score += 30;
    reasons.push('NEW_MEMBER_LINKS');
  }
  if (score === 0) return null;
  return {
    kind: 'LINK_SPAM',
    score: Math.min(100, score),
    details: { reasons, links: links.length, distinctLinks: counts.size },
  };
}

/** The flags of a post or comment (title and body as the feed stores them: sanitised HTML). */
export function autoFlags(input: {
  html: string;
  title?: string | null;
  badWords: readonly string[];
  newMember: boolean;
}): Flag[] {
  const text = `${input.title ?? ''} ${plainText(input.html)}`;
  return [
    badWordsFlag(text, input.badWords),
    linkSpamFlag(linksOf(input.html), { newMember: input.newMember }),
  ].filter((f): f is Flag => f !== null);
}

export function riskScore(flagScore: number, reportCount: number): number {
  return Math.max(0, Math.min(100, flagScore + REPORT_WEIGHT * reportCount));
}

export function severityOf(risk: number): Severity {
  if (risk >= 80) return 'CRITICAL';
  if (risk >= 60) return 'HIGH';
  if (risk >= 35) return 'MEDIUM';
  return 'LOW';
}
