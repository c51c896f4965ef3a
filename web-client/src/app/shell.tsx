import { Suspense, useId, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Spinner } from '../components/index.js';
import { needsTwoFactorEnrollment, twoFactorRoleNames } from '../features/security/two-factor.js';
import { useSession } from '../lib/auth/session-context.js';
import { useTheme } from '../theme/theme-provider.js';
import { NAV_ITEMS, visibleNavItems } from './navigation.js';

function ThemePicker() {
  const { packs, chosen, choose } = useTheme();
  const id = useId();
  return (
    <div className="eg-theme-picker">
      <label htmlFor={id}>Theme</label>
      <select id={id} value={chosen ?? ''} onChange={(event) => choose(event.target.value || null)}>
        <option value="">Automatic</option>
        {packs.map((pack) => (
          <option key={pack.id} value={pack.id}>
            {pack.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The layout of every page: skip link, header with role-based navigation, main region, footer. */
export function Shell() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const navId = useId();
  const signedIn = session.state.status === 'signedIn';
  const items = visibleNavItems(NAV_ITEMS, { signedIn, roles: session.roles });
  // ADMIN/FINANCE without two-factor: identity withholds those roles from the session until they enrol.
  const enrolTwoFactor =
    signedIn && needsTwoFactorEnrollment(session.user) && location.pathname !== '/account/security';

  const signOut = async () => {
    setSigningOut(true);
    try {
      await session.signOut();
      await navigate('/sign-in', { replace: true, state: { signedOut: true } });
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <div className="eg-shell">
      <a className="eg-skip-link" href="#main">
        Skip to content
      </a>
      <header className="eg-header">
        <div className="eg-header__bar">
          <NavLink to="/" className="eg-brand">
            Edugraph
          </NavLink>
          <Button
            variant="secondary"
            className="eg-menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </Button>
        </div>
        <nav id={navId} aria-label="Main" className={menuOpen ? 'eg-nav eg-nav--open' : 'eg-nav'}>
          <ul className="eg-nav__list">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  end={item.to === '/'}
                  className="eg-nav__link"
                  onClick={() => setMenuOpen(false)}
                >
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="eg-nav__account">
            <ThemePicker />
            {signedIn ? (
              <>
                <span className="eg-nav__user">{session.user?.displayName ?? ''}</span>
                <Button variant="secondary" onClick={() => void signOut()} busy={signingOut}>
                  Sign out
                </Button>
              </>
            ) : null}
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="eg-main">
        {enrolTwoFactor ? (
          <Alert tone="info">
            Your {twoFactorRoleNames(session.roles).join(' and ')} role requires two-factor authentication:
            until it is on, you are signed in without that access.{' '}
            <Link to="/account/security">Set up two-factor authentication</Link>
          </Alert>
        ) : null}
        <Suspense fallback={<Spinner />}>
          <Outlet key={location.pathname} />
        </Suspense>
      </main>
      <footer className="eg-footer">
        <p>Edugraph — learning communities on one open graph.</p>
      </footer>
    </div>
  );
}
