import { useTranslation } from 'react-i18next';
import { formatDate, formatNumber } from '../../format';
import { DataTable } from './DataTable';

export interface Point {
  date: string; // ISO date
  value: number;
}

const W = 640;
const H = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** Points scaled into the drawing box; y = 0 at the bottom. Exposed for tests. */
export function scalePoints(points: Point[], target: number | undefined): { x: number; y: number }[] {
  if (points.length === 0) return [];
  const times = points.map((p) => new Date(p.date).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const top = Math.max(target ?? 0, ...points.map((p) => p.value), 1);
  const w = W - PAD.left - PAD.right;
  const h = H - PAD.top - PAD.bottom;
  return points.map((p, i) => ({
    x: PAD.left + (t1 > t0 ? ((times[i] - t0) / (t1 - t0)) * w : w / 2),
    y: PAD.top + h - (p.value / top) * h,
  }));
}

/** A time series (e.g. cumulative reached) against an optional target line, with the data as a table. */
export function LineChart({ title, points, target, targetLabel, valueHeader }: {
  title: string; points: Point[]; target?: number; targetLabel?: string; valueHeader?: string;
}) {
  const { t, i18n } = useTranslation();
  const xy = scalePoints(points, target);
  const top = Math.max(target ?? 0, ...points.map((p) => p.value), 1);
  const h = H - PAD.top - PAD.bottom;
  const targetY = target ? PAD.top + h - (target / top) * h : undefined;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg className="line-chart" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} className="axis-label" textAnchor="end">{formatNumber(top, i18n.language)}</text>
        <text x={PAD.left - 6} y={H - PAD.bottom} className="axis-label" textAnchor="end">0</text>
        {targetY !== undefined && (
          <>
            <line x1={PAD.left} y1={targetY} x2={W - PAD.right} y2={targetY} className="target-line" />
            {targetLabel && <text x={W - PAD.right} y={targetY - 4} className="axis-label" textAnchor="end">{targetLabel}</text>}
          </>
        )}
        {xy.length > 0 && <polyline points={xy.map((p) => `${p.x},${p.y}`).join(' ')} className="series" />}
        {xy.map((p, i) => <circle key={points[i].date} cx={p.x} cy={p.y} r={3} className="series-point" />)}
        {points.length > 0 && (
          <>
            <text x={PAD.left} y={H - 8} className="axis-label">{formatDate(points[0].date, i18n.language)}</text>
            <text x={W - PAD.right} y={H - 8} className="axis-label" textAnchor="end">{formatDate(points[points.length - 1].date, i18n.language)}</text>
          </>
        )}
      </svg>
      <details className="chart-table">
        <summary>{t('common.showTable')}</summary>
        <DataTable
          caption={title}
          captionHidden
          rows={points}
          rowKey={(p) => p.date}
          columns={[
            { key: 'date', header: t('charts.category'), cell: (p) => formatDate(p.date, i18n.language) },
            { key: 'value', header: valueHeader ?? t('charts.value'), cell: (p) => formatNumber(p.value, i18n.language), numeric: true },
          ]}
        />
      </details>
    </figure>
  );
}
