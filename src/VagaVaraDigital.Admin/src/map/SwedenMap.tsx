import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { drawCounties, type DrawnCounty, type FeatureCollection } from './geo';
import { Loading } from '../components/PageState';

export interface MapCounty {
  code: string;
  /** Text shown on hover/focus and read by screen readers, e.g. "Uppsala län: 42 av 83 (51 %)". */
  label: string;
  /** Shading class 0..4 (see shareClass), or 'active'/'inactive', or null for no figures. */
  shade: number | 'active' | 'inactive' | null;
  /** A client route to open (a county page), or an absolute URL to another base. */
  href?: string;
  external?: boolean;
  highlight?: boolean;
}

let cache: Promise<{ counties: DrawnCounty[]; width: number; height: number }> | null = null;
/** The boundaries are a separate chunk (about 80 kB raw), loaded once, only by screens with a map. */
function loadShapes() {
  cache ??= import('./counties.geojson?raw').then((m) => drawCounties(JSON.parse(m.default) as FeatureCollection));
  return cache;
}

/** The 21 counties; each is focusable (a link when it leads somewhere) and tells its figures on hover and focus. */
export function SwedenMap({ label, counties, legend }: { label: string; counties: MapCounty[]; legend?: { shade: MapCounty['shade']; text: string }[] }) {
  const { t } = useTranslation();
  const [shapes, setShapes] = useState<Awaited<ReturnType<typeof loadShapes>> | null>(null);
  const [active, setActive] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadShapes().then((s) => live && setShapes(s));
    return () => {
      live = false;
    };
  }, []);
  if (!shapes) return <Loading />;
  const byCode = new Map(counties.map((c) => [c.code, c]));
  const shown = active ? byCode.get(active) : counties.find((c) => c.highlight);
  const cls = (c: MapCounty | undefined) =>
    ['county', c?.shade == null ? 'shade-none' : `shade-${c.shade}`, c?.highlight ? 'highlight' : ''].join(' ').trim();
  return (
    <div className="map">
      <svg viewBox={`-2 -2 ${shapes.width + 4} ${shapes.height + 4}`} role="group" aria-label={label} className="map-svg">
        {shapes.counties.map((s) => {
          const c = byCode.get(s.code);
          const name = c?.label ?? s.name;
          const events = { onMouseEnter: () => setActive(s.code), onMouseLeave: () => setActive(null), onFocus: () => setActive(s.code), onBlur: () => setActive(null) };
          const path = <path d={s.d} className={cls(c)} fillRule="evenodd" />;
          if (c?.href && c.external) return <a key={s.code} href={c.href} aria-label={name} {...events}>{path}</a>;
          if (c?.href) return <Link key={s.code} to={c.href} aria-label={name} {...events}>{path}</Link>;
          return <g key={s.code} role="img" aria-label={name} tabIndex={0} {...events}>{path}</g>;
        })}
      </svg>
      <p className="map-info" aria-hidden="true">{shown?.label ?? '\u00a0'}</p>
      {legend && legend.length > 0 && (
        <div className="map-legend">
          <p className="legend-title">{t('map.legend')}</p>
          <ul>
            {legend.map((l) => (
              <li key={String(l.shade)}>
                <span className={`swatch ${l.shade == null ? 'shade-none' : `shade-${l.shade}`}`} aria-hidden="true" /> {l.text}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
