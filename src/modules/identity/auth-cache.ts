import type { Tx } from '../../platform/db/db.ts';

/**
 * Who a session or API token belongs to, remembered for a moment: an API client sending many requests with one
 * token costs one lookup per AUTH_CACHE_MS, not one per request. Any change to users, roles, teams, sessions or
 * tokens made in this process forgets everything at once (before and after its commit); another Kept process
 * sharing the database sees it within AUTH_CACHE_MS.
 */
export const AUTH_CACHE_MS = 2_000;
const MAX_ENTRIES = 10_000;

let generation = 0;
const entries = new Map<string, { at: number; generation: number; value: unknown }>();

/** Call inside every transaction that changes who may do what (users, roles, teams, sessions, tokens). */
export function identityChanged(tx?: Tx): void {
  generation++;
  entries.clear();
  tx?.afterCommit(() => {
    generation++;
    entries.clear();
  });
}

export async function cachedAuth<T extends { expiresAt: Date | null }>(
  key: string,
  load: () => Promise<T | null>,
): Promise<T | null> {
  const hit = entries.get(key);
  const now = Date.now();
  const live = (v: T) => !v.expiresAt || new Date(v.expiresAt).getTime() > now;
  if (hit && hit.generation === generation && now - hit.at < AUTH_CACHE_MS && live(hit.value as T))
    return hit.value as T;
  const startedAt = generation;
  const value = await load();
  // Only a successful lookup is kept, and only if nothing changed while it ran.
  if (value !== null && startedAt === generation) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { at: Date.now(), generation, value });
  }
  return value;
}
