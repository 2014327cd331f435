import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A screen: sets the document title and, after navigation, moves focus to the heading so screen readers
 * announce the new page (the skip link targets <main>).
 */
export function Page({ title, intro, children, actions }: { title: string; intro?: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.pageTitle', { page: title });
  }, [t, title]);
  useEffect(() => {
    // Only after a client-side navigation, not on the first load (focus then stays at the top of the page).
    if (window.history.state && window.history.state.idx > 0) heading.current?.focus();
  }, []);
  return (
    <>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {intro && <p className="lead">{intro}</p>}
      {children}
    </>
  );
}
