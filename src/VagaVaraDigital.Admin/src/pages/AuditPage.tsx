import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/PageState';
import { DataTable } from '../components/charts/DataTable';
import { formatDateTime } from '../format';
import { BusyButton } from '../components/BusyButton';

/**
 * The audit log, newest first: the county's ("/t/{län}/granskningslogg", CountyAdmin) or — with scope "platform" — the
 * platform's own, for actions that belong to no county ("/system/granskningslogg", SystemAdmin: API clients).
 */
export function AuditPage({ scope = 'tenant' }: { scope?: 'tenant' | 'platform' }) {
  const { t, i18n } = useTranslation();
  const platform = scope === 'platform';
  const query = useInfiniteQuery({
    queryKey: ['audit', scope],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => unwrap(platform
      ? api.GET('/api/system/audit', { params: { query: { before: pageParam, limit: 50 } } })
      : api.GET('/api/audit', { params: { query: { before: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => (last.nextBefore == null ? undefined : Number(last.nextBefore)),
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title={platform ? t('audit.platformTitle') : t('audit.title')} intro={platform ? t('audit.platformIntro') : t('audit.intro')}>
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <p>{t('common.empty')}</p>
      ) : (
        <>
          <DataTable
            caption={platform ? t('audit.platformTitle') : t('audit.title')}
            captionHidden
            rows={rows}
            rowKey={(r) => String(r.id)}
            columns={[
              { key: 'when', header: t('audit.when'), cell: (r) => formatDateTime(r.occurredAt, i18n.language) },
              { key: 'actor', header: t('audit.actor'), cell: (r) => r.actorName ?? r.actorId ?? '–' },
              { key: 'action', header: t('audit.action'), cell: (r) => <code>{r.action}</code> },
              { key: 'target', header: t('audit.target'), cell: (r) => r.target ?? '' },
              { key: 'details', header: t('audit.details'), cell: (r) => <code className="details">{r.details}</code> },
            ]}
          />
          {query.hasNextPage && (
            <BusyButton type="button" className="button secondary" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
              {query.isFetchingNextPage ? t('common.loading') : t('audit.more')}
            </BusyButton>
          )}
        </>
      )}
    </Page>
  );
}
