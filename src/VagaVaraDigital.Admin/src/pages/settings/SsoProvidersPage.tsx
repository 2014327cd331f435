import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { useMunicipalities } from '../invitees/model';
import { SettingsNav } from './SettingsNav';
import { BusyButton } from '../../components/BusyButton';

type Provider = components['schemas']['ProviderView'];
type Input = components['schemas']['ProviderInput'];
interface DomainRow { key: number; domain: string; municipalityCode: string }
interface Form { displayName: string; issuer: string; clientId: string; clientSecret: string; isEnabled: boolean; domains: DomainRow[] }

let nextKey = 1;
const blankRow = (): DomainRow => ({ key: nextKey++, domain: '', municipalityCode: '' });
const blank = (): Form => ({ displayName: '', issuer: '', clientId: '', clientSecret: '', isEnabled: true, domains: [blankRow()] });
const toForm = (p: Provider): Form => ({
  displayName: p.displayName, issuer: p.issuer, clientId: p.clientId, clientSecret: '', isEnabled: p.isEnabled ?? true,
  domains: (p.domains ?? []).length > 0 ? p.domains!.map((d) => ({ key: nextKey++, ...d })) : [blankRow()],
});
const toInput = (f: Form): Input => ({
  displayName: f.displayName, issuer: f.issuer, clientId: f.clientId, clientSecret: f.clientSecret === '' ? null : f.clientSecret,
  isEnabled: f.isEnabled,
  domains: f.domains.filter((d) => d.domain.trim() !== '' || d.municipalityCode !== '').map((d) => ({ domain: d.domain, municipalityCode: d.municipalityCode })),
});

/** CountyAdmin: the municipalities' own sign-in (OpenID Connect providers) and the e-mail domains each serves. */
export function SsoProvidersPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['sso-providers'], queryFn: () => unwrap(api.GET('/api/tenant/sso-providers')) });
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const [focusToken, setFocusToken] = useState(0);
  const open = (p: Provider | 'new') => { setEditing(p); setFocusToken((n) => n + 1); };
  useEffect(() => { if (focusToken > 0) formHeading.current?.focus(); }, [focusToken]);
  return (
    <Page title={t('sso.title')} intro={t('sso.intro')}>
      <SettingsNav />
      <QueryView query={query}>
        {(providers) => (
          <>
            {providers.length === 0 ? <p>{t('sso.none')}</p> : (
              <ul className="provider-list" aria-label={t('sso.listLabel')}>
                {providers.map((p) => <ProviderCard key={p.id} provider={p} onEdit={() => open(p)} onDeleted={() => setEditing(null)} />)}
              </ul>
            )}
            {editing === null && <button type="button" className="button" onClick={() => open('new')}>{t('sso.add')}</button>}
          </>
        )}
      </QueryView>
      {editing !== null && (
        <section aria-labelledby="sso-form" className="card">
          <h2 id="sso-form" ref={formHeading} tabIndex={-1}>
            {editing === 'new' ? t('sso.addTitle') : t('sso.editTitle', { name: editing.displayName })}
          </h2>
          <ProviderForm key={editing === 'new' ? 'new' : editing.id} provider={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
        </section>
      )}
    </Page>
  );
}

function ProviderCard({ provider: p, onEdit, onDeleted }: { provider: Provider; onEdit: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const municipalities = useMunicipalities();
  const nameOf = (code: string) => municipalities.data.find((m) => m.code === code)?.name ?? code;
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/tenant/sso-providers/{id}', { params: { path: { id: p.id! } } })),
    onSuccess: () => { onDeleted(); void client.invalidateQueries({ queryKey: ['sso-providers'] }); },
  });
  const headingId = `sso-${p.id}`;
  return (
    <li className="card">
      <h2 id={headingId}>{p.displayName}</h2>
      <dl className="plain">
        <dt>{t('sso.state')}</dt><dd>{p.isEnabled ? t('common.active') : t('common.inactive')}</dd>
        <dt>{t('sso.issuer')}</dt><dd className="break">{p.issuer}</dd>
        <dt>{t('sso.clientId')}</dt><dd className="break">{p.clientId}</dd>
        <dt>{t('sso.clientSecret')}</dt><dd>{p.hasClientSecret ? t('sso.secretStored') : t('sso.secretMissing')}</dd>
        <dt>{t('sso.domains')}</dt>
        <dd>
          <ul className="link-list">
            {(p.domains ?? []).map((d) => <li key={d.domain}>{t('sso.domainFor', { domain: d.domain, municipality: nameOf(d.municipalityCode) })}</li>)}
          </ul>
        </dd>
        <dt>{t('sso.redirectUri')}</dt>
        <dd><code className="break">{p.redirectUri}</code><p className="hint">{t('sso.redirectUriHint')}</p></dd>
      </dl>
      {remove.error && <ErrorMessage error={remove.error} />}
      <div className="button-row">
        <button type="button" className="button secondary small" onClick={onEdit}>{t('sso.edit', { name: p.displayName })}</button>
        <ConfirmAction label={t('sso.delete', { name: p.displayName })} message={t('sso.confirmDelete', { name: p.displayName })}
          confirmLabel={t('sso.confirmDeleteButton')} pending={remove.isPending} onConfirm={() => remove.mutate()} />
      </div>
    </li>
  );
}

