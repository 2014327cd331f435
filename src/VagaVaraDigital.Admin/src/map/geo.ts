/** Minimal GeoJSON → SVG for the county map (no d3: a sinusoidal projection around 17° E is enough). */
export type Position = [number, number];
export interface CountyFeature {
  type: 'Feature';
  properties: { county_code: string; county_name: string };
  geometry: { type: 'MultiPolygon'; coordinates: Position[][][] } | { type: 'Polygon'; coordinates: Position[][] };
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

const LON0 = 17;
const RAD = Math.PI / 180;

export function project([lon, lat]: Position): [number, number] {
  return [(lon - LON0) * Math.cos(lat * RAD), -lat];
}

export interface DrawnCounty {
  code: string;
  name: string;
  d: string;
}

/** Projects every ring into a box of the given width (height follows the shape); returns paths and the box. */
export function drawCounties(fc: FeatureCollection, width = 300): { counties: DrawnCounty[]; width: number; height: number } {
  const polys = fc.features.map((f) => (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates]));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const projected = polys.map((mp) =>
    mp.map((poly) =>
      poly.map((ring) =>
        ring.map((pos) => {
          const [x, y] = project(pos);
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
          return [x, y] as [number, number];
        }),
      ),
    ),
  );
  const scale = width / (maxX - minX || 1);
  const height = Math.ceil((maxY - minY) * scale);
  const fmt = (n: number) => (Math.round(n * 10) / 10).toString();
  const counties = fc.features.map((f, i) => ({
    code: f.properties.county_code,
    name: f.properties.county_name,
    d: projected[i]
      .flatMap((poly) => poly.map((ring) => 'M' + ring.map(([x, y]) => `${fmt((x - minX) * scale)},${fmt((y - minY) * scale)}`).join('L') + 'Z'))
      .join(''),
  }));
  return { counties, width, height };
}

/** Five classes of "share of target reached" for shading; null = no figures. */
export function shareClass(share: number | null | undefined): number | null {
  if (share == null || Number.isNaN(share)) return null;
  if (share >= 1) return 4;
  if (share >= 0.75) return 3;
  if (share >= 0.5) return 2;
  if (share >= 0.25) return 1;
  return 0;
}
