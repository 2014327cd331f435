import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setAntiforgeryToken, unwrap } from './api/client';

/** Roles of DESIGN.md. */
export type Role = 'SystemAdmin' | 'NationalViewer' | 'CountyAdmin' | 'CountyEditor' | 'MunicipalUser';

/**
 * The BFF session: who is signed in (from the HttpOnly cookie, which script never sees) and the antiforgery
 * token that every unsafe request sends in X-XSRF-TOKEN.
 */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      const s = await unwrap(api.GET('/api/auth/session'));
      setAntiforgeryToken(s.antiforgeryToken);
      return s;
    },
    staleTime: 60_000,
  });
}

export function useRefreshSession() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['session'] });
}

/** Where a person lands after signing in: the return address when it is ours, else their role's start page. */
export function landingFor(user: { role: string; tenantSlug?: string | null } | null | undefined, returnTo: string | null): string {
  if (returnTo && /^\/(?!\/)/.test(returnTo) && !returnTo.startsWith('/api/')) return returnTo;
  if (!user) return '/';
  switch (user.role) {
    case 'SystemAdmin':
      return '/system/lan';
    case 'NationalViewer':
      return '/nationellt';
    default:
      return user.tenantSlug ? `/t/${user.tenantSlug}/` : '/';
  }
}

/** Groups a TOTP shared key for reading aloud and typing ("ABCD EFGH …"). */
export function groupKey(key: string): string {
  return key.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}
