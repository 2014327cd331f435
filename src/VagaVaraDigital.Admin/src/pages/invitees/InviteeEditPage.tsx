import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams, Link } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { withStatus } from '../../components/HandedStatus';
import { formatDateTime } from '../../format';
import { useSession } from '../../session';
import { fullName, nominatorName, useMunicipalities, useRoleCategories, type Invitee } from './model';
import { BusyButton } from '../../components/BusyButton';

type Input = components['schemas']['InviteeInput'];
interface Form { firstName: string; lastName: string; email: string; municipalityCode: string; roleCategory: string; title: string; phone: string; tags: string; notes: string; noLongerInOffice: boolean }

const blank: Form = { firstName: '', lastName: '', email: '', municipalityCode: '', roleCategory: '', title: '', phone: '', tags: '', notes: '', noLongerInOffice: false };

function toForm(i: Invitee): Form {
  return {
    firstName: i.firstName ?? '', lastName: i.lastName ?? '', email: i.email ?? '', municipalityCode: i.municipalityCode ?? '',
    roleCategory: i.roleCategory, title: i.title ?? '', phone: i.phone ?? '', tags: (i.tags ?? []).join(', '), notes: i.notes ?? '',
    noLongerInOffice: i.noLongerInOffice ?? false,
  };
}

export function toInput(f: Form): Input {
  const opt = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    firstName: opt(f.firstName), lastName: opt(f.lastName), email: opt(f.email), municipalityCode: opt(f.municipalityCode),
    roleCategory: opt(f.roleCategory), title: opt(f.title), phone: opt(f.phone),
    tags: f.tags.split(',').map((x) => x.trim()).filter(Boolean), notes: opt(f.notes), noLongerInOffice: f.noLongerInOffice,
  };
}

/** "/inbjudna/ny" and "/inbjudna/{id}": add, correct, opt out and erase. */
export function InviteeEditPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const location = useLocation();
  const isNew = !id || id === 'ny';
  const query = useQuery({ queryKey: ['invitee', id], queryFn: () => unwrap(api.GET('/api/invitees/{id}', { params: { path: { id: id! } } })), enabled: !isNew });
  if (!isNew && (query.isPending || query.error || query.data === undefined)) return <QueryView query={query}>{() => null}</QueryView>;
  const invitee = isNew ? undefined : query.data;
  // One tree for "ny" and a saved invitee, the form keyed by the history entry it was started in. After "Spara" on
  // /inbjudna/ny the address becomes /inbjudna/{id} (the saved invitee already cached, the entry's key handed on in
  // the navigation's state) and the same form stays mounted: its "Sparat." live region and the button's focus survive
  // the move. (Before, the new address rendered another element here and so a fresh form: "Sparat." was on screen only
  // between two renders, ~25 ms.) Another invitee's page gets a form of its own.
  const formKey = (location.state as FormState | null)?.formKey ?? location.key;
  return (
    <Page title={invitee ? fullName(invitee) || t('invitees.editTitle') : t('invitees.addTitle')}>
      <InviteeForm key={formKey} invitee={invitee} />
    </Page>
  );
}

/** The navigation's state after creating: the history entry whose form created the invitee (see InviteeEditPage). */
interface FormState { formKey?: string }

