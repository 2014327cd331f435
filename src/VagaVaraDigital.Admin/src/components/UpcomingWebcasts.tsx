import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { formatDateTime, formatNumber } from '../format';

/** The next scheduled webcasts with their answers so far (county dashboard). */
export function UpcomingWebcasts() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ['webcasts'], queryFn: () => unwrap(api.GET('/api/webcasts')) });
  const now = Date.now();
  const upcoming = (list.data ?? []).filter((w) => w.status === 'scheduled' && new Date(w.startsAt).getTime() > now).slice(0, 5);
  if (list.isPending || list.error) return null;
  return (
    <section aria-labelledby="upcoming" className="card">
      <h2 id="upcoming">{t('dashboard.upcoming')}</h2>
      {upcoming.length === 0 ? <p>{t('dashboard.noUpcoming')}</p> : (
        <ul className="link-list">
          {upcoming.map((w) => (
            <li key={w.id}>
              <Link to={`/sandningar/${w.id}`}>{w.title}</Link>{' '}
              <span className="muted">{formatDateTime(w.startsAt, i18n.language)} · {t('dashboard.answers', {
                accepted: formatNumber(Number(w.counts.accepted), i18n.language),
                invited: formatNumber(Number(w.counts.invited), i18n.language),
              })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
