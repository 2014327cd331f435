import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import { inTenant } from './runtime';

/** The county in the address (public facts: id, slug, name), or undefined at the national root. */
export function useTenant() {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: () => unwrap(api.GET('/api/tenant')),
    enabled: inTenant,
    staleTime: 5 * 60_000,
  });
}

export function useActiveTenants() {
  return useQuery({ queryKey: ['tenants', 'active'], queryFn: () => unwrap(api.GET('/api/tenants')), staleTime: 5 * 60_000 });
}
