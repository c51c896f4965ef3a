import { useQuery } from '@apollo/client/react';
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  PublicConfigDocument,
  PublicThemeRolloutDocument,
  ViewerThemeRolloutDocument,
} from '../generated/graphql.js';
import { useSession } from '../lib/auth/session-context.js';
import { chooseTheme, THEME_ROLLOUT_FLAG, THEMES_CONFIG_KEY, themeCatalogue } from './theme-config.js';
import { applyTheme, type ThemePack } from './tokens.js';

const CHOICE_KEY = 'edugraph.theme';
const VISITOR_KEY = 'edugraph.visitor';

export type ThemeContextValue = {
  theme: ThemePack;
  packs: readonly ThemePack[];
  /** The explicit choice; null follows the roll-out and the system. */
  chosen: string | null;
  choose: (id: string | null) => void;
};

const ThemeContext = createContext<ThemeContextValue | null>(null);

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** A random id for anonymous percentage roll-outs (not personal data; not a credential). */
function visitorId(): string {
  const existing = stored(VISITOR_KEY);
  if (existing) return existing;
  const id = crypto.randomUUID();
  store(VISITOR_KEY, id);
  return id;
}

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const list = window.matchMedia?.(query);
    if (!list) return;
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** The pack to paint before runtime config arrives (bundled packs, stored choice, system preference). */
export function initialTheme(): ThemePack {
  return chooseTheme({
    packs: themeCatalogue(undefined).packs,
    chosen: stored(CHOICE_KEY),
    rolledOut: null,
    prefersDark: window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
    prefersMoreContrast: window.matchMedia?.('(prefers-contrast: more)').matches ?? false,
  });
}

/**
 * Theme packs as data: the platform's PUBLIC runtime config `ui.themes` (validated; invalid packs are dropped)
 * on top of the bundled core packs, and the `ui-theme-rollout` flag's variant as the default. Switching applies
 * the pack's CSS custom properties to the document at once.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const signedIn = state.status === 'signedIn';
  const [chosen, setChosen] = useState<string | null>(() => stored(CHOICE_KEY));
  const prefersDark = useMedia('(prefers-color-scheme: dark)');
  const prefersMoreContrast = useMedia('(prefers-contrast: more)');
  const config = useQuery(PublicConfigDocument, { fetchPolicy: 'cache-and-network' });
  const input = { keys: [THEME_ROLLOUT_FLAG] };
  const publicFlag = useQuery(PublicThemeRolloutDocument, {
    variables: { input: { ...input, anonymousId: visitorId() } },
    skip: signedIn || state.status === 'loading',
  });
  const viewerFlag = useQuery(ViewerThemeRolloutDocument, { variables: { input }, skip: !signedIn });

  const catalogue = useMemo(
    () => themeCatalogue(config.data?.publicConfig.find((e) => e.key === THEMES_CONFIG_KEY)?.value),
    [config.data],
  );
  useEffect(() => {
    for (const pack of catalogue.rejected) console.warn(`Theme pack "${pack.id}" refused: ${pack.reason}`);
  }, [catalogue.rejected]);

  const flag = (signedIn ? viewerFlag.data?.evaluateFeatureFlags : publicFlag.data?.publicFeatureFlags)?.find(
    (f) => f.key === THEME_ROLLOUT_FLAG,
  );
  const theme = chooseTheme({
    packs: catalogue.packs,
    chosen,
    rolledOut: flag?.enabled ? (flag.variant ?? null) : null,
    prefersDark,
    prefersMoreContrast,
  });
  useEffect(() => applyTheme(theme, document.documentElement), [theme]);

  const choose = useCallback((id: string | null) => {
    store(CHOICE_KEY, id);
    setChosen(id);
  }, []);
  const value = useMemo(
    () => ({ theme, packs: catalogue.packs, chosen, choose }),
    [theme, catalogue.packs, chosen, choose],
  );
  return <ThemeContext value={value}>{children}</ThemeContext>;
}

export function useTheme(): ThemeContextValue {
  const value = use(ThemeContext);
  if (!value) throw new Error('useTheme needs a ThemeProvider');
  return value;
}
