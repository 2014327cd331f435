import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';

/** The parts of the county's settings (CountyAdmin): details, municipal sign-in (SSO), data protection — and the admin's own (daily digest). */
export function SettingsNav() {
  const { t } = useTranslation();
  const items = [
    { to: '/installningar', key: 'settingsNav.general' },
    { to: '/installningar/inloggning', key: 'settingsNav.sso' },
    { to: '/installningar/dataskydd', key: 'settingsNav.privacy' },
    { to: '/mina-installningar', key: 'settingsNav.mine' },
  ];
  return (
    <nav aria-label={t('settingsNav.label')} className="sub-nav">
      <ul>
        {items.map((i) => (
          <li key={i.to}><NavLink to={i.to} end>{t(i.key)}</NavLink></li>
        ))}
      </ul>
    </nav>
  );
}
