/**
 * Redirect and post-logout redirect addresses of an interactive API client, checked the way the API checks them
 * (Features/Identity/ApiClientsApi.cs): https, or http to the loopback interface for a public native app
 * (RFC 8252 §7.3); no #fragment, no user name or password in the address.
 */
export type UriProblem =
  | { code: 'notAbsolute'; uri: string }
  | { code: 'http'; uri: string }
  | { code: 'loopbackConfidential'; uri: string }
  | { code: 'scheme'; uri: string; scheme: string }
  | { code: 'fragment'; uri: string }
  | { code: 'userInfo'; uri: string };

/** "a\n b \n\na" → ["a", "b"]: one address per line, trimmed, without blanks and repeats. */
export function splitUris(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0))];
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function uriProblem(uri: string, publicClient: boolean): UriProblem | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return { code: 'notAbsolute', uri };
  if (scheme !== 'http' && scheme !== 'https') return { code: 'scheme', uri, scheme };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { code: 'notAbsolute', uri };
  }
  if (!/^https?:\/\//i.test(uri) || url.hostname.length === 0) return { code: 'notAbsolute', uri };
  if (scheme === 'http') {
    if (!isLoopback(url.hostname)) return { code: 'http', uri };
    if (!publicClient) return { code: 'loopbackConfidential', uri };
  }
  if (uri.includes('#')) return { code: 'fragment', uri };
  if (url.username || url.password) return { code: 'userInfo', uri };
  return null;
}

export function uriProblems(uris: string[], publicClient: boolean): UriProblem[] {
  return uris.map((u) => uriProblem(u, publicClient)).filter((p): p is UriProblem => p !== null);
}
