import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TIME_ZONE } from '../../format';

export interface CalendarWebcast { id: string; title: string; startsAt: string; status: string }

/** A day of the month grid: its key ("2026-12-03"), day of month, and whether it belongs to the month shown. */
export interface GridDay { key: string; day: number; inMonth: boolean }

const pad = (n: number) => String(n).padStart(2, '0');
const keyOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
/** A calendar day as a UTC midnight (calendar arithmetic only; time zones play no part). */
export const dayOf = (key: string) => new Date(`${key}T00:00:00Z`);
export const addDays = (key: string, n: number) => { const d = dayOf(key); d.setUTCDate(d.getUTCDate() + n); return keyOf(d); };

/** The Stockholm calendar day of an instant ("2026-12-03"). */
export function stockholmDay(instant: Date | string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The weeks (Monday first, ISO) covering a month (month 1–12), with the neighbouring months' days to fill them. Exported for tests. */
export function monthGrid(year: number, month: number): GridDay[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const mondayOffset = (first.getUTCDay() + 6) % 7;   // Monday = 0 … Sunday = 6
  const start = keyOf(new Date(Date.UTC(year, month - 1, 1 - mondayOffset)));
  const weeks: GridDay[][] = [];
  for (let w = 0; w < 6; w++) {
    const week = Array.from({ length: 7 }, (_, i) => {
      const key = addDays(start, w * 7 + i);
      const d = dayOf(key);
      return { key, day: d.getUTCDate(), inMonth: d.getUTCMonth() === month - 1 };
    });
    if (w > 0 && !week.some((d) => d.inMonth)) break;
    weeks.push(week);
  }
  return weeks;
}

/** Where a key press moves the focused day, or null for keys the grid does not handle. Exported for tests. */
export function moveDay(key: string, press: string): string | null {
  const weekday = (dayOf(key).getUTCDay() + 6) % 7;
  switch (press) {
    case 'ArrowRight': return addDays(key, 1);
    case 'ArrowLeft': return addDays(key, -1);
    case 'ArrowDown': return addDays(key, 7);
    case 'ArrowUp': return addDays(key, -7);
    case 'Home': return addDays(key, -weekday);
    case 'End': return addDays(key, 6 - weekday);
    case 'PageDown':
    case 'PageUp': {
      const d = dayOf(key);
      const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (press === 'PageDown' ? 1 : -1), 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(d.getUTCDate(), last));
      return keyOf(target);
    }
    default: return null;
  }
}

/**
 * The schedule as a month: a table with grid semantics (weeks as rows, Monday first, weekday names as column headers),
 * days in Europe/Stockholm. One tab stop: the arrow keys move between days (Home/End: start/end of the week,
 * Page Up/Down: month), Tab goes on to the webcasts of the focused day.
 */
export function MonthCalendar({ webcasts, initialDay }: { webcasts: CalendarWebcast[]; initialDay?: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'sv-SE';
  const today = stockholmDay(new Date());
  const [active, setActive] = useState(initialDay ?? today);
  const [wantFocus, setWantFocus] = useState(false);
  const grid = useRef<HTMLTableElement>(null);
  const year = dayOf(active).getUTCFullYear();
  const month = dayOf(active).getUTCMonth() + 1;
  const weeks = useMemo(() => monthGrid(year, month), [year, month]);
  const byDay = useMemo(() => {
    const map = new Map<string, CalendarWebcast[]>();
    for (const w of [...webcasts].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const k = stockholmDay(w.startsAt);
      map.set(k, [...(map.get(k) ?? []), w]);
    }
    return map;
  }, [webcasts]);
  useEffect(() => {
    if (!wantFocus) return;
    grid.current?.querySelector<HTMLElement>(`[data-day="${active}"]`)?.focus();
    setWantFocus(false);
  }, [active, wantFocus]);

  const utc = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
  const monthLabel = utc({ month: 'long', year: 'numeric' }).format(dayOf(`${year}-${pad(month)}-01`));
  const weekdays = Array.from({ length: 7 }, (_, i) => dayOf(addDays('2024-01-01', i)));   // 2024-01-01 was a Monday
  const longDay = utc({ weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });

  const go = (key: string, focus: boolean) => { setActive(key); setWantFocus(focus); };
  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    if (!(e.target instanceof HTMLElement) || !e.target.matches('td[data-day]')) return;
    const next = moveDay(active, e.key);
    if (!next) return;
    e.preventDefault();
    go(next, true);
  };
  const shiftMonth = (n: number) => go(moveDay(`${year}-${pad(month)}-01`, n > 0 ? 'PageDown' : 'PageUp')!, false);

  return (
    <div className="month-calendar">
      <div className="month-nav">
        <button type="button" className="button secondary small" onClick={() => shiftMonth(-1)}>{t('calendar.previous')}</button>
        <h2 id="calendar-month" aria-live="polite">{monthLabel}</h2>
        <button type="button" className="button secondary small" onClick={() => shiftMonth(1)}>{t('calendar.next')}</button>
        <button type="button" className="button secondary small" onClick={() => go(today, false)}>{t('calendar.today')}</button>
      </div>
      <p className="muted" id="calendar-help">{t('calendar.help')}</p>
      {/* At narrow widths and high zoom the grid keeps its seven columns inside this labelled scroll region (WCAG 1.4.10 allows two-dimensional content to scroll). */}
      <div className="table-wrap" role="region" aria-labelledby="calendar-month" tabIndex={0}>
        <table role="grid" ref={grid} aria-labelledby="calendar-month" aria-describedby="calendar-help" className="calendar-grid" onKeyDown={onKeyDown}>
          <thead>
            <tr>
              {weekdays.map((d) => (
                <th key={d.toISOString()} scope="col">
                  <span aria-hidden="true">{utc({ weekday: 'short' }).format(d)}</span>
                  <span className="visually-hidden">{utc({ weekday: 'long' }).format(d)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0].key}>
                {week.map((d) => {
                  const list = byDay.get(d.key) ?? [];
                  const isActive = d.key === active;
                  return (
                    <td key={d.key} data-day={d.key} tabIndex={isActive ? 0 : -1} aria-selected={isActive}
                      aria-current={d.key === today ? 'date' : undefined}
                      className={[d.inMonth ? '' : 'other-month', d.key === today ? 'today' : '', list.length ? 'has-events' : ''].join(' ').trim() || undefined}
                      onClick={() => setActive(d.key)}>
                      <span className="day-number" aria-hidden="true">{d.day}</span>
                      <span className="visually-hidden">{longDay.format(dayOf(d.key))}{list.length ? '' : `, ${t('calendar.noWebcasts')}`}</span>
                      {list.length > 0 && (
                        <ul>
                          {list.map((w) => (
                            <li key={w.id}>
                              <Link to={`/sandningar/${w.id}`} tabIndex={isActive ? 0 : -1}>
                                <span className="event-time">{time.format(new Date(w.startsAt))}</span> {w.title}
                              </Link>
                              {w.status === 'cancelled' || w.status === 'draft'
                                ? <span className="muted"> ({t(`webcasts.statuses.${w.status}`)})</span> : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
