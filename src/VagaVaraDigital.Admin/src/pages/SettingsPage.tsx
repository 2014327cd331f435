import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Page } from '../components/Page';
import { QueryView, ErrorMessage } from '../components/PageState';
import { ErrorSummary, Field, fieldErrors, parseIntList } from '../components/Field';
import { formatDateTime } from '../format';
import { SettingsNav } from './settings/SettingsNav';
import { BusyButton } from '../components/BusyButton';

type Settings = components['schemas']['TenantSettings'];
type Form = Record<'displayName' | 'contactEmail' | 'senderName' | 'replyToEmail' | 'timeZone' | 'reachTarget' |
  'attendanceThresholdMinutes' | 'reminderOffsetsMinutes' | 'nudgeOffsetMinutes' | 'followUpDelayMinutes', string>;

function toForm(s: Settings): Form {
  return {
    displayName: s.displayName,
    contactEmail: s.contactEmail ?? '',
    senderName: s.senderName,
    replyToEmail: s.replyToEmail ?? '',
    timeZone: s.timeZone,
    reachTarget: String(s.reachTarget ?? 0),
    attendanceThresholdMinutes: String(s.attendanceThresholdMinutes ?? 0),
    reminderOffsetsMinutes: s.reminderOffsetsMinutes.map(String).join(', '),
    nudgeOffsetMinutes: String(s.nudgeOffsetMinutes ?? 0),
    followUpDelayMinutes: String(s.followUpDelayMinutes ?? 0),
  };
}

export function SettingsPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['settings'], queryFn: () => unwrap(api.GET('/api/tenant/settings')) });
  return (
    <Page title={t('settings.title')} intro={t('settings.intro')}>
      <SettingsNav />
      <QueryView query={query}>{(s) => <SettingsForm settings={s} />}</QueryView>
    </Page>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(toForm(settings)), [settings]);

  const save = useMutation({
    mutationFn: (body: components['schemas']['TenantSettingsUpdate']) => unwrap(api.PUT('/api/tenant/settings', { body })),
    onSuccess: (data) => {
      client.setQueryData(['settings'], data);
      void client.invalidateQueries({ queryKey: ['tenant'] });
      setErrors({});
      setSaved(true);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 400) setErrors(fieldErrors(e.problem.errors));
    },
  });

  const labels: Record<string, string> = Object.fromEntries(Object.keys(form).map((k) => [k, t(`settings.${k}`)]));
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setSaved(false);
    setForm({ ...form, [k]: e.target.value });
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    const reminders = parseIntList(form.reminderOffsetsMinutes);
    if (!reminders) {
      setErrors({ reminderOffsetsMinutes: t('settings.invalidList') });
      return;
    }
    save.mutate({
      displayName: form.displayName,
      contactEmail: form.contactEmail || null,
      senderName: form.senderName,
      replyToEmail: form.replyToEmail || null,
      timeZone: form.timeZone,
      reachTarget: Number(form.reachTarget),
      attendanceThresholdMinutes: Number(form.attendanceThresholdMinutes),
      reminderOffsetsMinutes: reminders,
      nudgeOffsetMinutes: Number(form.nudgeOffsetMinutes),
      followUpDelayMinutes: Number(form.followUpDelayMinutes),
    });
  }

  const f = (k: keyof Form, extra: Partial<React.ComponentProps<typeof Field>> = {}) => (
    <Field id={k} label={labels[k]} value={form[k]} onChange={set(k)} error={errors[k]} {...extra} />
  );

  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary errors={errors} labels={labels} />
      {save.error && !(save.error instanceof ApiError && save.error.status === 400) && <ErrorMessage error={save.error} />}
      <fieldset>
        <legend>{t('settings.details')}</legend>
        {f('displayName', { required: true, autoComplete: 'organization', maxLength: 200 })}
        {f('contactEmail', { type: 'email', autoComplete: 'email', hint: t('settings.contactEmailHint') })}
        {f('timeZone', { required: true })}
      </fieldset>
      <fieldset>
        <legend>{t('settings.email')}</legend>
        {f('senderName', { required: true, hint: t('settings.senderNameHint'), maxLength: 200 })}
        {f('replyToEmail', { type: 'email' })}
      </fieldset>
      <fieldset>
        <legend>{t('settings.reach')}</legend>
        {f('reachTarget', { inputMode: 'numeric', required: true })}
        {f('attendanceThresholdMinutes', { inputMode: 'numeric', required: true, hint: t('settings.attendanceThresholdHint') })}
      </fieldset>
      <fieldset>
        <legend>{t('settings.reminders')}</legend>
        {f('reminderOffsetsMinutes', { hint: t('settings.reminderOffsetsHint') })}
        {f('nudgeOffsetMinutes', { inputMode: 'numeric', hint: t('settings.nudgeHint') })}
        {f('followUpDelayMinutes', { inputMode: 'numeric' })}
      </fieldset>
      <div className="form-actions">
        <BusyButton type="submit" className="button" busy={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </BusyButton>
        <p role="status" className="saved">{saved ? t('common.saved') : ''}</p>
      </div>
      {settings.updatedAt && <p className="muted">{t('settings.updatedAt', { when: formatDateTime(settings.updatedAt, i18n.language) })}</p>}
    </form>
  );
}
