import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BusyButton } from './BusyButton';

/**
 * The confirmation itself (message, confirming button with focus, Cancel; Escape cancels), for a caller that decides
 * when to ask — e.g. after a form's own checks (moving a webcast). {@link ConfirmAction} is the usual way in.
 */
export function ConfirmPanel({ message, confirmLabel, onConfirm, onCancel, pending, className = 'button danger small' }: {
  message: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void; pending?: boolean; className?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => { confirmRef.current?.focus(); }, []);
  return (
    <div className="confirm" role="group" aria-labelledby={`${id}-msg`} onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <p id={`${id}-msg`} className="confirm-message">{message}</p>
      <div className="button-row">
        <BusyButton ref={confirmRef} type="button" className={className} busy={!!pending} onClick={onConfirm}>{confirmLabel}</BusyButton>
        <button type="button" className="button secondary small" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </div>
  );
}

/**
 * A destructive action with an inline confirmation: the first press shows what will happen and moves focus
 * to the confirming button; Cancel (or Escape) puts focus back. No modal, so it works the same with a screen
 * reader, the keyboard and at 320 px.
 */
export function ConfirmAction({ label, message, confirmLabel, onConfirm, pending, className = 'button danger small' }: {
  label: string; message: ReactNode; confirmLabel: string; onConfirm: () => void; pending?: boolean; className?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (open) confirmRef.current?.focus(); }, [open]);
  const close = () => { setOpen(false); setTimeout(() => openerRef.current?.focus(), 0); };
  if (!open) {
    return <BusyButton ref={openerRef} type="button" className={className} onClick={() => setOpen(true)} busy={!!pending}>{label}</BusyButton>;
  }
  return (
    <div className="confirm" role="group" aria-labelledby={`${id}-msg`} onKeyDown={(e) => { if (e.key === 'Escape') close(); }}>
      <p id={`${id}-msg`} className="confirm-message">{message}</p>
      <div className="button-row">
        <BusyButton ref={confirmRef} type="button" className="button danger small" busy={!!pending} onClick={onConfirm}>{confirmLabel}</BusyButton>
        <button type="button" className="button secondary small" onClick={close}>{t('common.cancel')}</button>
      </div>
    </div>
  );
}
