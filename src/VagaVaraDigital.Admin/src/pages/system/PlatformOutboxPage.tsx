import { Fragment, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, Loading, QueryView } from '../../components/PageState';
import { ConfirmAction } from '../../components/Confirm';
import { formatDateTime, formatNumber } from '../../format';
import { base } from '../../runtime';
import { BusyButton } from '../../components/BusyButton';

type Item = components['schemas']['PlatformOutboxItem'];

/** The statuses of the platform outbox, in the order the summary shows them. */
export const platformStatuses = ['failed', 'pending', 'sending', 'sent', 'cancelled'] as const;

/** The kinds of platform mail (PlatformOutbox.Kinds). */
export const platformKinds = ['user_invitation', 'password_reset'] as const;

/** Counts for every status (0 where the API has no row), in {@link platformStatuses} order. */
export function countsByStatus(summary: { status: string; count: number | string }[]): { status: string; count: number }[] {
  const counts = new Map(summary.map((s) => [s.status, Number(s.count)]));
  return platformStatuses.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/**
 * SystemAdmin: the platform outbox ("/system/e-post") — e-mail to accounts without a county (SystemAdmin and
 * NationalViewer invitations, password resets; ADR 0015): counts per status, the list with a status filter, each
 * message's details with its last error, and a new try of a failed one after an inline confirmation.
 */
export function PlatformOutboxPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const lang = i18n.language;
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [done, setDone] = useState('');
  const summary = useQuery({ queryKey: ['platform-outbox', 'summary'], queryFn: () => unwrap(api.GET('/api/system/email/outbox/summary')) });
  const list = useInfiniteQuery({
    queryKey: ['platform-outbox', 'list', status, kind],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/system/email/outbox', { params: { query: { status: status || undefined, kind: kind || undefined, beforeId: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => (last.nextBeforeId == null ? undefined : Number(last.nextBeforeId)),
  });
  const retry = useMutation({
    mutationFn: (m: Item) => unwrap(api.POST('/api/system/email/outbox/{id}/retry', { params: { path: { id: String(m.id) } } })),
    onSuccess: (_, m) => {
      setDone(t('platformOutbox.retried', { to: m.toAddress }));
      void client.invalidateQueries({ queryKey: ['platform-outbox'] });
    },
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const statusText = (s: string) => t(`email.statuses.${s}`, { defaultValue: s });
  const kindText = (k: string) => t(`email.kinds.${k}`, { defaultValue: k });

  return (
    <Page title={t('platformOutbox.title')} intro={t('platformOutbox.intro')}>
      <section aria-labelledby="po-summary">
        <h2 id="po-summary">{t('platformOutbox.summary')}</h2>
        <QueryView query={summary}>
          {(s) => (
            <dl className="facts">
              {countsByStatus(s).map((x) => (
                <div key={x.status}>
                  <dt>{statusText(x.status)}</dt>
                  <dd>{formatNumber(x.count, lang)}</dd>
                </div>
              ))}
            </dl>
          )}
        </QueryView>
      </section>

      <section aria-labelledby="po-list">
        <h2 id="po-list">{t('platformOutbox.messages')}</h2>
        <div className="field">
          <label htmlFor="po-status">{t('email.filter')}</label>
          <select id="po-status" value={status} onChange={(e) => { setStatus(e.target.value); setOpen(null); }}>
            <option value="">{t('platformOutbox.allStatuses')}</option>
            {platformStatuses.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="po-kind">{t('platformOutbox.kindFilter')}</label>
          <select id="po-kind" value={kind} onChange={(e) => { setKind(e.target.value); setOpen(null); }}>
            <option value="">{t('platformOutbox.allKinds')}</option>
            {platformKinds.map((k) => <option key={k} value={k}>{kindText(k)}</option>)}
          </select>
        </div>
        <p role="status" className="saved">{done}</p>
        {retry.error && <ErrorMessage error={retry.error} />}
        {list.isPending ? <Loading /> : list.error ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : rows.length === 0 ? (
          <p>{kind ? t('platformOutbox.emptyFiltered') : status ? t('platformOutbox.emptyStatus', { status: statusText(status) }) : t('platformOutbox.empty')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="po-list" tabIndex={0}>
            <table>
              <caption className="visually-hidden">{t('platformOutbox.messages')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('email.to')}</th>
                  <th scope="col">{t('email.kind')}</th>
                  <th scope="col">{t('email.status')}</th>
                  <th scope="col">{t('email.when')}</th>
                  <th scope="col">{t('email.attempts')}</th>
                  <th scope="col"><span className="visually-hidden">{t('platformOutbox.details')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => {
                  const id = Number(m.id);
                  const expanded = open === id;
                  return (
                    <Fragment key={id}>
                      <tr>
                        <th scope="row">{m.toAddress}</th>
                        <td>{kindText(m.kind)}</td>
                        <td>{statusText(m.status)}{m.status === 'failed' && m.lastError && <span className="field-error"> {t('platformOutbox.hasError')}</span>}</td>
                        <td>{formatDateTime(m.sentAt ?? m.nextAttemptAt ?? m.dueAt, lang)}</td>
                        <td className="num">{Number(m.attempts)}</td>
                        <td>
                          <button type="button" className="button secondary small" aria-expanded={expanded} aria-controls={`po-detail-${id}`}
                            onClick={() => setOpen(expanded ? null : id)}>
                            {expanded ? t('platformOutbox.hide', { to: m.toAddress }) : t('platformOutbox.show', { to: m.toAddress })}
                          </button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr id={`po-detail-${id}`}>
                          <td colSpan={6}>
                            <Detail m={m} lang={lang} statusText={statusText} kindText={kindText}
                              retry={() => { setDone(''); retry.mutate(m); }} pending={retry.isPending} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {list.hasNextPage && (
          <BusyButton type="button" className="button secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? t('common.loading') : t('audit.more')}
          </BusyButton>
        )}
      </section>
    </Page>
  );
}

function Detail({ m, lang, statusText, kindText, retry, pending }: {
  m: Item; lang: string; statusText: (s: string) => string; kindText: (k: string) => string; retry: () => void; pending: boolean;
}) {
  const { t } = useTranslation();
  const when = (v: string | null | undefined) => (v ? formatDateTime(v, lang) : '–');
  return (
    <div className="outbox-detail">
      <dl className="plain">
        <dt>{t('email.status')}</dt><dd>{statusText(m.status)}</dd>
        <dt>{t('email.kind')}</dt><dd>{kindText(m.kind)}</dd>
        <dt>{t('email.to')}</dt><dd>{m.toAddress}</dd>
        <dt>{t('email.attempts')}</dt><dd>{Number(m.attempts)}</dd>
        <dt>{t('platformOutbox.lastError')}</dt><dd>{m.lastError ? <span className="field-error">{m.lastError}</span> : '–'}</dd>
        <dt>{t('platformOutbox.created')}</dt><dd>{when(m.createdAt)}</dd>
        <dt>{t('platformOutbox.nextAttempt')}</dt><dd>{when(m.nextAttemptAt)}</dd>
        <dt>{t('platformOutbox.sent')}</dt><dd>{when(m.sentAt)}</dd>
        <dt>{t('platformOutbox.updated')}</dt><dd>{when(m.updatedAt)}</dd>
        <dt>{t('platformOutbox.account')}</dt><dd><code>{m.userId}</code></dd>
        <dt>{t('platformOutbox.id')}</dt><dd>{Number(m.id)}</dd>
      </dl>
      <div className="button-row">
        {m.emlAvailable && <a href={`${base}/api/system/email/outbox/${m.id}/eml`} download>{t('email.eml', { id: m.id })}</a>}
        {m.status === 'failed' && (
          <ConfirmAction label={t('platformOutbox.retry', { to: m.toAddress })} className="button small" pending={pending}
            message={t('platformOutbox.confirmRetry', { to: m.toAddress })} confirmLabel={t('platformOutbox.confirmRetryButton')} onConfirm={retry} />
        )}
      </div>
    </div>
  );
}
