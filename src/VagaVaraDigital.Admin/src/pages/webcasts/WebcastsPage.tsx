import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { QueryView } from '../../components/PageState';
import { formatDateTime, formatNumber, TIME_ZONE } from '../../format';
import { MonthCalendar, stockholmDay } from './MonthCalendar';

export type Webcast = components['schemas']['Webcast'];

/** Webcasts grouped by their Stockholm day ("2026-12-03"), in time order — the calendar view. Exported for tests. */
export function byDay(webcasts: Pick<Webcast, 'id' | 'startsAt'>[]): [string, string[]][] {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  const groups = new Map<string, string[]>();
  for (const w of [...webcasts].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const key = day.format(new Date(w.startsAt));
    groups.set(key, [...(groups.get(key) ?? []), w.id]);
  }
  return [...groups.entries()];
}

/** The calendar opens on today's month, or on the next webcast's when there is one later. Exported for tests. */
export function firstDayToShow(webcasts: Pick<Webcast, 'startsAt'>[], now = new Date()): string {
  const today = stockholmDay(now);
  const next = webcasts.map((w) => stockholmDay(w.startsAt)).filter((d) => d >= today).sort()[0];
  return next && next.slice(0, 7) !== today.slice(0, 7) ? next : today;
}

/** The schedule: a table or a month calendar (a keyboard-navigable grid; "?vy=kalender", so it can be bookmarked); staff add drafts. */
export function WebcastsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view: 'list' | 'calendar' = params.get('vy') === 'kalender' ? 'calendar' : 'list';
  const setView = (v: 'list' | 'calendar') => setParams(v === 'calendar' ? { vy: 'kalender' } : {}, { replace: true });
  const query = useQuery({ queryKey: ['webcasts'], queryFn: () => unwrap(api.GET('/api/webcasts')) });
  const lang = i18n.language;
  return (
    <Page title={t('webcasts.title')} intro={t('webcasts.intro')}
      actions={<Link className="button" to="/sandningar/ny">{t('webcasts.add')}</Link>}>
      <div className="view-switch" role="group" aria-label={t('webcasts.view')}>
        <button type="button" className="button secondary small" aria-pressed={view === 'list'} onClick={() => setView('list')}>{t('webcasts.listView')}</button>
        <button type="button" className="button secondary small" aria-pressed={view === 'calendar'} onClick={() => setView('calendar')}>{t('webcasts.calendarView')}</button>
      </div>
      <QueryView query={query}>
        {(list) => list.length === 0 ? <p>{t('webcasts.none')}</p> : view === 'list' ? (
          <div className="table-wrap" role="region" aria-label={t('webcasts.title')} tabIndex={0}>
            <table>
              <caption className="visually-hidden">{t('webcasts.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('webcasts.titleField')}</th>
                  <th scope="col">{t('webcasts.startsAt')}</th>
                  <th scope="col">{t('webcasts.status')}</th>
                  <th scope="col" className="num">{t('webcasts.invited')}</th>
                  <th scope="col" className="num">{t('webcasts.accepted')}</th>
                  <th scope="col" className="num">{t('webcasts.attended')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((w) => (
                  <tr key={w.id}>
                    <th scope="row"><Link to={`/sandningar/${w.id}`}>{w.title}</Link></th>
                    <td>{formatDateTime(w.startsAt, lang)}</td>
                    <td>{t(`webcasts.statuses.${w.status}`, { defaultValue: w.status })}</td>
                    <td className="num">{formatNumber(Number(w.counts.invited), lang)}</td>
                    <td className="num">{formatNumber(Number(w.counts.accepted), lang)}</td>
                    <td className="num">{formatNumber(Number(w.counts.attended), lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <MonthCalendar webcasts={list} initialDay={firstDayToShow(list)} />
        )}
      </QueryView>
    </Page>
  );
}
