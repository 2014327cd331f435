import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { DataTable } from './DataTable';

export interface Bar {
  key: string;
  label: string;
  value: number;
  highlight?: boolean;
}

/** Scale for bars: the largest value (or the given max) fills the width; never divides by zero. */
export function barWidths(bars: Bar[], max?: number): number[] {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 0);
  return bars.map((b) => (top > 0 ? Math.max(0, Math.min(1, b.value / top)) : 0));
}

/** Horizontal bars (per county, per municipality, a funnel) with the same figures as a table. */
export function BarChart({ title, bars, max, valueHeader }: { title: string; bars: Bar[]; max?: number; valueHeader?: string }) {
  const { t, i18n } = useTranslation();
  const widths = barWidths(bars, max);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="bars" aria-hidden="true">
        {bars.map((b, i) => (
          <div key={b.key} className={b.highlight ? 'bar-row highlight' : 'bar-row'}>
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${widths[i] * 100}%` }} />
            </span>
            <span className="bar-value">{formatNumber(b.value, i18n.language)}</span>
          </div>
        ))}
      </div>
      <details className="chart-table">
        <summary>{t('common.showTable')}</summary>
        <DataTable
          caption={title}
          captionHidden
          rows={bars}
          rowKey={(b) => b.key}
          columns={[
            { key: 'label', header: t('charts.category'), cell: (b) => b.label },
            { key: 'value', header: valueHeader ?? t('charts.value'), cell: (b) => formatNumber(b.value, i18n.language), numeric: true },
          ]}
        />
      </details>
    </figure>
  );
}
