/**
 * Design tokens. A theme pack sets every colour and may override radius, elevation and border widths; type
 * scale and spacing are shared. Components read tokens only through CSS custom properties (`--eg-*`), which
 * `cssVariables()` generates from the active pack, so a theme switches at runtime without a reload.
 */

export const COLOR_TOKENS = [
  'background',
  'surface',
  'surfaceMuted',
  'text',
  'textMuted',
  'border',
  'borderStrong',
  'primary',
  'primaryHover',
  'onPrimary',
  'link',
  'focus',
  'danger',
  'onDanger',
  'success',
  'warning',
] as const;

export type ColorToken = (typeof COLOR_TOKENS)[number];
export type ColorTokens = Record<ColorToken, string>;

export type RadiusTokens = { sm: string; md: string; lg: string; pill: string };
export type ElevationTokens = { 0: string; 1: string; 2: string; 3: string };
export type BorderTokens = { width: string; focusWidth: string };

export type ThemePack = {
  /** Lower-kebab id, e.g. `dark`, `winter-2026`. */
  id: string;
  name: string;
  colorScheme: 'light' | 'dark';
  color: ColorTokens;
  radius?: Partial<RadiusTokens>;
  elevation?: Partial<ElevationTokens>;
  border?: Partial<BorderTokens>;
};

export const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  familyMono: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
  /** rem, a 1.25 scale; `md` is the body size. */
  size: {
    xs: '0.75rem',
    sm: '0.875rem',
    md: '1rem',
    lg: '1.25rem',
    xl: '1.5625rem',
    '2xl': '1.9531rem',
    '3xl': '2.4414rem',
  },
  lineHeight: { tight: '1.25', normal: '1.5' },
  weight: { regular: '400', medium: '500', bold: '700' },
} as const;

/** A 4 px grid. */
export const SPACE = {
  0: '0',
  1: '0.25rem',
  2: '0.5rem',
  3: '0.75rem',
  4: '1rem',
  5: '1.5rem',
  6: '2rem',
  7: '3rem',
  8: '4rem',
} as const;

export const RADIUS: RadiusTokens = { sm: '4px', md: '8px', lg: '16px', pill: '999px' };

export const ELEVATION: ElevationTokens = {
  0: 'none',
  1: '0 1px 2px rgb(0 0 0 / 0.12), 0 1px 3px rgb(0 0 0 / 0.08)',
  2: '0 2px 6px rgb(0 0 0 / 0.14), 0 4px 12px rgb(0 0 0 / 0.08)',
  3: '0 8px 24px rgb(0 0 0 / 0.18)',
};

export const BORDER: BorderTokens = { width: '1px', focusWidth: '3px' };

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Every CSS custom property of a pack, e.g. `--eg-color-on-primary`, `--eg-space-4`, `--eg-shadow-2`. */
export function cssVariables(pack: ThemePack): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const token of COLOR_TOKENS) vars[`--eg-color-${kebab(token)}`] = pack.color[token];
  vars['--eg-font-family'] = FONT.family;
  vars['--eg-font-family-mono'] = FONT.familyMono;
  for (const [step, value] of Object.entries(FONT.size)) vars[`--eg-font-size-${step}`] = value;
  for (const [name, value] of Object.entries(FONT.lineHeight)) vars[`--eg-line-height-${name}`] = value;
  for (const [name, value] of Object.entries(FONT.weight)) vars[`--eg-font-weight-${name}`] = value;
  for (const [step, value] of Object.entries(SPACE)) vars[`--eg-space-${step}`] = value;
  const radius = { ...RADIUS, ...pack.radius };
  for (const [name, value] of Object.entries(radius)) vars[`--eg-radius-${name}`] = value;
  const elevation = { ...ELEVATION, ...pack.elevation };
  for (const [level, value] of Object.entries(elevation)) vars[`--eg-shadow-${level}`] = value;
  const border = { ...BORDER, ...pack.border };
  vars['--eg-border-width'] = border.width;
  vars['--eg-focus-width'] = border.focusWidth;
  return vars;
}

/** Applies a pack to an element (the document root): custom properties, `color-scheme` and `data-theme`. */
export function applyTheme(pack: ThemePack, element: HTMLElement): void {
  for (const [name, value] of Object.entries(cssVariables(pack))) element.style.setProperty(name, value);
  element.style.setProperty('color-scheme', pack.colorScheme);
  element.dataset['theme'] = pack.id;
}
