import { NavLink, Outlet, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { inTenant } from '../runtime';
import { useTenant } from '../tenant';
import { useSession, type Role } from '../session';
import { api, setAntiforgeryToken } from '../api/client';
import { base } from '../runtime';

interface NavItem {
  to: string;
  key: string;
  /** Who sees the item; everyone when omitted (and everyone while the session does not say). */
  roles?: Role[];
}


const tenantNav: NavItem[] = [
  { to: '/', key: 'nav.dashboard' },
  { to: '/inbjudna', key: 'nav.invitees' },
  { to: '/sandningar', key: 'nav.webcasts' },
  { to: '/e-post', key: 'nav.email', roles: ['CountyAdmin', 'SystemAdmin'] },
  { to: '/installningar', key: 'nav.settings', roles: ['CountyAdmin', 'SystemAdmin'] },
  { to: '/anvandare', key: 'nav.users', roles: ['CountyAdmin', 'SystemAdmin'] },
  { to: '/granskningslogg', key: 'nav.audit', roles: ['CountyAdmin', 'SystemAdmin'] },
];

const rootNav: NavItem[] = [
  { to: '/', key: 'nav.home' },
  { to: '/nationellt', key: 'nav.national', roles: ['NationalViewer', 'SystemAdmin'] },
  { to: '/system/lan', key: 'nav.tenants', roles: ['SystemAdmin'] },
  { to: '/system/api-klienter', key: 'nav.apiClients', roles: ['SystemAdmin'] },
  { to: '/system/granskningslogg', key: 'nav.platformAudit', roles: ['SystemAdmin'] },
  { to: '/system/e-post', key: 'nav.platformOutbox', roles: ['SystemAdmin'] },
];

/** The menu for this person: items for their role once the session names it. Exported for tests. */
export function navFor(items: NavItem[], role: string | null | undefined): NavItem[] {
  return role ? items.filter((i) => !i.roles || i.roles.includes(role as Role)) : items;
}


/** Signed in: name and sign-out (the session ends on the server). Otherwise a sign-in link back to here. */
function UserBox() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.data?.authenticated && session.data.user) {
    const signOut = async () => {
      await api.POST('/api/auth/sign-out');
      setAntiforgeryToken(null);
      window.location.assign('/konto/logga-in');
    };
    return (
      <span className="user-box">
        <span>{t('signIn.signedInAs', { name: session.data.user.name ?? session.data.user.email ?? '' })}</span>
        {inTenant && session.data.user.role === 'CountyAdmin' && <Link to="/mina-installningar">{t('nav.mySettings')}</Link>}
        <button type="button" className="link-button" onClick={() => void signOut()}>{t('signIn.signOut')}</button>
      </span>
    );
  }
  if (session.isPending) return null;
  const back = encodeURIComponent(base + window.location.pathname.slice(base.length) + window.location.search);
  return <a href={`/konto/logga-in?tillbaka=${back}`}>{t('nav.signIn')}</a>;
}

/** Skip link, header with the county's name, main menu, language switch, <main>, footer. */
export function Layout() {
  const { t } = useTranslation();
  const tenant = useTenant();
  const session = useSession();
  const nav = navFor(inTenant ? tenantNav : rootNav, session.data?.user?.role);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <p className="brand">
            <Link to="/">{t('app.name')}</Link>
            <span className="brand-sub">{inTenant ? tenant.data?.name ?? '\u00a0' : t('app.national')}</span>
          </p>
          <div className="header-tools">
            <UserBox />
            <LanguageSwitch />
          </div>
        </div>
        <nav aria-label={t('app.mainNav')} className="main-nav">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.to === '/'}>
                  {t(n.key)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="main">
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}

export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <nav aria-label={t('app.footerNav')}>
        <ul>
          <li>
            <Link to="/tillganglighet">{t('app.accessibility')}</Link>
          </li>
          {inTenant && (
            <li>
              <a href="/">{t('app.allCounties')}</a>
            </li>
          )}
          <li>
            <a href="/docs">{t('app.apiDocs')}</a>
          </li>
        </ul>
      </nav>
      <p>{t('public.footer')}</p>
    </footer>
  );
}

/** Public pages (RSVP, join, unsubscribe, errors): the same look, no menu. */
export function PublicLayout() {
  const { t } = useTranslation();
  const tenant = useTenant();
  return (
    <div className="shell public">
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <p className="brand">
            <span>{t('app.name')}</span>
            <span className="brand-sub">{inTenant ? tenant.data?.name ?? '\u00a0' : t('app.tagline')}</span>
          </p>
          <div className="header-tools">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main narrow">
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}
