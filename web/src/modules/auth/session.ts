import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { client, isApiError, setCsrfToken, unwrap } from '../../api/client';
import type { Session } from '../../api/types';
import { changeLocale, currentLocale, isLocale } from '../../i18n';

export const SESSION_KEY = ['session'] as const;

/** After sign-in the app speaks the user's saved language (set at their first login, changed in My account). */
function applySavedLocale(s: Session): Session {
  const saved = s.user.locale;
  if (isLocale(saved) && saved !== currentLocale()) void changeLocale(saved);
  return s;
}

/** Saves the signed-in user's language (the language menu and My account call this). */
export async function saveMyLocale(locale: string): Promise<Session> {
  const data = await unwrap(
    client.PATCH('/api/v1/auth/me', { body: { locale: isLocale(locale) ? locale : null } }),
  );
  setCsrfToken(data.csrfToken);
  return data;
}

/** Saves the signed-in user's display name. */
export async function saveMyName(name: string): Promise<Session> {
  const data = await unwrap(client.PATCH('/api/v1/auth/me', { body: { name } }));
  setCsrfToken(data.csrfToken);
  return data;
}

/** The signed-in session, or null when nobody is signed in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const data = await unwrap(client.GET('/api/v1/auth/me'), { quiet401: true });
    setCsrfToken(data.csrfToken);
    return applySavedLocale(data);
  } catch (e) {
    if (isApiError(e, 401)) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export async function login(email: string, password: string): Promise<Session> {
  const data = await unwrap(client.POST('/api/v1/auth/login', { body: { email, password } }), {
    quiet401: true,
  });
  setCsrfToken(data.csrfToken);
  return applySavedLocale(data);
}

export async function logout(): Promise<void> {
  try {
    await unwrap(client.POST('/api/v1/auth/logout'), { quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

/** The current session; only call below <RequireAuth>, where it is guaranteed. */
export function useSession(): Session {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useSession outside an authenticated route');
  return data;
}

export function hasPermission(permissions: readonly string[] | undefined, perm: string): boolean {
  if (!permissions) return false;
  return permissions.includes('*') || permissions.includes(perm);
}

/** `can('customer.assign')` — true for admins (`*`) and for roles that hold the permission. */
export function useCan(): (perm: string) => boolean {
  const { data } = useSessionQuery();
  const perms = data?.user.permissions;
  return useCallback((perm: string) => hasPermission(perms, perm), [perms]);
}

export function useSetSession() {
  const qc = useQueryClient();
  return useCallback((s: Session | null) => qc.setQueryData(SESSION_KEY, s), [qc]);
}
