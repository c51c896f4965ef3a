import { contrastFailures } from './contrast.js';
import { CORE_PACKS } from './core-packs.js';
import { COLOR_TOKENS, type ColorTokens, type ThemePack } from './tokens.js';

/** The runtime-config entry holding theme packs, and the flag whose variant rolls one out. */
export const THEMES_CONFIG_KEY = 'ui.themes';
export const THEME_ROLLOUT_FLAG = 'ui-theme-rollout';

export type RejectedPack = { id: string; reason: string };
export type ThemeCatalogue = { packs: ThemePack[]; rejected: RejectedPack[] };

const ID = /^[a-z][a-z0-9-]{0,39}$/;
const HEX = /^#[0-9a-fA-F]{6}$/;
/** Lengths and shadows only: no url(), no expressions, nothing that could load or run anything. */
const CSS_VALUE = /^[a-zA-Z0-9 .,#%()/+-]{1,120}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cssValues<K extends string>(
  value: unknown,
  keys: readonly K[],
  what: string,
): Partial<Record<K, string>> | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return `${what} must be an object`;
  const out: Partial<Record<K, string>> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(keys as readonly string[]).includes(key)) return `${what}.${key} is not a token`;
    if (typeof v !== 'string' || !CSS_VALUE.test(v) || /url\s*\(/i.test(v))
      return `${what}.${key} is not a plain value`;
    out[key as K] = v;
  }
  return out;
}

/** One pack from untrusted data, or the reason it is refused (shape, then WCAG AA contrast). */
export function parseThemePack(value: unknown): ThemePack | RejectedPack {
  const id = isRecord(value) && typeof value['id'] === 'string' ? value['id'] : '(no id)';
  const reject = (reason: string): RejectedPack => ({ id, reason });
  if (!isRecord(value) || !ID.test(id)) return reject('id must be lower-kebab (at most 40 characters)');
  const name = value['name'];
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 60)
    return reject('name must be 1–60 characters');
  const colorScheme = value['colorScheme'];
  if (colorScheme !== 'light' && colorScheme !== 'dark') return reject('colorScheme must be light or dark');
  const colorInput = value['color'];
  if (!isRecord(colorInput)) return reject('color must be an object');
  const color = {} as ColorTokens;
  for (const token of COLOR_TOKENS) {
    const hex = colorInput[token];
    if (typeof hex !== 'string' || !HEX.test(hex)) return reject(`color.${token} must be #rrggbb`);
    color[token] = hex.toLowerCase();
  }
  const radius = cssValues(value['radius'], ['sm', 'md', 'lg', 'pill'] as const, 'radius');
  if (typeof radius === 'string') return reject(radius);
  const elevation = cssValues(value['elevation'], ['0', '1', '2', '3'] as const, 'elevation');
  if (typeof elevation === 'string') return reject(elevation);
  const border = cssValues(value['border'], ['width', 'focusWidth'] as const, 'border');
  if (typeof border === 'string') return reject(border);
  const pack: ThemePack = { id, name: name.trim(), colorScheme, color, radius, elevation, border };
  const failures = contrastFailures(pack);
  if (failures.length > 0) {
    const first = failures[0]!;
    return reject(
      `contrast below WCAG AA: ${first.foreground} on ${first.background} is ${first.ratio.toFixed(2)}:1 (needs ${first.required}:1)`,
    );
  }
  return pack;
}

/**
 * The packs on offer: the bundled core packs, replaced or extended by valid packs from runtime config. Invalid
 * packs are left out (and reported), so bad data can never make the app unreadable.
 */
export function themeCatalogue(configValue: unknown): ThemeCatalogue {
  const packs = new Map(CORE_PACKS.map((p) => [p.id, p]));
  const rejected: RejectedPack[] = [];
  const list = isRecord(configValue) && configValue['version'] === 1 ? configValue['packs'] : undefined;
  if (configValue !== undefined && configValue !== null && !Array.isArray(list)) {
    rejected.push({ id: '(config)', reason: 'ui.themes must be { version: 1, packs: [...] }' });
  }
  for (const item of (Array.isArray(list) ? list : []).slice(0, 20)) {
    const parsed = parseThemePack(item);
    if ('reason' in parsed) rejected.push(parsed);
    else packs.set(parsed.id, parsed);
  }
  return { packs: [...packs.values()], rejected };
}

export type ThemeChoiceInput = {
  packs: readonly ThemePack[];
  /** The person's explicit choice (null: follow the defaults). */
  chosen: string | null;
  /** The rolled-out pack: the rollout flag's variant when the flag is on for this person. */
  rolledOut: string | null;
  prefersDark: boolean;
  prefersMoreContrast: boolean;
};

/** Which pack to show: an explicit choice, else the rolled-out pack, else what the system prefers. */
export function chooseTheme(input: ThemeChoiceInput): ThemePack {
  const byId = (id: string | null) => (id ? input.packs.find((p) => p.id === id) : undefined);
  return (
    byId(input.chosen) ??
    byId(input.rolledOut) ??
    (input.prefersMoreContrast ? byId('high-contrast') : undefined) ??
    (input.prefersDark ? byId('dark') : undefined) ??
    byId('light') ??
    CORE_PACKS[0]!
  );
}
