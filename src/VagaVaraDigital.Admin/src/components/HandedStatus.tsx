import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

/**
 * A confirmation for the screen the app moves to after an action ("Sparat." after creating a webcast,
 * "Personuppgifterna är raderade." after erasing from the invitee's page): the screen that acted is unmounted by
 * the move, so a status of its own would be lost. The message travels in the navigation's state as an i18n key:
 * `navigate(to, { state: withStatus('common.saved') })`.
 */
export interface StatusState { status?: string }
export const withStatus = (key: string): StatusState => ({ status: key });

/**
 * The status handed over by the navigation that led here, in a live region that is on the page (empty) before the
 * text arrives, so screen readers announce it. Said once: the history entry then forgets it, so a reload or coming
 * back to the page does not say it again.
 */
export function HandedStatus({ className = 'saved' }: { className?: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [key, setKey] = useState<string | null>(null);
  const handed = (location.state as StatusState | null)?.status;
  useEffect(() => {
    if (!handed) return;
    setKey(handed);
    void navigate({ pathname: location.pathname, search: location.search, hash: location.hash }, { replace: true, state: null });
  }, [handed]); // eslint-disable-line react-hooks/exhaustive-deps
  return <p role="status" className={className}>{key ? t(key) : ''}</p>;
}
