import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { ErrorMessage, QueryView } from '../components/PageState';
import { DataTable } from '../components/charts/DataTable';
import { formatDateTime } from '../format';
import { ConfirmAction } from '../components/Confirm';
import { BusyButton } from '../components/BusyButton';

/** SystemAdmin: the 21 tenants, on and off; a link to the job dashboard. */
export function TenantsPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['system', 'tenants'], queryFn: () => unwrap(api.GET('/api/system/tenants')) });
  const toggle = useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) =>
      unwrap(api.PUT('/api/system/tenants/{id}/state', { params: { path: { id } }, body: { isActive } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['system', 'tenants'] }),
  });
  return (
    <Page title={t('tenants.title')} intro={t('tenants.intro')} actions={<a href="/jobs">{t('tenants.jobs')}</a>}>
      {toggle.error && <ErrorMessage error={toggle.error} />}
      <QueryView query={query}>
        {(rows) => (
          <DataTable
            caption={t('tenants.title')}
            captionHidden
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'name', header: t('tenants.name'), cell: (r) => <a href={`/t/${r.slug}/`}>{r.name}</a> },
              { key: 'code', header: t('tenants.code'), cell: (r) => r.id },
              { key: 'slug', header: t('tenants.slug'), cell: (r) => <code>/t/{r.slug}/</code> },
              { key: 'state', header: t('tenants.state'), cell: (r) => (r.isActive ? t('common.active') : t('common.inactive')) },
              { key: 'changed', header: t('tenants.changed'), cell: (r) => formatDateTime(r.updatedAt, i18n.language) },
              {
                key: 'action',
                header: '',
                cell: (r) => r.isActive ? (
                  <ConfirmAction label={t('tenants.deactivate', { name: r.name })} className="button secondary small"
                    message={t('tenants.confirmDeactivate', { name: r.name })} confirmLabel={t('tenants.confirmDeactivateButton')}
                    pending={toggle.isPending} onConfirm={() => toggle.mutate({ id: r.id, isActive: false })} />
                ) : (
                  <BusyButton type="button" className="button secondary small" busy={toggle.isPending} onClick={() => toggle.mutate({ id: r.id, isActive: true })}>
                    {t('tenants.activate', { name: r.name })}
                  </BusyButton>
                ),
              },
            ]}
          />
        )}
      </QueryView>
    </Page>
  );
}
