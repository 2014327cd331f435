import { useTranslation } from 'react-i18next';
import { formatNumber, formatPercent, shareOf } from '../format';

/** Reached vs target: the number in words, the bar as decoration of the same figure. */
export function ProgressBar({ value, target, label }: { value: number; target: number; label: string }) {
  const { t, i18n } = useTranslation();
  const share = shareOf(value, target);
  const text = t('charts.progress', {
    value: formatNumber(value, i18n.language),
    target: formatNumber(target, i18n.language),
    percent: formatPercent(share, i18n.language),
  });
  return (
    <div className="progress">
      <p className="progress-label">
        <span>{label}</span> <strong>{text}</strong>
      </p>
      <div className="progress-track" aria-hidden="true">
        <div className="progress-fill" style={{ width: `${Math.min(1, share) * 100}%` }} />
      </div>
    </div>
  );
}
