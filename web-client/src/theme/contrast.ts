import { COLOR_TOKENS, type ColorToken, type ThemePack } from './tokens.js';

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match?.[1]) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const value = Number.parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** WCAG contrast ratio, 1–21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** `text`: body text, 4.5:1 (AA); `ui`: large text, borders of controls, focus rings, 3:1 (AA). */
export type ContrastKind = 'text' | 'ui';
export type ContrastPair = { foreground: ColorToken; background: ColorToken; kind: ContrastKind };

export const MINIMUM_RATIO: Record<ContrastKind, number> = { text: 4.5, ui: 3 };

const TEXT_BACKGROUNDS: ColorToken[] = ['background', 'surface', 'surfaceMuted'];

/** Every foreground/background combination the components use. */
export const CONTRAST_PAIRS: ContrastPair[] = [
  ...(['text', 'textMuted', 'link', 'danger', 'success', 'warning', 'primary'] as const).flatMap(
    (foreground) => TEXT_BACKGROUNDS.map((background) => ({ foreground, background, kind: 'text' as const })),
  ),
  { foreground: 'onPrimary', background: 'primary', kind: 'text' },
  { foreground: 'onPrimary', background: 'primaryHover', kind: 'text' },
  { foreground: 'onDanger', background: 'danger', kind: 'text' },
  ...(['borderStrong', 'focus'] as const).flatMap((foreground) =>
    TEXT_BACKGROUNDS.map((background) => ({ foreground, background, kind: 'ui' as const })),
  ),
];

export type ContrastFailure = ContrastPair & { ratio: number; required: number };

/** Pairs of a pack below WCAG AA (empty when it passes); invalid colours fail with ratio 0. */
export function contrastFailures(pack: ThemePack): ContrastFailure[] {
  const failures: ContrastFailure[] = [];
  for (const pair of CONTRAST_PAIRS) {
    const required = MINIMUM_RATIO[pair.kind];
    let ratio = 0;
    try {
      ratio = contrastRatio(pack.color[pair.foreground], pack.color[pair.background]);
    } catch {
      ratio = 0;
    }
    if (ratio < required) failures.push({ ...pair, ratio, required });
  }
  return failures;
}

export { COLOR_TOKENS };
