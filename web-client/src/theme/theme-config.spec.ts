import { describe, expect, it } from 'vitest';
import { UI_THEMES } from '../../../subgraphs/platform/src/seed/ui-themes.js';
import { contrastFailures } from './contrast.js';
import { CORE_PACKS, DARK, HIGH_CONTRAST, LIGHT } from './core-packs.js';
import { chooseTheme, parseThemePack, themeCatalogue } from './theme-config.js';

const winter = UI_THEMES.packs.find((p) => p.id === 'winter');

describe('theme packs delivered by runtime config', () => {
  it('every pack the platform delivers meets WCAG AA', () => {
    for (const pack of UI_THEMES.packs) {
      const parsed = parseThemePack(pack);
      expect(parsed, pack.id).not.toHaveProperty('reason');
      if (!('reason' in parsed)) expect(contrastFailures(parsed), pack.id).toEqual([]);
    }
  });

  it('the delivered core packs are the bundled ones (no flash of a different theme after config loads)', () => {
    for (const core of CORE_PACKS) {
      const delivered = parseThemePack(UI_THEMES.packs.find((p) => p.id === core.id));
      expect(delivered).toEqual(parseThemePack(core));
    }
  });

  it('adds the seasonal pack from config to the bundled core packs', () => {
    const { packs, rejected } = themeCatalogue(UI_THEMES);
    expect(packs.map((p) => p.id)).toEqual(['light', 'dark', 'high-contrast', 'winter']);
    expect(rejected).toEqual([]);
    expect(themeCatalogue(undefined).packs.map((p) => p.id)).toEqual(['light', 'dark', 'high-contrast']);
  });

  it('refuses packs that are malformed, unsafe or below AA, keeping the rest', () => {
    const unreadable = { ...winter, id: 'fog', color: { ...winter!.color, textMuted: '#b0b8c0' } };
    const injected = { ...winter, id: 'evil', radius: { md: 'url(https://x.test/a)' } };
    const partial = { id: 'partial', name: 'Partial', colorScheme: 'light', color: { text: '#000000' } };
    const { packs, rejected } = themeCatalogue({
      version: 1,
      packs: [unreadable, injected, partial, { id: 'Bad Id' }, winter],
    });
    expect(packs.map((p) => p.id)).toEqual(['light', 'dark', 'high-contrast', 'winter']);
    expect(rejected).toEqual([
      { id: 'fog', reason: expect.stringMatching(/^contrast below WCAG AA: textMuted on/) },
      { id: 'evil', reason: 'radius.md is not a plain value' },
      { id: 'partial', reason: 'color.background must be #rrggbb' },
      { id: 'Bad Id', reason: expect.stringMatching(/lower-kebab/) },
    ]);
    expect(themeCatalogue({ packs: [] }).rejected).toEqual([
      { id: '(config)', reason: 'ui.themes must be { version: 1, packs: [...] }' },
    ]);
  });

  it('a config pack may replace a bundled one', () => {
    const tweaked = { ...LIGHT, name: 'Paper', color: { ...LIGHT.color, surface: '#fafafa' } };
    const { packs } = themeCatalogue({ version: 1, packs: [tweaked] });
    expect(packs.find((p) => p.id === 'light')?.name).toBe('Paper');
  });
});

describe('choosing the theme', () => {
  const packs = themeCatalogue(UI_THEMES).packs;
  const base = { packs, chosen: null, rolledOut: null, prefersDark: false, prefersMoreContrast: false };

  it('follows the system without a choice or roll-out', () => {
    expect(chooseTheme(base).id).toBe('light');
    expect(chooseTheme({ ...base, prefersDark: true }).id).toBe('dark');
    expect(chooseTheme({ ...base, prefersDark: true, prefersMoreContrast: true }).id).toBe('high-contrast');
  });

  it('shows the rolled-out pack by default, but an explicit choice wins', () => {
    expect(chooseTheme({ ...base, rolledOut: 'winter' }).id).toBe('winter');
    expect(chooseTheme({ ...base, rolledOut: 'winter', chosen: 'dark' })).toBe(
      packs.find((p) => p.id === DARK.id),
    );
    expect(chooseTheme({ ...base, rolledOut: 'winter', chosen: HIGH_CONTRAST.id }).id).toBe('high-contrast');
  });

  it('ignores unknown ids (a rolled-back or rejected pack)', () => {
    expect(chooseTheme({ ...base, rolledOut: 'spring', chosen: 'gone' }).id).toBe('light');
    expect(chooseTheme({ ...base, packs: [], chosen: 'dark' }).id).toBe('light');
  });
});
