import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { ProgressBar } from './ProgressBar';
import { BarChart } from './charts/BarChart';
import { LineChart } from './charts/LineChart';
import { DataTable } from './charts/DataTable';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../format';
import { base } from '../runtime';

type S = components['schemas'];
export type Summary = S['ReachSummary'];
export type Projection = S['ReachProjection'];
type Funnel = S['FunnelStep'][];
type Weeks = S['ReachWeek'][];

const n = (v: number | string | null | undefined) => (v == null ? 0 : Number(v));

/** "52 %" from the API's percent (0–100), or "–". */
export function percentText(percent: number | string | null | undefined, lang: string): string {
  return percent == null ? '–' : formatPercent(Number(percent) / 100, lang);
}

/** The projection in the reader's language, from its status (the API's text is Swedish only). */
export function ProjectionText({ projection }: { projection: Projection }) {
  const { t, i18n } = useTranslation();
  const date = projection.date ? formatDate(projection.date, i18n.language) : '';
  const key = ['reached', 'on_pace', 'not_at_this_pace', 'no_target'].includes(projection.status) ? projection.status : 'unknown';
  return <p className="projection">{t(`reach.projection.${key}`, { date, pace: formatNumber(n(projection.pacePerWeek), i18n.language, 1) })}</p>;
}

export function SummaryBlock({ summary, projection, label }: { summary: Summary; projection: Projection; label: string }) {
  const { t, i18n } = useTranslation();
  const target = summary.target == null ? null : n(summary.target);
  return (
    <section aria-labelledby="reach-summary" className="card">
      <h2 id="reach-summary">{label}</h2>
      <p className="big-number">
        <strong>{formatNumber(n(summary.reached), i18n.language)}</strong> {t('reach.reachedLeaders')}
      </p>
      {target != null && target > 0 ? (
        <ProgressBar value={n(summary.reached)} target={target} label={t('reach.ofTarget')} />
      ) : (
        <p className="muted">{t('reach.noTarget')}</p>
      )}
      <ProjectionText projection={projection} />
      <p>
        {t('reach.coverage', {
          covered: formatNumber(n(summary.municipalitiesCovered), i18n.language),
          total: formatNumber(n(summary.municipalitiesTotal), i18n.language),
        })}
      </p>
    </section>
  );
}

export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation();
  return (
    <BarChart
      title={t('reach.funnel')}
      valueHeader={t('reach.people')}
      bars={funnel.map((f) => ({ key: f.step, label: t(`reach.steps.${f.step}`, { defaultValue: f.label }), value: n(f.count) }))}
    />
  );
}

export function OverTimeChart({ weeks, target }: { weeks: Weeks; target: number | null }) {
  const { t } = useTranslation();
  if (weeks.length === 0) return <p className="muted">{t('reach.noWeeks')}</p>;
  return (
    <LineChart
      title={t('reach.overTime')}
      valueHeader={t('reach.cumulative')}
      points={weeks.map((w) => ({ date: w.weekStart, value: n(w.reachedCumulative) }))}
      target={target ?? undefined}
      targetLabel={target ? t('reach.targetLine', { value: target }) : undefined}
    />
  );
}

export function RoleCategoryChart({ rows }: { rows: S['RoleCategoryReach'][] }) {
  const { t } = useTranslation();
  return (
    <BarChart
      title={t('reach.byRole')}
      valueHeader={t('reach.reached')}
      bars={rows.map((r) => ({ key: r.category, label: t(`roles.${r.category}`, { defaultValue: r.label }), value: n(r.reached) }))}
    />
  );
}

export function MunicipalityTable({ rows }: { rows: S['MunicipalityReach'][] }) {
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      caption={t('reach.byMunicipality')}
      rows={rows}
      rowKey={(r) => r.code ?? r.name}
      columns={[
        { key: 'name', header: t('reach.municipality'), cell: (r) => r.name },
        { key: 'invited', header: t('reach.steps.invited'), cell: (r) => formatNumber(n(r.invited), i18n.language), numeric: true },
        { key: 'accepted', header: t('reach.steps.accepted'), cell: (r) => formatNumber(n(r.accepted), i18n.language), numeric: true },
        { key: 'reached', header: t('reach.reached'), cell: (r) => formatNumber(n(r.reached), i18n.language), numeric: true },
        { key: 'covered', header: t('reach.covered'), cell: (r) => (r.covered ? t('common.yes') : t('common.no')) },
      ]}
    />
  );
}

export function WebcastTable({ rows }: { rows: S['WebcastReach'][] }) {
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      caption={t('reach.byWebcast')}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { key: 'title', header: t('reach.webcast'), cell: (r) => r.title },
        { key: 'start', header: t('reach.start'), cell: (r) => formatDateTime(r.startsAt, i18n.language) },
        { key: 'invited', header: t('reach.steps.invited'), cell: (r) => formatNumber(n(r.invited), i18n.language), numeric: true },
        { key: 'accepted', header: t('reach.steps.accepted'), cell: (r) => formatNumber(n(r.accepted), i18n.language), numeric: true },
        { key: 'attended', header: t('reach.steps.attended'), cell: (r) => formatNumber(n(r.attended), i18n.language), numeric: true },
        { key: 'rate', header: t('reach.attendanceRate'), cell: (r) => percentText(r.attendanceRate, i18n.language), numeric: true },
        { key: 'noshow', header: t('reach.noShowRate'), cell: (r) => percentText(r.noShowRate, i18n.language), numeric: true },
      ]}
    />
  );
}

/** Download links for a report's exports (the browser keeps the session cookie; same origin). */
export function ExportLinks({ path }: { path: string }) {
  const { t } = useTranslation();
  return (
    <ul className="link-list inline">
      <li><a href={`${base}${path}/export.csv`} download>{t('reach.exportCsv')}</a></li>
      <li><a href={`${base}${path}/export.xlsx`} download>{t('reach.exportXlsx')}</a></li>
    </ul>
  );
}
