import { useQuery } from '@tanstack/react-query';
import { api, request, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useTenant } from '../../tenant';

export type Invitee = components['schemas']['Invitee'];
export type InviteePage = components['schemas']['InviteePage'];

export interface InviteeQuery {
  q: string;
  municipality: string;
  roleCategory: string;
  status: string;
  sort: 'name' | 'email' | 'created' | 'updated';
  dir: 'asc' | 'desc';
}

export const emptyQuery: InviteeQuery = { q: '', municipality: '', roleCategory: '', status: '', sort: 'name', dir: 'asc' };

/** The list query in the address bar (so a filtered list can be bookmarked and the back button works). */
export function queryFromParams(p: URLSearchParams): InviteeQuery {
  const sort = p.get('sort');
  return {
    q: p.get('q') ?? '',
    municipality: p.get('kommun') ?? '',
    roleCategory: p.get('roll') ?? '',
    status: p.get('status') ?? '',
    sort: sort === 'email' || sort === 'created' || sort === 'updated' ? sort : 'name',
    dir: p.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

export function paramsFromQuery(q: InviteeQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (q.q) out.q = q.q;
  if (q.municipality) out.kommun = q.municipality;
  if (q.roleCategory) out.roll = q.roleCategory;
  if (q.status) out.status = q.status;
  if (q.sort !== 'name') out.sort = q.sort;
  if (q.dir !== 'asc') out.dir = q.dir;
  return out;
}

/** The API's query for the list and the export. */
export function apiQuery(q: InviteeQuery) {
  return { q: q.q, municipality: q.municipality, roleCategory: q.roleCategory, status: q.status, sort: q.sort, dir: q.dir };
}

export function useInviteePage(q: InviteeQuery, cursor: string | null) {
  return useQuery({
    queryKey: ['invitees', q, cursor],
    queryFn: () => request<InviteePage>('GET', '/api/invitees', { query: { ...apiQuery(q), cursor, limit: 50 } }),
    placeholderData: (previous) => previous,
  });
}

export function useRoleCategories() {
  return useQuery({ queryKey: ['role-categories'], queryFn: () => unwrap(api.GET('/api/invitees/role-categories')), staleTime: Infinity });
}

/** The tenant's municipalities (from the reference data, by the county code = tenant id). */
export function useMunicipalities() {
  const tenant = useTenant();
  const counties = useQuery({ queryKey: ['reference', 'counties'], queryFn: () => unwrap(api.GET('/api/reference/counties')), staleTime: Infinity });
  const county = counties.data?.find((c) => c.code === tenant.data?.id);
  return { data: county?.municipalities ?? [], isPending: counties.isPending || tenant.isPending };
}

/** Who nominated: the name the API gives county staff, else `someone` ("a municipal user"); empty when no one did. */
export function nominatorName(i: Pick<Invitee, 'nominatedBy' | 'nominatedByName'>, someone: string): string {
  if (i.nominatedByName) return i.nominatedByName;
  return i.nominatedBy ? someone : '';
}

export function fullName(i: Pick<Invitee, 'firstName' | 'lastName'>): string {
  return [i.firstName, i.lastName].filter(Boolean).join(' ');
}
