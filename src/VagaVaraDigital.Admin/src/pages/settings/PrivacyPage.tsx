import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { formatDateTime } from '../../format';
import { SettingsNav } from './SettingsNav';
import { BusyButton } from '../../components/BusyButton';

type Notice = components['schemas']['Notice'];
interface Form { legalBasis: string; purpose: string; retentionMonths: string }
const toForm = (n: Notice): Form => ({ legalBasis: n.legalBasis, purpose: n.purpose, retentionMonths: String(n.retentionMonths ?? '') });

/** CountyAdmin: what the public pages say about personal data (legal basis, purpose) and how long it is kept. */
export function PrivacyPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['privacy'], queryFn: () => unwrap(api.GET('/api/privacy')) });
  return (
    <Page title={t('privacy.title')} intro={t('privacy.intro')}>
      <SettingsNav />
      <QueryView query={query}>{(n) => <PrivacyForm notice={n} />}</QueryView>
    </Page>
  );
}

function PrivacyForm({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(notice));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [purged, setPurged] = useState<string | null>(null);
  useEffect(() => setForm(toForm(notice)), [notice]);
  const save = useMutation({
    mutationFn: (body: components['schemas']['PrivacySettingsUpdate']) => unwrap(api.PUT('/api/privacy', { body })),
    onSuccess: (data) => { client.setQueryData(['privacy'], data); setErrors({}); setSaved(true); },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const purge = useMutation({
    mutationFn: () => unwrap(api.POST('/api/privacy/purge')),
    onSuccess: (r) => { setPurged(t('privacy.purged', { count: Number(r.erased) })); void client.invalidateQueries({ queryKey: ['privacy'] }); void client.invalidateQueries({ queryKey: ['invitees'] }); },
  });
  const labels: Record<string, string> = { legalBasis: t('privacy.legalBasis'), purpose: t('privacy.purpose'), retentionMonths: t('privacy.retentionMonths') };
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => { setSaved(false); setForm({ ...form, [k]: e.target.value }); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d+$/.test(form.retentionMonths.trim())) { setErrors({ retentionMonths: t('privacy.retentionInvalid') }); return; }
    save.mutate({ legalBasis: form.legalBasis, purpose: form.purpose, retentionMonths: Number(form.retentionMonths) });
  };
  const area = (k: 'legalBasis' | 'purpose', hint: string) => (
    <div className={errors[k] ? 'field has-error' : 'field'}>
      <label htmlFor={k}>{labels[k]} <span className="muted">({t('common.required')})</span></label>
      <p id={`${k}-hint`} className="hint">{hint}</p>
      {errors[k] && <p id={`${k}-error`} className="field-error">{errors[k]}</p>}
      <textarea id={k} rows={5} value={form[k]} onChange={set(k)} required maxLength={4000}
        aria-invalid={errors[k] ? true : undefined} aria-describedby={[`${k}-hint`, errors[k] ? `${k}-error` : ''].filter(Boolean).join(' ')} />
    </div>
  );
  return (
    <>
      <form onSubmit={submit} className="form" noValidate>
        <ErrorSummary errors={errors} labels={labels} />
        {save.error && !(save.error instanceof ApiError && save.error.problem.errors) && <ErrorMessage error={save.error} />}
        <p>{t('privacy.controller', { name: notice.controller })}{notice.contactEmail ? ` ${t('privacy.contact', { email: notice.contactEmail })}` : ''}</p>
        {area('legalBasis', t('privacy.legalBasisHint'))}
        {area('purpose', t('privacy.purposeHint'))}
        <Field id="retentionMonths" label={labels.retentionMonths} hint={t('privacy.retentionHint')} inputMode="numeric" value={form.retentionMonths}
          onChange={set('retentionMonths')} error={errors.retentionMonths} required />
        <div className="form-actions">
          <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</BusyButton>
          <p role="status" className="saved">{saved ? t('common.saved') : ''}</p>
        </div>
        {notice.updatedAt && <p className="muted">{t('settings.updatedAt', { when: formatDateTime(notice.updatedAt, i18n.language) })}</p>}
      </form>
      <section aria-labelledby="purge" className="danger-zone">
        <h2 id="purge">{t('privacy.purgeTitle')}</h2>
        <p>{t('privacy.purgeHelp', { months: notice.retentionMonths })}</p>
        <p className="muted">{notice.lastPurgeAt ? t('privacy.lastPurge', { when: formatDateTime(notice.lastPurgeAt, i18n.language) }) : t('privacy.neverPurged')}</p>
        {purge.error && <ErrorMessage error={purge.error} />}
        <ConfirmAction label={t('privacy.purge')} message={t('privacy.confirmPurge', { months: notice.retentionMonths })} confirmLabel={t('privacy.confirmPurgeButton')}
          pending={purge.isPending} onConfirm={() => { setPurged(null); purge.mutate(); }} className="button secondary" />
        <p role="status" className="saved">{purged ?? ''}</p>
      </section>
    </>
  );
}
