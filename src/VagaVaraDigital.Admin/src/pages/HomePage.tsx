import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { QueryView } from '../components/PageState';
import { SwedenMap } from '../map/SwedenMap';
import { inTenant } from '../runtime';
import { useActiveTenants, useTenant } from '../tenant';

export function HomePage() {
  return inTenant ? <CountyHome /> : <NationalLanding />;
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

/** "/t/{slug}/": the county's overview. Reach figures join here when the reach report lands. */
function CountyHome() {
  const { t } = useTranslation();
  const tenant = useTenant();
  return (
    <QueryView query={tenant}>
      {(tn) => (
        <Page title={t('county.title', { name: tn.name })} intro={t('county.intro')}>
          <div className="grid-2">
            <section aria-labelledby="shortcuts" className="card">
              <h2 id="shortcuts">{t('county.quickLinks')}</h2>
              <ul className="link-list">
                <li><Link to="/installningar">{t('nav.settings')}</Link></li>
                <li><Link to="/granskningslogg">{t('nav.audit')}</Link></li>
              </ul>
              <p className="muted">{t('county.reachPending')}</p>
            </section>
            <section aria-label={tn.name} className="card">
              <SwedenMap label={tn.name} counties={[{ code: tn.id, label: tn.name, shade: 'active', highlight: true }]} />
            </section>
          </div>
        </Page>
      )}
    </QueryView>
  );
}
