import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { withStatus } from '../../components/HandedStatus';
import { useMunicipalities, useRoleCategories } from '../invitees/model';
import type { Webcast } from './WebcastsPage';
import { BusyButton } from '../../components/BusyButton';

type Input = components['schemas']['WebcastInput'];
interface Form { title: string; description: string; startsAt: string; durationMinutes: string; platform: string; joinUrl: string; recordingUrl: string; capacity: string; audienceMunicipalities: string[]; audienceRoleCategories: string[] }

export function toWebcastInput(f: Form): Input {
  const opt = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    title: opt(f.title), description: opt(f.description), startsAt: opt(f.startsAt), durationMinutes: Number(f.durationMinutes || 0),
    platform: opt(f.platform), joinUrl: opt(f.joinUrl), recordingUrl: opt(f.recordingUrl), capacity: f.capacity.trim() === '' ? null : Number(f.capacity),
    audienceMunicipalities: f.audienceMunicipalities, audienceRoleCategories: f.audienceRoleCategories,
  };
}

const fromWebcast = (w?: Webcast): Form => ({
  title: w?.title ?? '', description: w?.description ?? '', startsAt: w?.startsAtLocal?.slice(0, 16) ?? '', durationMinutes: String(w?.durationMinutes ?? 60),
  platform: w?.platform ?? 'teams', joinUrl: w?.joinUrl ?? '', recordingUrl: w?.recordingUrl ?? '', capacity: w?.capacity == null ? '' : String(w.capacity),
  audienceMunicipalities: w?.audienceMunicipalities ?? [], audienceRoleCategories: w?.audienceRoleCategories ?? [],
});

/** "/sandningar/ny" and "/sandningar/{id}/andra". */
export function WebcastEditPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['webcast', id], queryFn: () => unwrap(api.GET('/api/webcasts/{id}', { params: { path: { id: id! } } })), enabled: !!id });
  if (!id) return <Page title={t('webcasts.addTitle')}><WebcastForm /></Page>;
  return <QueryView query={query}>{(w) => <Page title={t('webcasts.editTitle', { title: w.title })}><WebcastForm webcast={w} /></Page>}</QueryView>;
}

function WebcastForm({ webcast }: { webcast?: Webcast }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const municipalities = useMunicipalities();
  const roles = useRoleCategories();
  const [form, setForm] = useState<Form>(fromWebcast(webcast));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: Input) => webcast
      ? unwrap(api.PUT('/api/webcasts/{id}', { params: { path: { id: webcast.id } }, body }))
      : unwrap(api.POST('/api/webcasts', { body })),
    onSuccess: (w) => {
      void client.invalidateQueries({ queryKey: ['webcasts'] });
      client.setQueryData(['webcast', w.id], w);
      // The webcast's page says "Sparat." (this form is gone by then); after creating, Back skips the empty form.
      void navigate(`/sandningar/${w.id}`, { replace: !webcast, state: withStatus('common.saved') });
    },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const labels: Record<string, string> = {
    title: t('webcasts.titleField'), description: t('webcasts.description'), startsAt: t('webcasts.startsAt'), durationMinutes: t('webcasts.duration'),
    platform: t('webcasts.platform'), joinUrl: t('webcasts.joinUrl'), recordingUrl: t('webcasts.recordingUrl'), capacity: t('webcasts.capacity'),
    audienceMunicipalities: t('webcasts.audienceMunicipalities'), audienceRoleCategories: t('webcasts.audienceRoles'),
  };
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(toWebcastInput(form)); };
  const startLocked = !!webcast && webcast.status !== 'draft';
  return (
    <form onSubmit={submit} className="form" noValidate>
      <ErrorSummary errors={errors} labels={labels} />
      {save.error && !(save.error instanceof ApiError && save.error.problem.errors) && <ErrorMessage error={save.error} />}
      <Field id="title" label={labels.title} value={form.title} onChange={set('title')} error={errors.title} required />
      <div className={errors.description ? 'field has-error' : 'field'}>
        <label htmlFor="description">{labels.description}</label>
        {errors.description && <p id="description-error" className="field-error">{errors.description}</p>}
        <textarea id="description" rows={4} value={form.description} onChange={set('description')} />
      </div>
      <Field id="startsAt" type="datetime-local" label={labels.startsAt} hint={startLocked ? t('webcasts.startLocked') : t('webcasts.startsAtHint')}
        value={form.startsAt} onChange={set('startsAt')} error={errors.startsAt} required disabled={startLocked} />
      <Field id="durationMinutes" inputMode="numeric" label={labels.durationMinutes} value={form.durationMinutes} onChange={set('durationMinutes')} error={errors.durationMinutes} required />
      <div className={errors.platform ? 'field has-error' : 'field'}>
        <label htmlFor="platform">{labels.platform}</label>
        <select id="platform" value={form.platform} onChange={set('platform')}>
          {['teams', 'zoom', 'other'].map((p) => <option key={p} value={p}>{t(`webcasts.platforms.${p}`)}</option>)}
        </select>
      </div>
      <Field id="joinUrl" type="url" label={labels.joinUrl} hint={t('webcasts.joinUrlHint')} value={form.joinUrl} onChange={set('joinUrl')} error={errors.joinUrl} />
      <Field id="recordingUrl" type="url" label={labels.recordingUrl} value={form.recordingUrl} onChange={set('recordingUrl')} error={errors.recordingUrl} />
      <Field id="capacity" inputMode="numeric" label={labels.capacity} hint={t('webcasts.capacityHint')} value={form.capacity} onChange={set('capacity')} error={errors.capacity} />
      <CheckboxGroup legend={labels.audienceMunicipalities} hint={t('webcasts.audienceHint')} name="audienceMunicipalities"
        options={municipalities.data.map((m) => ({ value: m.code, label: m.name }))}
        value={form.audienceMunicipalities} onChange={(v) => setForm({ ...form, audienceMunicipalities: v })} />
      <CheckboxGroup legend={labels.audienceRoleCategories} hint={t('webcasts.audienceHint')} name="audienceRoleCategories"
        options={(roles.data ?? []).map((r) => ({ value: r.code, label: i18n.language === 'en' ? r.english : r.swedish }))}
        value={form.audienceRoleCategories} onChange={(v) => setForm({ ...form, audienceRoleCategories: v })} />
      <div className="form-actions">
        <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</BusyButton>
        <Link to={webcast ? `/sandningar/${webcast.id}` : '/sandningar'}>{t('common.cancel')}</Link>
      </div>
    </form>
  );
}
