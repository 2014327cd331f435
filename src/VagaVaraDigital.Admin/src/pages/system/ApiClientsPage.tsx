import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Page } from '../../components/Page';
import { ErrorMessage, QueryView } from '../../components/PageState';
import { ErrorSummary, Field, fieldErrors } from '../../components/Field';
import { ConfirmAction } from '../../components/Confirm';
import { DataTable } from '../../components/charts/DataTable';

type Created = components['schemas']['CreatedApiClient'];

/**
 * SystemAdmin: machine clients of the OpenID Connect server (client credentials, scope reach.read — e.g.
 * Lantmäteriet's statistics system). The secret is shown once, right after registration; revoking removes the client.
 */
export function ApiClientsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['system', 'api-clients'], queryFn: () => unwrap(api.GET('/api/system/api-clients')) });
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const createdHeading = useRef<HTMLHeadingElement>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/system/api-clients', { body: { displayName: name, kind: 'machine', scopes: ['reach.read'], redirectUris: [] } })),
    onSuccess: (r) => {
      setErrors({});
      setName('');
      setCreated(r);
      void client.invalidateQueries({ queryKey: ['system', 'api-clients'] });
    },
    onError: (e) => { if (e instanceof ApiError && e.problem.errors) setErrors(fieldErrors(e.problem.errors)); },
  });
  const revoke = useMutation({
    mutationFn: (clientId: string) => unwrap(api.DELETE('/api/system/api-clients/{clientId}', { params: { path: { clientId } } })),
    onSuccess: (_, clientId) => {
      if (created?.client.clientId === clientId) setCreated(null);
      void client.invalidateQueries({ queryKey: ['system', 'api-clients'] });
    },
  });
  useEffect(() => { if (created) createdHeading.current?.focus(); }, [created]);
  const submit = (e: FormEvent) => { e.preventDefault(); setCreated(null); create.mutate(); };
  const labels = { displayName: t('apiClients.name') };
  const tokenUrl = `${window.location.origin}/connect/token`;
  return (
    <Page title={t('apiClients.title')} intro={t('apiClients.intro')}>
      {created && (
        <section aria-labelledby="created-client" className="notice">
          <h2 id="created-client" ref={createdHeading} tabIndex={-1}>{t('apiClients.createdTitle', { name: created.client.displayName })}</h2>
          <p><strong>{t('apiClients.secretOnce')}</strong></p>
          <dl className="plain">
            <dt>{t('apiClients.clientId')}</dt><dd><code className="break">{created.client.clientId}</code></dd>
            <dt>{t('apiClients.secret')}</dt><dd><code className="secret">{created.clientSecret}</code></dd>
            <dt>{t('apiClients.tokenUrl')}</dt><dd><code className="break">{tokenUrl}</code></dd>
            <dt>{t('apiClients.scopes')}</dt><dd><code>reach.read</code></dd>
          </dl>
          <button type="button" className="button secondary small" onClick={() => setCreated(null)}>{t('apiClients.secretSaved')}</button>
        </section>
      )}
      {revoke.error && <ErrorMessage error={revoke.error} />}
      <QueryView query={query}>
        {(rows) => rows.length === 0 ? <p>{t('apiClients.none')}</p> : (
          <DataTable caption={t('apiClients.listCaption')} captionHidden rows={rows} rowKey={(c) => c.clientId}
            columns={[
              { key: 'name', header: t('apiClients.name'), cell: (c) => c.displayName ?? c.clientId },
              { key: 'id', header: t('apiClients.clientId'), cell: (c) => <code className="break">{c.clientId}</code> },
              { key: 'kind', header: t('apiClients.kind'), cell: (c) => t(`apiClients.kinds.${c.kind}`, { defaultValue: c.kind }) },
              { key: 'scopes', header: t('apiClients.scopes'), cell: (c) => c.scopes.join(', ') },
              {
                key: 'action', header: t('apiClients.actions'), cell: (c) => (
                  <ConfirmAction label={t('apiClients.revoke', { name: c.displayName ?? c.clientId })}
                    message={t('apiClients.confirmRevoke', { name: c.displayName ?? c.clientId })} confirmLabel={t('apiClients.confirmRevokeButton')}
                    pending={revoke.isPending} onConfirm={() => revoke.mutate(c.clientId)} />
                ),
              },
            ]} />
        )}
      </QueryView>
      <section aria-labelledby="new-client" className="card">
        <h2 id="new-client">{t('apiClients.newTitle')}</h2>
        <p>{t('apiClients.newHelp')}</p>
        <form onSubmit={submit} className="form" noValidate>
          <ErrorSummary errors={errors} labels={labels} />
          {create.error && !(create.error instanceof ApiError && create.error.problem.errors) && <ErrorMessage error={create.error} />}
          <Field id="displayName" label={labels.displayName} hint={t('apiClients.nameHint')} value={name} onChange={(e) => setName(e.target.value)}
            error={errors.displayName} required maxLength={200} autoComplete="off" />
          <button type="submit" className="button" disabled={create.isPending}>{create.isPending ? t('common.saving') : t('apiClients.register')}</button>
        </form>
      </section>
    </Page>
  );
}
