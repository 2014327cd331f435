import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type Labelled = { id: string; label: string; hint?: string; error?: string };

/** The label, hint and error around a control; gives the control its aria-describedby. */
function FieldFrame({ id, label, hint, error, required, children }: Labelled & {
  required?: boolean; children: (describedBy: string | undefined) => ReactNode;
}) {
  const { t } = useTranslation();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && <span className="muted"> ({t('common.required')})</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {children(describedBy)}
    </div>
  );
}

/** A labelled input with its hint and error wired up (aria-describedby, aria-invalid). */
export function Field({ id, label, hint, error, required, ...input }: InputHTMLAttributes<HTMLInputElement> & Labelled) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy) => (
        <input id={id} name={id} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      )}
    </FieldFrame>
  );
}

/** A labelled textarea for one value per line (addresses, codes), wired up like Field. */
export function TextAreaField({ id, label, hint, error, required, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & Labelled) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy) => (
        <textarea id={id} name={id} rows={3} className="code" spellCheck={false} aria-invalid={error ? true : undefined}
          aria-describedby={describedBy} {...rest} />
      )}
    </FieldFrame>
  );
}

/** The list of problems at the top of a form, each a link to its field. */
export function ErrorSummary({ errors, labels }: { errors: Record<string, string>; labels: Record<string, string> }) {
  const { t } = useTranslation();
  const keys = Object.keys(errors);
  if (keys.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <p className="state-title">{t('common.fixErrors')}</p>
      <ul>
        {keys.map((k) => (
          <li key={k}>
            <a href={`#${k}`}>
              {labels[k] ?? k}: {errors[k]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** API validation errors ("ReminderOffsetsMinutes" or "reminderOffsetsMinutes") → field id → first message. */
export function fieldErrors(errors: Record<string, string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors ?? {})) {
    const key = k.length > 0 ? k[0].toLowerCase() + k.slice(1) : k;
    if (v.length > 0) out[key] = v[0];
  }
  return out;
}

/** "10080, 1440 ,60" → [10080, 1440, 60]; null when any part is not a whole number. */
export function parseIntList(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).filter((p) => p.length > 0);
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return nums.some((n) => Number.isNaN(n)) ? null : nums;
}