function InviteeForm({ invitee }: { invitee?: Invitee }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation() as { state: FormState | null; key: string };
  const client = useQueryClient();
  const roles = useRoleCategories();
  const municipalities = useMunicipalities();
  // A municipal user nominates and corrects; opt-out, erasure and the register extract are the county's (API: 403).
  const municipal = useSession().data?.user?.role === 'MunicipalUser';
  const [form, setForm] = useState<Form>(invitee ? toForm(invitee) : blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (invitee) setForm(toForm(invitee)); }, [invitee]);

  const done = () => void client.invalidateQueries({ queryKey: ['invitees'] });
  const save = useMutation({
    mutationFn: (body: Input) => invitee
      ? unwrap(api.PUT('/api/invitees/{id}', { params: { path: { id: invitee.id! } }, body }))
      : unwrap(api.POST('/api/invitees', { body })),
    onSuccess: (saved) => {
      done();
      setErrors({});
      client.setQueryData(['invitee', saved.id], saved);
      setSaved(true);
      if (!invitee) void navigate(`/inbjudna/${saved.id}`, { replace: true, state: { formKey: location.state?.formKey ?? location.key } satisfies FormState });
    },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const erase = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/invitees/{id}', { params: { path: { id: invitee!.id! } } })),
    onSuccess: () => {
      // The cache still holds the person: the list's pages are dropped now (the list would show them while it
      // refetches), this page's copy once the app has left it (Back would show it until refetched).
      const id = invitee!.id!;
      client.removeQueries({ queryKey: ['invitees'] });
      void Promise.resolve(navigate('/inbjudna', { state: withStatus('subjectAccess.erased') }))
        .then(() => client.removeQueries({ queryKey: ['invitee', id], exact: true }));
    },
  });
  const optOut = useMutation({
    mutationFn: () => unwrap(api.POST('/api/invitees/{id}/opt-out', { params: { path: { id: invitee!.id! } } })),
    onSuccess: () => { done(); void client.invalidateQueries({ queryKey: ['invitee', invitee!.id!] }); },
  });

  const labels: Record<string, string> = {
    firstName: t('invitees.firstName'), lastName: t('invitees.lastName'), email: t('invitees.email'), municipalityCode: t('invitees.municipality'),
    roleCategory: t('invitees.roleCategory'), title: t('invitees.titleField'), phone: t('invitees.phone'), tags: t('invitees.tags'), notes: t('invitees.notes'),
  };
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
    setSaved(false);
    setForm({ ...form, [k]: e.target.type === 'checkbox' ? (e.target as HTMLInputElement).checked : e.target.value });
  };
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(toInput(form)); };   // not while saving: BusyButton
  const select = (k: 'municipalityCode' | 'roleCategory', options: { value: string; label: string }[], required = false) => (
    <div className={errors[k] ? 'field has-error' : 'field'}>
      <label htmlFor={k}>{labels[k]}{required && <span className="muted"> ({t('common.required')})</span>}</label>
      {errors[k] && <p id={`${k}-error`} className="field-error">{errors[k]}</p>}
      <select id={k} value={form[k]} onChange={set(k)} aria-invalid={errors[k] ? true : undefined} aria-describedby={errors[k] ? `${k}-error` : undefined} required={required}>
        <option value="">{t('invitees.choose')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );

  return (
    <>
      <form onSubmit={submit} className="form" noValidate>
        <ErrorSummary errors={errors} labels={labels} />
        {save.error && !(save.error instanceof ApiError && save.error.problem.errors) && <ErrorMessage error={save.error} />}
        <Field id="firstName" label={labels.firstName} value={form.firstName} onChange={set('firstName')} error={errors.firstName} autoComplete="off" required />
        <Field id="lastName" label={labels.lastName} value={form.lastName} onChange={set('lastName')} error={errors.lastName} autoComplete="off" required />
        <Field id="email" type="email" label={labels.email} value={form.email} onChange={set('email')} error={errors.email} autoComplete="off" required />
        {select('municipalityCode', [{ value: 'lansstyrelsen', label: t('invitees.countyBoard') }, ...municipalities.data.map((m) => ({ value: m.code, label: m.name }))])}
        {select('roleCategory', (roles.data ?? []).map((r) => ({ value: r.code, label: i18n.language === 'en' ? r.english : r.swedish })), true)}
        <Field id="title" label={labels.title} value={form.title} onChange={set('title')} error={errors.title} />
        <Field id="phone" type="tel" label={labels.phone} value={form.phone} onChange={set('phone')} error={errors.phone} />
        <Field id="tags" label={labels.tags} hint={t('invitees.tagsHint')} value={form.tags} onChange={set('tags')} error={errors.tags} />
        <div className={errors.notes ? 'field has-error' : 'field'}>
          <label htmlFor="notes">{labels.notes}</label>
          {errors.notes && <p id="notes-error" className="field-error">{errors.notes}</p>}
          <textarea id="notes" rows={3} value={form.notes} onChange={set('notes')} />
        </div>
        {invitee && (
          <div className="field checkbox">
            <input id="noLongerInOffice" type="checkbox" checked={form.noLongerInOffice} onChange={set('noLongerInOffice')} />
            <label htmlFor="noLongerInOffice">{t('invitees.noLongerInOffice')}</label>
          </div>
        )}
        <div className="form-actions">
          {/* keeps its focus while saving (BusyButton), also through the move to the new invitee's address */}
          <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</BusyButton>
          <Link to="/inbjudna">{t('invitees.backToList')}</Link>
          <p role="status" className="saved">{saved ? t('common.saved') : ''}</p>
        </div>
      </form>
      {invitee && (
        <section aria-labelledby="gdpr" className="danger-zone">
          <h2 id="gdpr">{t('invitees.gdprTitle')}</h2>
          <p className="muted">
            {t('invitees.source', { source: t(`invitees.sources.${invitee.source}`, { defaultValue: invitee.source }) })}
            {invitee.nominatedBy && !municipal ? ` · ${t('invitees.nominatedBy', { who: nominatorName(invitee, t('nominations.someUser')) })}` : ''}
            {' · '}{t('invitees.created', { when: formatDateTime(invitee.createdAt, i18n.language) })}
          </p>
          {(optOut.error || erase.error) && <ErrorMessage error={optOut.error ?? erase.error} />}
          {!municipal && <div className="button-row">
            {invitee.email && <Link to={`/inbjudna/registerutdrag?epost=${encodeURIComponent(invitee.email)}`}>{t('subjectAccess.link')}</Link>}
            {invitee.status === 'active' && (
              <ConfirmAction label={t('invitees.optOut')} className="button secondary" message={t('invitees.confirmOptOut', { name: fullName(invitee) })}
                confirmLabel={t('invitees.confirmOptOutButton')} pending={optOut.isPending} onConfirm={() => optOut.mutate()} />
            )}
            <ConfirmAction label={t('invitees.erase')} className="button danger" message={t('invitees.confirmErase', { name: fullName(invitee) })}
              confirmLabel={t('subjectAccess.confirmEraseButton')} pending={erase.isPending} onConfirm={() => erase.mutate()} />
          </div>}
        </section>
      )}
    </>
  );
}
