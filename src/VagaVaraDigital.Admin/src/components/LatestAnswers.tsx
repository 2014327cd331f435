import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { formatDateTime } from '../format';
import { ErrorMessage, Loading } from './PageState';

/**
 * The county's latest RSVP answers: who, which webcast, the answer given ("Tackat ja"/"Tackat nej" — not the invitation's
 * status now, which moves on to attended/absent) and when (county dashboard, staff only).
 */
export function LatestAnswers() {
  const { t, i18n } = useTranslation();
  const answers = useQuery({ queryKey: ['latest-answers'], queryFn: () => unwrap(api.GET('/api/invitations/latest-answers', { params: { query: { limit: 10 } } })) });
  return (
    <section aria-labelledby="latest-answers" className="card">
      <h2 id="latest-answers">{t('dashboard.latestAnswers')}</h2>
      {answers.isPending ? <Loading /> : answers.error ? <ErrorMessage error={answers.error} onRetry={() => void answers.refetch()} />
        : answers.data.length === 0 ? <p>{t('dashboard.noAnswers')}</p> : (
          <div className="table-wrap" role="region" aria-labelledby="latest-answers" tabIndex={0}>
            <table>
              <caption className="visually-hidden">{t('dashboard.latestAnswers')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invitees.name')}</th>
                  <th scope="col">{t('dashboard.webcast')}</th>
                  <th scope="col">{t('dashboard.answer')}</th>
                  <th scope="col">{t('dashboard.answeredAt')}</th>
                </tr>
              </thead>
              <tbody>
                {answers.data.map((a) => (
                  <tr key={a.invitationId}>
                    <th scope="row"><Link to={`/inbjudna/${a.inviteeId}`}>{[a.firstName, a.lastName].filter(Boolean).join(' ')}</Link></th>
                    <td><Link to={`/sandningar/${a.webcastId}`}>{a.webcastTitle}</Link></td>
                    <td>{t(`invitations.${a.answer}`, { defaultValue: a.answer })}</td>
                    <td>{formatDateTime(a.respondedAt, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}
