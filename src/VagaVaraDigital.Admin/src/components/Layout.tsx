import { NavLink, Outlet, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { inTenant } from '../runtime';
import { useTenant } from '../tenant';

interface NavItem {
  to: string;
  key: string;
}

const tenantNav: NavItem[] = [
  { to: '/', key: 'nav.dashboard' },
  { to: '/installningar', key: 'nav.settings' },
  { to: '/granskningslogg', key: 'nav.audit' },
];

const rootNav: NavItem[] = [
  { to: '/', key: 'nav.home' },
  { to: '/nationellt', key: 'nav.national' },
  { to: '/system/lan', key: 'nav.tenants' },
];

/** Skip link, header with the county's name, main menu, language switch, <main>, footer. */
export function Layout() {
  const { t } = useTranslation();
  const tenant = useTenant();
  const nav = inTenant ? tenantNav : rootNav;
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
