import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { QueryView } from '../components/PageState';
import { DataTable } from '../components/charts/DataTable';
import { SwedenMap } from '../map/SwedenMap';
import { useActiveTenants } from '../tenant';

/** NationalViewer: the whole country. Aggregates only. */
export function NationalPage() {
  const { t } = useTranslation();
  const counties = useQuery({ queryKey: ['reference', 'counties'], queryFn: () => unwrap(api.GET('/api/reference/counties')), staleTime: Infinity });
  const tenants = useActiveTenants();
  return (
    <Page title={t('national.title')} intro={t('national.intro')}>
      <p className="notice">{t('national.reachPending')}</p>
      <QueryView query={counties}>
        {(list) => {
          const active = new Set((tenants.data ?? []).map((x) => x.id));
          return (
            <section aria-labelledby="map-title" className="map-and-list">
              <div>
                <h2 id="map-title">{t('national.mapTitle')}</h2>
                <SwedenMap
                  label={t('national.mapTitle')}
                  counties={list.map((c) => ({
                    code: c.code,
                    label: `${c.name}: ${active.has(c.code) ? t('national.activeLegend') : t('national.inactiveLegend')}`,
                    shade: active.has(c.code) ? 'active' : 'inactive',
                  }))}
                  legend={[
                    { shade: 'active', text: t('national.activeLegend') },
                    { shade: 'inactive', text: t('national.inactiveLegend') },
                  ]}
                />
              </div>
              <DataTable
                caption={t('national.mapTitle')}
                rows={list}
                rowKey={(c) => c.code}
                columns={[
                  { key: 'name', header: t('tenants.name'), cell: (c) => c.name },
                  { key: 'code', header: t('tenants.code'), cell: (c) => c.code },
                  { key: 'state', header: t('tenants.state'), cell: (c) => (active.has(c.code) ? t('common.active') : t('common.inactive')) },
                ]}
              />
            </section>
          );
        }}
      </QueryView>
    </Page>
  );
}
