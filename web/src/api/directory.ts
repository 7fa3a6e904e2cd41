import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { fetchAll } from './paging';
import type { Items, Permission, Role, Team, User } from './types';

/** Users for pickers (owner filter, assignment), every page. Roles without user access get an error, shown as such. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => fetchAll<User>('/users'),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

/** Active members for owner and assignee pickers: any signed-in user may read this directory. */
export interface DirectoryUser {
  id: string;
  name: string;
  roleKey: string;
  roleName: string;
  teamIds: string[];
  skills: string[];
}

export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: () => fetchAll<DirectoryUser>('/users/directory'),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => fetchAll<Team>('/teams'),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => fetchAll<Role>('/roles'),
    select: (d) => d.items,
    enabled,
  });
}

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<Items<Permission>>('/permissions'),
    select: (d) => d.items,
    enabled,
    staleTime: 10 * 60_000,
  });
}
