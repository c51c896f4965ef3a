/**
 * Demo value of the PUBLIC runtime-config entry `ui.themes`: the web app's theme packs as data (design tokens:
 * colours, and optional radius, elevation and border overrides). Clients validate every pack (shape and WCAG AA
 * contrast) before offering it, and keep bundled copies of the core packs for first paint. The core packs here
 * equal the web app's bundled ones (a web-client test checks it); `winter` exists only here, delivered at runtime.
 *
 * The flag `ui-theme-rollout` picks the default theme for people who have not chosen one: when it is on, its
 * variant names the pack (percentage roll-outs, variants and the kill switch work as for any flag).
 */
export const UI_THEMES_CONFIG_KEY = 'ui.themes';
export const UI_THEME_ROLLOUT_FLAG = 'ui-theme-rollout';

export const UI_THEMES = {
  version: 1,
  packs: [
    {
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
    },
    {
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
    },
    {
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
    },
    {
      id: 'winter',
      name: 'Winter',
      colorScheme: 'light',
      color: {
        background: '#f3f7fb',
        surface: '#ffffff',
        surfaceMuted: '#e3ecf5',
        text: '#0e2233',
        textMuted: '#3a4f63',
        border: '#c9d7e4',
        borderStrong: '#687f96',
        primary: '#0b5a88',
        primaryHover: '#08476b',
        onPrimary: '#ffffff',
        link: '#0a5584',
        focus: '#b3135f',
        danger: '#a3161a',
        onDanger: '#ffffff',
        success: '#1b6842',
        warning: '#774a00',
      },
      radius: { md: '12px', lg: '20px' },
    },
  ],
} as const;
