import { useEffect, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { ErrorMessage, Loading, QueryView } from '../components/PageState';
import { BarChart } from '../components/charts/BarChart';
import { formatDateTime } from '../format';
import { base } from '../runtime';
import { BusyButton } from '../components/BusyButton';

/** CountyAdmin: the outbox (status per message, the .eml of each) and the templates with a live preview. */
export function EmailPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('email.title')} intro={t('email.intro')}>
      <Outbox />
      <Templates />
    </Page>
  );
}

function Outbox() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [status, setStatus] = useState('');
  const summary = useQuery({ queryKey: ['outbox', 'summary'], queryFn: () => unwrap(api.GET('/api/email/outbox/summary')) });
  const list = useInfiniteQuery({
    queryKey: ['outbox', status],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/email/outbox', { params: { query: { status: status || undefined, beforeId: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => (last.nextBeforeId == null ? undefined : Number(last.nextBeforeId)),
  });
  const retry = useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/api/email/outbox/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['outbox'] }),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const lang = i18n.language;
  return (
    <section aria-labelledby="outbox">
      <h2 id="outbox">{t('email.outbox')}</h2>
      <QueryView query={summary}>
        {(s) => s.length === 0 ? <p>{t('email.empty')}</p> : (
          <BarChart title={t('email.perStatus')} valueHeader={t('email.count')}
            bars={s.map((x) => ({ key: x.status, label: t(`email.statuses.${x.status}`, { defaultValue: x.status }), value: Number(x.count) }))} />
        )}
      </QueryView>
      <div className="field">
        <label htmlFor="status-filter">{t('email.filter')}</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('invitees.all')}</option>
          {(summary.data ?? []).map((x) => <option key={x.status} value={x.status}>{t(`email.statuses.${x.status}`, { defaultValue: x.status })}</option>)}
        </select>
      </div>
      {retry.error && <ErrorMessage error={retry.error} />}
      {list.isPending ? <Loading /> : list.error ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : rows.length === 0 ? <p>{t('email.empty')}</p> : (
        <div className="table-wrap" role="region" aria-labelledby="outbox" tabIndex={0}>
          <table>
            <caption className="visually-hidden">{t('email.outbox')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('email.to')}</th>
                <th scope="col">{t('email.kind')}</th>
                <th scope="col">{t('email.status')}</th>
                <th scope="col">{t('email.when')}</th>
                <th scope="col">{t('email.attempts')}</th>
                <th scope="col">{t('email.message')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.toAddress}</th>
                  <td>{t(`email.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
                  <td>
                    {t(`email.statuses.${m.status}`, { defaultValue: m.status })}
                    {m.lastError && <span className="field-error"> {m.permanentFailure ? t('email.permanent') : ''} {m.lastError}</span>}
                  </td>
                  <td>{formatDateTime(m.sentAt ?? m.nextAttemptAt ?? m.dueAt, lang)}</td>
                  <td className="num">{Number(m.attempts)}</td>
                  <td>
                    <a href={`${base}/api/email/outbox/${m.id}/eml`} download>{t('email.eml', { id: m.id })}</a>
                    {m.status === 'failed' && (
                      <BusyButton type="button" className="button secondary small" busy={retry.isPending} onClick={() => retry.mutate(Number(m.id))}>
                        {t('email.retry', { to: m.toAddress })}
                      </BusyButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && <button type="button" className="button secondary" onClick={() => void list.fetchNextPage()}>{t('audit.more')}</button>}
    </section>
  );
}

function Templates() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => unwrap(api.GET('/api/email/templates')) });
  const [selected, setSelected] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [debounced, setDebounced] = useState({ subject: '', body: '' });
  const current = templates.data?.find((x) => `${x.kind}/${x.language}` === selected);
  useEffect(() => {
    if (current) { setSubject(current.subject); setBody(current.body); }
  }, [current]);
  useEffect(() => {
    const h = window.setTimeout(() => setDebounced({ subject, body }), 400);
    return () => window.clearTimeout(h);
  }, [subject, body]);
  const preview = useQuery({
    queryKey: ['template-preview', selected, debounced],
    enabled: !!current,
    queryFn: () => unwrap(api.POST('/api/email/templates/preview', { body: { kind: current!.kind, language: current!.language, subject: debounced.subject, body: debounced.body } })),
    retry: false,
  });
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/email/templates/{kind}/{language}', { params: { path: { kind: current!.kind, language: current!.language } }, body: { subject, body } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['templates'] }),
  });
  const reset = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/email/templates/{kind}/{language}', { params: { path: { kind: current!.kind, language: current!.language } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['templates'] }),
  });
  return (
    <section aria-labelledby="templates">
      <h2 id="templates">{t('email.templates')}</h2>
      <p>{t('email.templatesHelp')}</p>
      <QueryView query={templates}>
        {(list) => (
          <>
            <div className="field">
              <label htmlFor="template">{t('email.template')}</label>
              <select id="template" value={selected} onChange={(e) => setSelected(e.target.value)}>
                <option value="">{t('invitees.choose')}</option>
                {list.map((x) => (
                  <option key={`${x.kind}/${x.language}`} value={`${x.kind}/${x.language}`}>
                    {t(`email.kinds.${x.kind}`, { defaultValue: x.kind })} ({x.language}){x.isCustom ? ` – ${t('email.custom')}` : ''}
                  </option>
                ))}
              </select>
            </div>
            {current && (
              <div className="grid-2">
                <form className="form" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
                  <div className="field">
                    <label htmlFor="tpl-subject">{t('email.subject')}</label>
                    <input id="tpl-subject" value={subject} onChange={(e) => setSubject(e.target.value)} />
                  </div>
                  <div className="field">
                    <label htmlFor="tpl-body">{t('email.body')}</label>
                    <textarea id="tpl-body" rows={14} value={body} onChange={(e) => setBody(e.target.value)} className="code" />
                  </div>
                  {(save.error || reset.error) && <ErrorMessage error={save.error ?? reset.error} />}
                  <div className="button-row">
                    <BusyButton type="submit" className="button" busy={save.isPending}>{t('common.save')}</BusyButton>
                    {current.isCustom && <button type="button" className="button secondary" onClick={() => reset.mutate()}>{t('email.reset')}</button>}
                    <p role="status" className="saved">{save.isSuccess ? t('common.saved') : ''}</p>
                  </div>
                </form>
                <div aria-live="polite">
                  <h3>{t('email.preview')}</h3>
                  {preview.isPending ? <Loading /> : preview.error ? <ErrorMessage error={preview.error} /> : preview.data && (
                    <div className="mail-preview">
                      <p><strong>{t('email.subject')}:</strong> {preview.data.subject}</p>
                      <pre>{preview.data.text}</pre>
                    </div>
                  )}
                </div>
              </div>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
