import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { QueryView } from '../components/PageState';
import { ExportLinks, FunnelChart, MunicipalityTable, OverTimeChart, RoleCategoryChart, SummaryBlock, WebcastTable } from '../components/ReachViews';
import { SwedenMap } from '../map/SwedenMap';
import { shareClass } from '../map/geo';
import { formatNumber, formatPercent, shareOf } from '../format';
import { useTenant } from '../tenant';
import { UpcomingWebcasts } from '../components/UpcomingWebcasts';
import { useMunicipalities } from './invitees/model';
import { LatestAnswers } from '../components/LatestAnswers';
import { useSession } from '../session';

/**
 * "/t/{slug}/": the county's reach against its target (CountyAdmin/Editor), or — for a MunicipalUser —
 * their municipality's line of it. The county is highlighted on the map.
 */
export function CountyDashboard() {
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const role = useSession().data?.user?.role;
  // The settings are the CountyAdmin's (and SystemAdmin's); shown while the session does not say, as the menu does.
  const mayChangeSettings = !role || role === 'CountyAdmin' || role === 'SystemAdmin';
  const report = useQuery({ queryKey: ['reach', 'county'], queryFn: () => unwrap(api.GET('/api/reach')) });
  const municipalities = useMunicipalities();
  const name = tenant.data?.name ?? '';
  // The report names a MunicipalUser's municipality by its code; people read its name.
  const municipalityName = (code: string) => municipalities.data.find((m) => m.code === code)?.name ?? code;
  return (
    <Page title={name || t('nav.dashboard')} intro={t('county.intro')}>
      <QueryView query={report}>
        {(r) => {
          const reached = Number(r.summary.reached);
          const target = r.summary.target == null ? 0 : Number(r.summary.target);
          const share = shareOf(reached, target);
          return (
            <>
              <div className="grid-2">
                <SummaryBlock summary={r.summary} projection={r.projection}
                  label={r.municipality ? t('reach.municipalTitle', { name: municipalityName(r.municipality) }) : t('reach.countyTitle')} />
                <section aria-label={t('reach.mapLabel')} className="card">
                  <SwedenMap
                    label={t('reach.mapLabel')}
                    counties={[{
                      code: r.countyId,
                      label: t('reach.mapFigures', { name: r.countyName, reached: formatNumber(reached, i18n.language), target: formatNumber(target, i18n.language), percent: formatPercent(share, i18n.language) }),
                      shade: shareClass(target > 0 ? share : null),
                      highlight: true,
                    }]}
                  />
                </section>
              </div>
              <UpcomingWebcasts />
              {!r.municipality && <LatestAnswers />}
              <FunnelChart funnel={r.funnel} />
              <OverTimeChart weeks={r.overTime.weeks} target={target || null} />
              <RoleCategoryChart rows={r.roleCategories} />
              {!r.municipality && <MunicipalityTable rows={r.municipalities} />}
              <h2>{t('reach.byWebcast')}</h2>
              <WebcastTable rows={r.webcasts} />
              <h2>{t('reach.definitions')}</h2>
              <p className="muted">{r.definitions.reachedLeader}</p>
              <ExportLinks path="/api/reach" />
              {mayChangeSettings && <p><Link to="/installningar">{t('nav.settings')}</Link></p>}
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}
