import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { QueryView } from '../components/PageState';
import { SwedenMap } from '../map/SwedenMap';
import { inTenant } from '../runtime';
import { useActiveTenants } from '../tenant';
import { CountyDashboard } from './CountyDashboard';

export function HomePage() {
  return inTenant ? <CountyDashboard /> : <NationalLanding />;
}

/** "/": choose a county (map and list), and the national and system screens. */
function NationalLanding() {
  const { t } = useTranslation();
  const tenants = useActiveTenants();
  const counties = useQuery({ queryKey: ['reference', 'counties'], queryFn: () => unwrap(api.GET('/api/reference/counties')), staleTime: Infinity });
  return (
    <Page title={t('home.title')} intro={t('home.intro')}>
      <section aria-labelledby="choose">
        <h2 id="choose">{t('home.chooseCounty')}</h2>
        <p>{t('home.chooseCountyIntro')}</p>
        <QueryView query={tenants}>
          {(list) => (
            <div className="map-and-list">
              <SwedenMap
                label={t('home.mapLabel')}
                counties={(counties.data ?? list).map((c) => {
                  const code = 'code' in c ? c.code : c.id;
                  const tenant = list.find((x) => x.id === code);
                  return {
                    code,
                    label: tenant?.name ?? ('name' in c ? c.name : code),
                    shade: tenant ? 'active' : 'inactive',
                    href: tenant ? `/t/${tenant.slug}/` : undefined,
                    external: true,
                  };
                })}
              />
              <div>
                <h3>{t('home.countyList')}</h3>
                <ul className="county-list">
                  {list.map((c) => (
                    <li key={c.id}>
                      <a href={`/t/${c.slug}/`}>{c.name}</a>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          )}
        </QueryView>
      </section>
      <section aria-labelledby="national">
        <h2 id="national">{t('home.nationalTitle')}</h2>
        <ul className="link-list">
          <li>
            <Link to="/nationellt">{t('home.nationalLink')}</Link>
          </li>
          <li>
            <Link to="/system/lan">{t('home.systemLink')}</Link>
          </li>
        </ul>
      </section>
    </Page>
  );
}
