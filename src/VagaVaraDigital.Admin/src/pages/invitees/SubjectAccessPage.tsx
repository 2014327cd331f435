import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { formatDateTime } from '../../format';
import { fullName } from './model';
import { BusyButton } from '../../components/BusyButton';

type Report = components['schemas']['SubjectAccessReport'];

/** The register extract as a file: the API's JSON as it is, named after the address and the day. */
export function reportFileName(email: string, generatedAt: string): string {
  const safe = email.toLowerCase().replace(/[^a-z0-9._-]+/g, '_');
  return `registerutdrag-${safe}-${generatedAt.slice(0, 10)}.json`;
}

function download(report: Report) {
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = reportFileName(report.email, report.generatedAt);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * "/inbjudna/registerutdrag": a data subject's rights by e-mail address — the register extract (GDPR art. 15)
 * as a JSON download, and erasure (art. 17) with a confirmation that says what stays (anonymous counts).
 */
export function SubjectAccessPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('epost') ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [erased, setErased] = useState<string | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const lookup = useMutation({
    mutationFn: (address: string) => unwrap(api.POST('/api/invitees/subject-access', { body: { email: address } })),
    onSuccess: () => setErrors({}),
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const erase = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/invitees/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: ['invitees'] });   // the list's cached pages still show the person
      setErased(t('subjectAccess.erased'));
      if (lookup.data) lookup.mutate(lookup.data.email);
    },
  });
  useEffect(() => { if (lookup.data && !erased) resultHeading.current?.focus(); }, [lookup.data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if (params.get('epost')) lookup.mutate(params.get('epost')!); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (e: FormEvent) => { e.preventDefault(); setErased(null); lookup.mutate(email); };
  const report = lookup.data;
  const invitee = report?.invitee;
  const labels = { email: t('subjectAccess.email') };
  return (
    <Page title={t('subjectAccess.title')} intro={t('subjectAccess.intro')}>
      <form onSubmit={submit} className="form" noValidate role="search" aria-label={t('subjectAccess.title')}>
        <ErrorSummary errors={errors} labels={labels} />
        {lookup.error && !(lookup.error instanceof ApiError && lookup.error.problem.errors) && <ErrorMessage error={lookup.error} />}
        <Field id="email" type="email" label={labels.email} hint={t('subjectAccess.emailHint')} value={email} onChange={(e) => setEmail(e.target.value)}
          error={errors.email} required autoComplete="off" />
        <div className="form-actions">
          <BusyButton type="submit" className="button" busy={lookup.isPending}>{lookup.isPending ? t('common.loading') : t('subjectAccess.find')}</BusyButton>
          <Link to="/inbjudna">{t('invitees.backToList')}</Link>
        </div>
      </form>
      {report && (
        <section aria-labelledby="subject-result" className="card">
          <h2 id="subject-result" ref={resultHeading} tabIndex={-1}>{t('subjectAccess.resultTitle', { email: report.email })}</h2>
          {invitee ? (
            <dl className="plain">
              <dt>{t('subjectAccess.name')}</dt><dd>{fullName(invitee) || '–'}</dd>
              <dt>{t('invitees.municipality')}</dt><dd>{invitee.municipalityName ?? invitee.municipalityCode ?? '–'}</dd>
              <dt>{t('invitees.status')}</dt><dd>{t(`invitees.statuses.${invitee.status}`, { defaultValue: invitee.status })}</dd>
              <dt>{t('subjectAccess.invitations')}</dt><dd>{report.invitations.length}</dd>
              <dt>{t('subjectAccess.emails')}</dt><dd>{report.emails.length}</dd>
              <dt>{t('subjectAccess.generatedAt')}</dt><dd>{formatDateTime(report.generatedAt, i18n.language)}</dd>
            </dl>
          ) : <p>{t('subjectAccess.notFound')}</p>}
          <div className="button-row">
            <button type="button" className="button" onClick={() => download(report)}>{t('subjectAccess.download')}</button>
          </div>
          {invitee && invitee.status !== 'erased' && (
            <div className="danger-zone">
              <h3>{t('subjectAccess.eraseTitle')}</h3>
              <p>{t('subjectAccess.eraseHelp')}</p>
              {erase.error && <ErrorMessage error={erase.error} />}
              <ConfirmAction label={t('subjectAccess.erase', { email: report.email })} className="button danger"
                message={t('subjectAccess.confirmErase', { email: report.email })} confirmLabel={t('subjectAccess.confirmEraseButton')}
                pending={erase.isPending} onConfirm={() => erase.mutate(invitee.id!)} />
            </div>
          )}
          <p role="status" className="saved">{erased ?? ''}</p>
        </section>
      )}
    </Page>
  );
}
