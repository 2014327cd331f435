import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { HandedStatus } from '../../components/HandedStatus';
import { Field } from '../../components/Field';
import { DataTable } from '../../components/charts/DataTable';
import { ConfirmAction, ConfirmPanel } from '../../components/Confirm';
import { formatDateTime, formatNumber } from '../../format';
import { useMunicipalities, useRoleCategories } from '../invitees/model';
import type { Webcast } from './WebcastsPage';
import { AttendanceImport } from './AttendanceImport';
import { BusyButton } from '../../components/BusyButton';

/** "/sandningar/{id}": the webcast, its lifecycle (publish, move, cancel — each saying who is told), invitations and answers. */
export function WebcastPage() {
  const { id } = useParams();
  const query = useQuery({ queryKey: ['webcast', id], queryFn: () => unwrap(api.GET('/api/webcasts/{id}', { params: { path: { id: id! } } })) });
  return <QueryView query={query}>{(w) => <WebcastView webcast={w} />}</QueryView>;
}

function WebcastView({ webcast: w }: { webcast: Webcast }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const lang = i18n.language;
  const refresh = (updated?: Webcast) => {
    if (updated) client.setQueryData(['webcast', w.id], updated);
    void client.invalidateQueries({ queryKey: ['webcast', w.id] });
    void client.invalidateQueries({ queryKey: ['webcasts'] });
    void client.invalidateQueries({ queryKey: ['invitations', w.id] });
  };
  const schedule = useMutation({ mutationFn: () => unwrap(api.POST('/api/webcasts/{id}/schedule', { params: { path: { id: w.id } } })), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/api/webcasts/{id}/cancel', { params: { path: { id: w.id } } })), onSuccess: refresh });
  const [newStart, setNewStart] = useState('');
  const [confirmMove, setConfirmMove] = useState(false);
  const moveButton = useRef<HTMLButtonElement>(null);
  const reschedule = useMutation({
    mutationFn: () => unwrap(api.POST('/api/webcasts/{id}/reschedule', { params: { path: { id: w.id } }, body: { startsAt: newStart, durationMinutes: null } })),
    onSuccess: (u) => { setNewStart(''); setConfirmMove(false); refresh(u); },
  });
  const notified = Number(w.counts.invited);
  const active = w.status === 'draft' || w.status === 'scheduled';
  return (
    <Page title={w.title} intro={`${formatDateTime(w.startsAt, lang)} · ${t('webcasts.minutes', { count: Number(w.durationMinutes) })} · ${t(`webcasts.statuses.${w.status}`, { defaultValue: w.status })}`}
      actions={active ? <Link to={`/sandningar/${w.id}/andra`}>{t('webcasts.edit')}</Link> : undefined}>
      <HandedStatus />
      {w.description && <p className="prewrap">{w.description}</p>}
      <dl className="facts">
        <div><dt>{t('webcasts.platform')}</dt><dd>{t(`webcasts.platforms.${w.platform}`, { defaultValue: w.platform })}</dd></div>
        <div><dt>{t('webcasts.capacity')}</dt><dd>{w.capacity == null ? t('webcasts.noCapacity') : formatNumber(Number(w.capacity), lang)}</dd></div>
        <div><dt>{t('webcasts.invited')}</dt><dd>{formatNumber(Number(w.counts.invited), lang)}</dd></div>
        <div><dt>{t('webcasts.accepted')}</dt><dd>{formatNumber(Number(w.counts.accepted), lang)}</dd></div>
        <div><dt>{t('webcasts.waitlisted')}</dt><dd>{formatNumber(Number(w.counts.waitlisted), lang)}</dd></div>
        <div><dt>{t('webcasts.declined')}</dt><dd>{formatNumber(Number(w.counts.declined), lang)}</dd></div>
        <div><dt>{t('webcasts.attended')}</dt><dd>{formatNumber(Number(w.counts.attended), lang)}</dd></div>
      </dl>

      {(schedule.error || cancel.error || reschedule.error) && <ErrorMessage error={schedule.error ?? cancel.error ?? reschedule.error} />}
      {w.status === 'draft' && (
        <section aria-labelledby="publish" className="card">
          <h2 id="publish">{t('webcasts.publishTitle')}</h2>
          <p>{t('webcasts.publishHelp')}</p>
          <BusyButton type="button" className="button" busy={schedule.isPending} onClick={() => schedule.mutate()}>{t('webcasts.publish')}</BusyButton>
        </section>
      )}
      {w.status === 'scheduled' && <InviteSection webcast={w} onDone={refresh} />}
      {w.status === 'scheduled' && (
        <section aria-labelledby="move" className="card">
          <h2 id="move">{t('webcasts.moveTitle')}</h2>
          <form className="form" onSubmit={(e) => { e.preventDefault(); if (newStart) setConfirmMove(true); }}>
            <Field id="newStart" type="datetime-local" label={t('webcasts.newStart')} hint={t('webcasts.moveHelp', { count: notified })} value={newStart}
              onChange={(e) => { setNewStart(e.target.value); setConfirmMove(false); }} required />
            {confirmMove ? (
              <ConfirmPanel message={t('webcasts.confirmMove', { count: notified, when: newStart.replace('T', ' ') })} confirmLabel={t('webcasts.confirmMoveButton')}
                className="button" pending={reschedule.isPending} onConfirm={() => reschedule.mutate()} onCancel={() => { setConfirmMove(false); setTimeout(() => moveButton.current?.focus(), 0); }} />
            ) : (
              <BusyButton ref={moveButton} type="submit" className="button secondary" disabled={!newStart} busy={reschedule.isPending}>{t('webcasts.move')}</BusyButton>
            )}
          </form>
          <h2>{t('webcasts.cancelTitle')}</h2>
          <p>{t('webcasts.cancelHelp', { count: notified })}</p>
          <ConfirmAction label={t('webcasts.cancel')} className="button danger" message={t('webcasts.confirmCancel', { count: notified, title: w.title })}
            confirmLabel={t('webcasts.confirmCancelButton')} pending={cancel.isPending} onConfirm={() => cancel.mutate()} />
        </section>
      )}
      <InvitationList webcast={w} />
      <p><Link to="/sandningar">{t('webcasts.backToList')}</Link></p>
    </Page>
  );
}

/** Audience picker with a live count of who would be invited, then one click to invite (and send). */
function InviteSection({ webcast: w, onDone }: { webcast: Webcast; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const municipalities = useMunicipalities();
  const roles = useRoleCategories();
  const [m, setM] = useState<string[]>(w.audienceMunicipalities ?? []);
  const [r, setR] = useState<string[]>(w.audienceRoleCategories ?? []);
  const [result, setResult] = useState<string | null>(null);
  const body = { municipalities: m, roleCategories: r, tags: [] as string[] };
  const preview = useQuery({
    queryKey: ['invitation-preview', w.id, m, r],
    queryFn: () => unwrap(api.POST('/api/webcasts/{webcastId}/invitations/preview', { params: { path: { webcastId: w.id } }, body })),
  });
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/webcasts/{webcastId}/invitations', { params: { path: { webcastId: w.id } }, body: { ...body, send: true } })),
    onSuccess: (res) => {
      setResult(t('webcasts.invitedResult', { created: Number(res.created), queued: Number(res.queued) }));
      void preview.refetch();
      onDone();
    },
  });
  useEffect(() => setResult(null), [m, r]);
  const count = preview.data ? Number(preview.data.newInvitations) : null;
  return (
    <section aria-labelledby="invite" className="card">
      <h2 id="invite">{t('webcasts.inviteTitle')}</h2>
      <p>{t('webcasts.inviteHelp')}</p>
      <CheckboxGroup legend={t('webcasts.audienceMunicipalities')} hint={t('webcasts.audienceHint')} name="inviteMunicipalities"
        options={municipalities.data.map((x) => ({ value: x.code, label: x.name }))} value={m} onChange={setM} />
      <CheckboxGroup legend={t('webcasts.audienceRoles')} hint={t('webcasts.audienceHint')} name="inviteRoles"
        options={(roles.data ?? []).map((x) => ({ value: x.code, label: i18n.language === 'en' ? x.english : x.swedish }))} value={r} onChange={setR} />
      <p role="status" className="live-count">
        {preview.data
          ? t('webcasts.previewCount', { count: count ?? 0, already: Number(preview.data.alreadyInvited), excluded: Number(preview.data.excludedOptedOutOrErased) })
          : preview.isFetching ? t('common.loading') : '\u00a0'}
      </p>
      {preview.error && <ErrorMessage error={preview.error} />}
      {invite.error && <ErrorMessage error={invite.error} />}
      <BusyButton type="button" className="button" disabled={!count} busy={invite.isPending} onClick={() => invite.mutate()}>
        {t('webcasts.inviteButton', { count: count ?? 0 })}
      </BusyButton>
      {result && <p role="status" className="saved">{result}</p>}
    </section>
  );
}

function InvitationList({ webcast: w }: { webcast: Webcast }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['invitations', w.id], queryFn: () => unwrap(api.GET('/api/webcasts/{webcastId}/invitations', { params: { path: { webcastId: w.id } } })) });
  const mark = useMutation({
    mutationFn: ({ id, attended }: { id: string; attended: boolean }) =>
      unwrap(api.PUT('/api/webcasts/{webcastId}/invitations/{invitationId}/attendance', { params: { path: { webcastId: w.id, invitationId: id } }, body: { attended, minutes: null } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['invitations', w.id] });
      void client.invalidateQueries({ queryKey: ['webcast', w.id] });
    },
  });
  const lang = i18n.language;
  return (
    <section aria-labelledby="invitations">
      <h2 id="invitations">{t('webcasts.invitationsTitle')}</h2>
      {mark.error && <ErrorMessage error={mark.error instanceof ApiError ? mark.error : null} />}
      <QueryView query={query}>
        {(rows) => rows.length === 0 ? <p>{t('webcasts.noInvitations')}</p> : (
          <DataTable
            caption={t('webcasts.invitationsTitle')}
            captionHidden
            rows={rows}
            rowKey={(r) => r.id!}
            columns={[
              { key: 'name', header: t('invitees.name'), cell: (r) => [r.firstName, r.lastName].filter(Boolean).join(' ') || t('invitees.erased') },
              { key: 'email', header: t('invitees.email'), cell: (r) => r.email ?? '' },
              { key: 'status', header: t('webcasts.status'), cell: (r) => t(`invitations.${r.status}`, { defaultValue: r.status }) },
              { key: 'responded', header: t('webcasts.responded'), cell: (r) => formatDateTime(r.respondedAt, lang) },
              { key: 'minutes', header: t('webcasts.minutesAttended'), cell: (r) => (r.minutes == null ? '' : formatNumber(Number(r.minutes), lang)), numeric: true },
              {
                key: 'mark', header: t('webcasts.attendance'), cell: (r) => w.status === 'draft' || w.status === 'cancelled' ? '' : (
                  <BusyButton type="button" className="button secondary small" busy={mark.isPending}
                    onClick={() => mark.mutate({ id: r.id!, attended: r.status !== 'attended' })}>
                    {r.status === 'attended' ? t('webcasts.unmarkAttended', { name: r.firstName ?? '' }) : t('webcasts.markAttended', { name: r.firstName ?? '' })}
                  </BusyButton>
                ),
              },
            ]}
          />
        )}
      </QueryView>
      {query.data && query.data.length > 0 && w.status !== 'draft' && w.status !== 'cancelled' && (
        <AttendanceImport webcastId={w.id} invitations={query.data.map((r) => ({
          id: r.id!, label: [[r.firstName, r.lastName].filter(Boolean).join(' '), r.email].filter(Boolean).join(' – ') || r.id!,
        }))} />
      )}
    </section>
  );
}
