import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { ErrorMessage, QueryView } from '../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../components/Field';
import { DataTable } from '../components/charts/DataTable';
import { ConfirmAction } from '../components/Confirm';
import { formatDateTime } from '../format';
import { BusyButton } from '../components/BusyButton';

/** CountyAdmin: the county's accounts — invite a handläggare (CountyEditor), make one a länsadministratör and back, switch accounts off and on. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['tenant-users'], queryFn: () => unwrap(api.GET('/api/tenant/users')) });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [invited, setInvited] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/tenant/users', { body: { email, displayName: name || null, role: 'CountyEditor', tenantId: null } })),
    onSuccess: (r) => {
      setErrors({});
      setEmail('');
      setName('');
      setInvited(r.emailed ? t('users.invitedEmailed', { email: r.user.email }) : t('users.invitedLink', { link: r.activationLink ?? '' }));
      void client.invalidateQueries({ queryKey: ['tenant-users'] });
    },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const toggle = useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) => unwrap(api.PUT('/api/tenant/users/{id}/active', { params: { path: { id } }, body: { isActive } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant-users'] }),
  });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: 'CountyAdmin' | 'CountyEditor' }) =>
      unwrap(api.PUT('/api/tenant/users/{id}/role', { params: { path: { id } }, body: { role } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant-users'] }),
  });
  const submit = (e: FormEvent) => { e.preventDefault(); setInvited(null); invite.mutate(); };
  const labels = { email: t('users.email'), displayName: t('users.name') };
  return (
    <Page title={t('users.title')} intro={t('users.intro')}>
      {(toggle.error || setRole.error) && <ErrorMessage error={toggle.error ?? setRole.error} />}
      <QueryView query={users}>
        {(rows) => (
          <DataTable caption={t('users.title')} captionHidden rows={rows} rowKey={(u) => u.id}
            columns={[
              { key: 'name', header: t('users.name'), cell: (u) => u.displayName ?? u.email ?? u.id },
              { key: 'email', header: t('users.email'), cell: (u) => u.email ?? '' },
              { key: 'role', header: t('users.role'), cell: (u) => t(`users.roles.${u.role}`, { defaultValue: u.role }) },
              { key: 'mfa', header: t('users.mfa'), cell: (u) => (u.mfaEnabled ? t('common.yes') : t('common.no')) },
              { key: 'last', header: t('users.lastSignIn'), cell: (u) => formatDateTime(u.lastSignInAt, i18n.language) || t('users.never') },
              { key: 'state', header: t('tenants.state'), cell: (u) => (u.isActive ? t('common.active') : t('common.inactive')) },
              {
                key: 'action', header: '', cell: (u) => {
                  const name = u.displayName ?? u.email ?? u.id;
                  const to = u.role === 'CountyEditor' ? 'CountyAdmin' : 'CountyEditor';
                  return (
                    <div className="button-row">
                      <BusyButton type="button" className="button secondary small" busy={toggle.isPending}
                        onClick={() => toggle.mutate({ id: u.id, isActive: !u.isActive })}>
                        {u.isActive ? t('users.deactivate', { name }) : t('users.activate', { name })}
                      </BusyButton>
                      {(u.role === 'CountyEditor' || u.role === 'CountyAdmin') && (
                        // keyed by the role: once it has changed, the confirmation closes and the opposite action is offered
                        <ConfirmAction key={u.role} className="button secondary small" label={t(`users.makeRole.${to}`, { name })}
                          message={t(`users.confirmRole.${to}`, { name })} confirmLabel={t('users.confirmRoleButton')}
                          pending={setRole.isPending} onConfirm={() => setRole.mutate({ id: u.id, role: to })} />
                      )}
                    </div>
                  );
                },
              },
            ]} />
        )}
      </QueryView>
      <section aria-labelledby="invite-user" className="card">
        <h2 id="invite-user">{t('users.inviteTitle')}</h2>
        <p>{t('users.inviteHelp')}</p>
        <form onSubmit={submit} className="form" noValidate>
          <ErrorSummary errors={errors} labels={labels} />
          {invite.error && !(invite.error instanceof ApiError && invite.error.problem.errors) && <ErrorMessage error={invite.error} />}
          <Field id="email" type="email" label={labels.email} value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required autoComplete="off" />
          <Field id="displayName" label={labels.displayName} value={name} onChange={(e) => setName(e.target.value)} error={errors.displayName} autoComplete="off" />
          <BusyButton type="submit" className="button" disabled={email.trim() === ''} busy={invite.isPending}>{t('users.invite')}</BusyButton>
          {invited && <p role="status" className="saved">{invited}</p>}
        </form>
      </section>
    </Page>
  );
}