function ProviderForm({ provider, onDone }: { provider?: Provider; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const municipalities = useMunicipalities();
  const [form, setForm] = useState<Form>(() => (provider ? toForm(provider) : blank()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: Input) => provider
      ? unwrap(api.PUT('/api/tenant/sso-providers/{id}', { params: { path: { id: provider.id! } }, body }))
      : unwrap(api.POST('/api/tenant/sso-providers', { body })),
    onSuccess: () => { setErrors({}); void client.invalidateQueries({ queryKey: ['sso-providers'] }); onDone(); },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const labels: Record<string, string> = {
    displayName: t('sso.displayName'), issuer: t('sso.issuer'), clientId: t('sso.clientId'), clientSecret: t('sso.clientSecret'), domains: t('sso.domains'),
  };
  const set = (k: 'displayName' | 'issuer' | 'clientId' | 'clientSecret') => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });
  const setRow = (key: number, patch: Partial<DomainRow>) => setForm({ ...form, domains: form.domains.map((d) => (d.key === key ? { ...d, ...patch } : d)) });
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(toInput(form)); };
  const prefix = provider ? `sso-${provider.id}` : 'sso-new';
  return (
    <form onSubmit={submit} className="form" noValidate>
      <ErrorSummary errors={errors} labels={labels} />
      {save.error && !(save.error instanceof ApiError && save.error.problem.errors) && <ErrorMessage error={save.error} />}
      {provider ? <p>{t('sso.redirectUri')}: <code className="break">{provider.redirectUri}</code></p> : <p className="hint">{t('sso.redirectUriAfterSave')}</p>}
      <Field id="displayName" label={labels.displayName} hint={t('sso.displayNameHint')} value={form.displayName} onChange={set('displayName')} error={errors.displayName} required maxLength={200} autoComplete="off" />
      <Field id="issuer" type="url" label={labels.issuer} hint={t('sso.issuerHint')} value={form.issuer} onChange={set('issuer')} error={errors.issuer} required autoComplete="off" spellCheck={false} />
      <Field id="clientId" label={labels.clientId} value={form.clientId} onChange={set('clientId')} error={errors.clientId} required autoComplete="off" spellCheck={false} />
      <Field id="clientSecret" type="password" label={labels.clientSecret} hint={provider ? t('sso.clientSecretKeep') : t('sso.clientSecretHint')}
        value={form.clientSecret} onChange={set('clientSecret')} error={errors.clientSecret} required={!provider} autoComplete="new-password" />
      <fieldset aria-describedby={errors.domains ? 'domains-error' : 'domains-hint'}>
        <legend>{labels.domains}</legend>
        <p id="domains-hint" className="hint">{t('sso.domainsHint')}</p>
        {errors.domains && <p id="domains-error" className="field-error" tabIndex={-1}>{errors.domains}</p>}
        <div id="domains" tabIndex={-1} />
        {form.domains.map((d, i) => (
          <div key={d.key} className="domain-row">
            <div className="field">
              <label htmlFor={`${prefix}-domain-${d.key}`}>{t('sso.domain', { n: i + 1 })}</label>
              <input id={`${prefix}-domain-${d.key}`} value={d.domain} onChange={(e) => setRow(d.key, { domain: e.target.value })} autoComplete="off" spellCheck={false}
                aria-invalid={errors.domains ? true : undefined} />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-municipality-${d.key}`}>{t('sso.municipality', { n: i + 1 })}</label>
              <select id={`${prefix}-municipality-${d.key}`} value={d.municipalityCode} onChange={(e) => setRow(d.key, { municipalityCode: e.target.value })}
                aria-invalid={errors.domains ? true : undefined}>
                <option value="">{t('invitees.choose')}</option>
                {municipalities.data.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
              </select>
            </div>
            {form.domains.length > 1 && (
              <button type="button" className="button secondary small" onClick={() => setForm({ ...form, domains: form.domains.filter((x) => x.key !== d.key) })}>
                {t('sso.removeDomain', { n: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button type="button" className="button secondary small" onClick={() => setForm({ ...form, domains: [...form.domains, blankRow()] })}>{t('sso.addDomain')}</button>
      </fieldset>
      <div className="field checkbox">
        <input id="isEnabled" type="checkbox" checked={form.isEnabled} onChange={(e) => setForm({ ...form, isEnabled: e.target.checked })} />
        <label htmlFor="isEnabled">{t('sso.isEnabled')}</label>
      </div>
      <div className="form-actions">
        <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</BusyButton>
        <button type="button" className="button secondary" onClick={onDone}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
