import { describe, expect, it } from 'vitest';
import { contrastFailures, contrastRatio, relativeLuminance, CONTRAST_PAIRS } from './contrast.js';
import { CORE_PACKS, HIGH_CONTRAST, LIGHT } from './core-packs.js';
import { COLOR_TOKENS } from './tokens.js';

const describeFailures = (id: string) =>
  contrastFailures(CORE_PACKS.find((p) => p.id === id)!)
    .map((f) => `${f.foreground} on ${f.background}: ${f.ratio.toFixed(2)} < ${f.required}`)
    .join('\n');

describe('WCAG contrast', () => {
  it('computes luminance and ratios like the WCAG formula', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    // #767676 on white is the well-known 4.54:1 AA boundary grey
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(() => relativeLuminance('red')).toThrow(/#rrggbb/);
  });

  it('flags a pack below AA, and covers every colour token', () => {
    const grey = { ...LIGHT, color: { ...LIGHT.color, textMuted: '#9a9a9a', focus: '#dddddd' } };
    const failures = contrastFailures(grey);
    expect(failures.map((f) => `${f.foreground}/${f.background}`)).toEqual(
      expect.arrayContaining(['textMuted/background', 'focus/background']),
    );
    expect(contrastFailures({ ...LIGHT, color: { ...LIGHT.color, text: 'oops' } })[0]).toMatchObject({
      foreground: 'text',
      ratio: 0,
    });
    const used = new Set(CONTRAST_PAIRS.flatMap((p) => [p.foreground, p.background]));
    // `border` is decorative (dividers); every other token is checked against something
    expect(COLOR_TOKENS.filter((t) => !used.has(t))).toEqual(['border']);
  });

  it.each(CORE_PACKS.map((p) => [p.id]))('bundled pack %s meets AA (4.5:1 text, 3:1 UI)', (id) => {
    expect(describeFailures(id)).toBe('');
  });

  it('high contrast meets AAA (7:1) for every text pair', () => {
    const below = CONTRAST_PAIRS.filter((p) => p.kind === 'text')
      .map((p) => ({
        ...p,
        ratio: contrastRatio(HIGH_CONTRAST.color[p.foreground], HIGH_CONTRAST.color[p.background]),
      }))
      .filter((p) => p.ratio < 7)
      .map((p) => `${p.foreground}/${p.background} ${p.ratio.toFixed(2)}`);
    expect(below).toEqual([]);
  });
});
