import type { ThemePack } from './tokens.js';

/**
 * The packs bundled with the app: what it shows before runtime config arrives, when config is unavailable, and
 * what `prefers-color-scheme` / `prefers-contrast` pick. Runtime config (`ui.themes`) may replace them and add
 * more (seasonal packs); the platform's demo seed delivers copies of these (a test keeps them equal).
 */
export const LIGHT: ThemePack = {
  id: 'light',
  name: 'Light',
  colorScheme: 'light',
  color: {
    background: '#ffffff',
    surface: '#f6f7f9',
    surfaceMuted: '#eceff3',
    text: '#161b24',
    textMuted: '#4a5262',
    border: '#d6dbe2',
    borderStrong: '#737d8c',
    primary: '#2b4acb',
    primaryHover: '#213a9f',
    onPrimary: '#ffffff',
    link: '#2842bb',
    focus: '#1f5ae0',
    danger: '#b02a21',
    onDanger: '#ffffff',
    success: '#1c6b3a',
    warning: '#835000',
  },
};

export const DARK: ThemePack = {
  id: 'dark',
  name: 'Dark',
  colorScheme: 'dark',
  color: {
    background: '#0f131a',
    surface: '#171c25',
    surfaceMuted: '#212835',
    text: '#e9edf3',
    textMuted: '#aab4c3',
    border: '#343d4c',
    borderStrong: '#7b879a',
    primary: '#93aaff',
    primaryHover: '#b0c1ff',
    onPrimary: '#0a0f1f',
    link: '#9fb5ff',
    focus: '#ffcf5c',
    danger: '#ff8f86',
    onDanger: '#1f0503',
    success: '#74d49f',
    warning: '#f0c062',
  },
  elevation: {
    1: '0 1px 2px rgb(0 0 0 / 0.5)',
    2: '0 2px 8px rgb(0 0 0 / 0.55)',
    3: '0 8px 24px rgb(0 0 0 / 0.6)',
  },
};

export const HIGH_CONTRAST: ThemePack = {
  id: 'high-contrast',
  name: 'High contrast',
  colorScheme: 'dark',
  color: {
    background: '#000000',
    surface: '#000000',
    surfaceMuted: '#121212',
    text: '#ffffff',
    textMuted: '#f0f0f0',
    border: '#ffffff',
    borderStrong: '#ffffff',
    primary: '#ffee00',
    primaryHover: '#ffffff',
    onPrimary: '#000000',
    link: '#ffee00',
    focus: '#00e5ff',
    danger: '#ff8080',
    onDanger: '#000000',
    success: '#7dff7d',
    warning: '#ffd24d',
  },
  radius: { sm: '2px', md: '4px', lg: '6px' },
  elevation: { 1: 'none', 2: 'none', 3: 'none' },
  border: { width: '2px', focusWidth: '4px' },
};

export const CORE_PACKS: readonly ThemePack[] = [LIGHT, DARK, HIGH_CONTRAST];
