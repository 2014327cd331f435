import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Page } from '../components/Page';
import { ErrorMessage, QueryView } from '../components/PageState';
import { SettingsNav } from './settings/SettingsNav';
import { useSession } from '../session';
import { BusyButton } from '../components/BusyButton';

type MyEmailSettings = components['schemas']['MyEmailSettings'];

/**
 * "/t/{län}/mina-installningar" (CountyAdmin): the person's own settings in this county, as opposed to the county's
 * (Inställningar). Today the daily digest — a morning summary to the county's administrators (new answers, mail that
 * could not be delivered, coming webcasts) — on or off (GET/PUT /api/email/my-settings). Reached from "Mina inställningar"
 * beside the name in the header and
 * from the settings' sub-menu.
 */
export function MySettingsPage() {
  const { t } = useTranslation();
  // The digest goes to the county's administrators (CountyAdmin); a SystemAdmin visiting the county gets none.
  const systemAdmin = useSession().data?.user?.role === 'SystemAdmin';
  const query = useQuery({ queryKey: ['email', 'my-settings'], queryFn: () => unwrap(api.GET('/api/email/my-settings')), enabled: !systemAdmin });
  return (
    <Page title={t('mySettings.title')} intro={t('mySettings.intro')}>
      <SettingsNav />
      {systemAdmin ? <p className="notice">{t('mySettings.notForSystemAdmin')}</p>
        : <QueryView query={query}>{(s) => <DigestForm settings={s} />}</QueryView>}
    </Page>
  );
}

export function DigestForm({ settings }: { settings: MyEmailSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [dailyDigest, setDailyDigest] = useState(settings.dailyDigest);
  const [saved, setSaved] = useState<boolean | null>(null);
  useEffect(() => setDailyDigest(settings.dailyDigest), [settings.dailyDigest]);
  const save = useMutation({
    mutationFn: (value: boolean) => unwrap(api.PUT('/api/email/my-settings', { body: { dailyDigest: value } })),
    onSuccess: (data) => {
      client.setQueryData(['email', 'my-settings'], data);
      setSaved(data.dailyDigest);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    save.mutate(dailyDigest);
  };
  return (
    <section aria-labelledby="my-email" className="card">
      <h2 id="my-email">{t('mySettings.emailTitle')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        {save.error && <ErrorMessage error={save.error} />}
        <div className="field checkbox">
          <input id="dailyDigest" type="checkbox" checked={dailyDigest} aria-describedby="dailyDigest-hint"
            onChange={(e) => { setDailyDigest(e.target.checked); setSaved(null); }} />
          <label htmlFor="dailyDigest">
            {t('mySettings.dailyDigest')}
            <span id="dailyDigest-hint" className="hint block">{t('mySettings.dailyDigestHint')}</span>
          </label>
        </div>
        <div className="form-actions">
          <BusyButton type="submit" className="button" busy={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</BusyButton>
          <p role="status" className="saved">{saved === null ? '' : saved ? t('mySettings.savedOn') : t('mySettings.savedOff')}</p>
        </div>
      </form>
    </section>
  );
}
