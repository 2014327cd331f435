import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Page } from '../components/Page';
import { QueryView } from '../components/PageState';
import { BarChart } from '../components/charts/BarChart';
import { ExportLinks, FunnelChart, OverTimeChart, percentText, RoleCategoryChart, SummaryBlock } from '../components/ReachViews';
import { SwedenMap } from '../map/SwedenMap';
import { shareClass } from '../map/geo';
import { formatNumber } from '../format';

type Row = components['schemas']['CountyReachRow'];
type SortKey = 'name' | 'target' | 'reached' | 'percent';

/** Sorts county rows; numbers descending first, names in Swedish order. Exported for tests. */
export function sortCounties(rows: Row[], key: SortKey, ascending: boolean): Row[] {
  const value = (r: Row) =>
    key === 'name' ? r.name : key === 'target' ? Number(r.target) : key === 'reached' ? Number(r.reached) : Number(r.percentOfTarget ?? -1);
  const sorted = [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return typeof va === 'string' ? va.localeCompare(vb as string, 'sv') : (va as number) - (vb as number);
  });
  return ascending ? sorted : sorted.reverse();
}

/** NationalViewer and SystemAdmin: the whole country. Aggregates only. */
export function NationalPage() {
  const { t, i18n } = useTranslation();
  const report = useQuery({ queryKey: ['reach', 'national'], queryFn: () => unwrap(api.GET('/api/national/reach')) });
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'percent', asc: false });
  const rows = useMemo(() => (report.data ? sortCounties(report.data.counties, sort.key, sort.asc) : []), [report.data, sort]);
  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? (sort.asc ? 'ascending' : 'descending') : undefined}>
        <button type="button" className="sort-button" onClick={() => setSort({ key, asc: active ? !sort.asc : key === 'name' })}>
          {label} <span aria-hidden="true">{active ? (sort.asc ? '▲' : '▼') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <Page title={t('national.title')} intro={t('national.intro')}>
      <QueryView query={report}>
        {(r) => (
          <>
            <div className="grid-2">
              <SummaryBlock summary={r.summary} projection={r.projection} label={t('reach.nationalSummary')} />
              <section aria-label={t('reach.mapLabel')} className="card">
                <SwedenMap
                  label={t('reach.mapLabel')}
                  counties={r.counties.map((c) => ({
                    code: c.id,
                    label: t('reach.mapFigures', {
                      name: c.name,
                      reached: formatNumber(Number(c.reached), i18n.language),
                      target: formatNumber(Number(c.target), i18n.language),
                      percent: percentText(c.percentOfTarget, i18n.language),
                    }),
                    shade: shareClass(c.percentOfTarget == null ? null : Number(c.percentOfTarget) / 100),
                  }))}
                  legend={[0, 1, 2, 3, 4].map((s) => ({ shade: s, text: t(`reach.legend${s}`) }))}
                />
              </section>
            </div>
            <h2 id="counties">{t('reach.byCounty')}</h2>
            <div className="table-wrap" role="region" aria-labelledby="counties" tabIndex={0}>
              <table>
                <caption className="visually-hidden">{t('reach.byCounty')}</caption>
                <thead>
                  <tr>
                    {header('name', t('reach.county'))}
                    {header('target', t('reach.target'), true)}
                    {header('reached', t('reach.reached'), true)}
                    {header('percent', t('reach.percentOfTarget'), true)}
                    <th scope="col" className="num">{t('reach.steps.invited')}</th>
                    <th scope="col" className="num">{t('reach.steps.accepted')}</th>
                    <th scope="col">{t('reach.covered')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.name}</th>
                      <td className="num">{formatNumber(Number(c.target), i18n.language)}</td>
                      <td className="num">{formatNumber(Number(c.reached), i18n.language)}</td>
                      <td className="num">{percentText(c.percentOfTarget, i18n.language)}</td>
                      <td className="num">{formatNumber(Number(c.invited), i18n.language)}</td>
                      <td className="num">{formatNumber(Number(c.accepted), i18n.language)}</td>
                      <td>{formatNumber(Number(c.municipalitiesCovered), i18n.language)} / {formatNumber(Number(c.municipalitiesTotal), i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <BarChart title={t('reach.byCounty')} valueHeader={t('reach.reached')}
              bars={sortCounties(r.counties, 'reached', false).map((c) => ({ key: c.id, label: c.name, value: Number(c.reached) }))} />
            <FunnelChart funnel={r.funnel} />
            <OverTimeChart weeks={r.overTime.weeks} target={r.summary.target == null ? null : Number(r.summary.target)} />
            <RoleCategoryChart rows={r.roleCategories} />
            <h2>{t('reach.definitions')}</h2>
            <p className="muted">{r.definitions.reachedLeader}</p>
            <ExportLinks path="/api/national/reach" />
          </>
        )}
      </QueryView>
    </Page>
  );
}
