import { useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';

/** Users for pickers (owner filter, assignment). Roles without user access get an error, shown as such. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => unwrap(client.GET('/api/v1/users')),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

/** Active members for owner and assignee pickers: any signed-in user may read this directory. */
export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: () => unwrap(client.GET('/api/v1/users/directory')),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => unwrap(client.GET('/api/v1/teams')),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => unwrap(client.GET('/api/v1/roles')),
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
