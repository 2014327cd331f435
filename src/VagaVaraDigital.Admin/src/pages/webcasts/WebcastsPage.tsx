import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { QueryView } from '../../components/PageState';
import { formatDateTime, formatNumber, TIME_ZONE } from '../../format';

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

/** The schedule: a table or a calendar (days with their webcasts); staff add drafts. */
export function WebcastsPage() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<'list' | 'calendar'>('list');
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
          <ol className="calendar">
            {byDay(list).map(([day, ids]) => (
              <li key={day}>
                <h2 className="calendar-day">{new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(list.find((w) => w.id === ids[0])!.startsAt))}</h2>
                <ul>
                  {ids.map((id) => {
                    const w = list.find((x) => x.id === id)!;
                    return (
                      <li key={id}>
                        <Link to={`/sandningar/${id}`}>{w.title}</Link>{' '}
                        <span className="muted">{new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(w.startsAt))} · {t(`webcasts.statuses.${w.status}`, { defaultValue: w.status })}</span>
                      </li>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </QueryView>
    </Page>
  );
}
