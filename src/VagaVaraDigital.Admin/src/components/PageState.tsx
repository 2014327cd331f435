import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('common.loading')}
    </p>
  );
}

/** A failed request: the API's Swedish problem text when it has one, the correlation id for support. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ApiError ? error.problem : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  const text =
    problem?.detail ?? (status === 401 ? t('common.unauthenticated') : status === 403 ? t('common.forbidden') : problem?.title ?? t('common.errorGeneric'));
  const signIn = status === 401 && (!problem?.code || problem.code === 'unauthenticated');
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{problem?.title ?? t('common.errorTitle')}</p>
      <p>{text}</p>
      {signIn && (
        <p>
          <a href={`/konto/logga-in?tillbaka=${encodeURIComponent(window.location.pathname + window.location.search)}`}>{t('signIn.signInToSee')}</a>
        </p>
      )}
      {problem?.correlationId && <p className="muted">{t('common.correlation', { id: problem.correlationId })}</p>}
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Loading → error → content, the same way on every screen. */
export function QueryView<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.error || query.data === undefined) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
