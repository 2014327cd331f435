/**
 * Where the app lives. The API serves one build at "/" and under every tenant's "/t/{slug}" prefix
 * (production: "{slug}.{domain}" with no prefix) and writes the request's PathBase into
 * <meta name="vvd-base">. In Vite's dev server the meta tag is empty, so the prefix is read from the URL.
 */
export function detectBase(meta: string | null | undefined, pathname: string): string {
  const fromMeta = (meta ?? '').trim();
  if (fromMeta) return trimSlash(fromMeta);
  const m = /^\/t\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/|$)/.exec(pathname);
  return m ? `/t/${m[1]}` : '';
}

/** The tenant slug in a base ("/t/uppsala" → "uppsala"), or null at the national root. */
export function tenantSlugOf(base: string): string | null {
  const m = /^\/t\/([^/]+)$/.exec(base);
  return m ? m[1] : null;
}

function trimSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

export const base: string =
  typeof document === 'undefined'
    ? ''
    : detectBase(document.querySelector('meta[name="vvd-base"]')?.getAttribute('content'), window.location.pathname);

/** True when the page is served for one county (path prefix or the county's own host). */
export const inTenant: boolean =
  typeof document === 'undefined' ? false : base !== '' || (document.querySelector('meta[name="vvd-tenant"]') !== null);
