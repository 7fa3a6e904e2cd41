import { useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import { fetchAll } from './paging';

/** Users for pickers (owner filter, assignment), every page. Roles without user access get an error, shown as such. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => fetchAll((page) => client.GET('/api/v1/users', { params: { query: page } })),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

/** Active members for owner and assignee pickers: any signed-in user may read this directory. */
export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: () => fetchAll((page) => client.GET('/api/v1/users/directory', { params: { query: page } })),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => fetchAll((page) => client.GET('/api/v1/teams', { params: { query: page } })),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => fetchAll((page) => client.GET('/api/v1/roles', { params: { query: page } })),
    select: (d) => d.items,
    enabled,
  });
}

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => unwrap(client.GET('/api/v1/permissions')),
    select: (d) => d.items,
    enabled,
    staleTime: 10 * 60_000,
  });
}
