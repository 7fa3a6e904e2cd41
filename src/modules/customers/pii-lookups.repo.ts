import type { Queryable } from '../../platform/db/db.ts';

/** Counters of lookups by a full mobile or email that the user sees masked, per user and 10-minute window. */
export const piiLookupsRepo = {
  /**
   * Counts one lookup in the user's current window (windows start on the 10-minute marks) and returns the
   * window's count including it; the user's windows older than an hour are dropped in the same statement.
   */
  async countLookup(q: Queryable, orgId: string, userId: string): Promise<number> {
    const r = await q.query<{ lookups: number }>(
      `WITH gone AS (
         DELETE FROM pii_lookup_counts WHERE org_id = $1 AND user_id = $2 AND window_start < now() - interval '1 hour'
       )
       INSERT INTO pii_lookup_counts (org_id, user_id, window_start, lookups)
       VALUES ($1, $2, date_bin('10 minutes', now(), TIMESTAMPTZ '2000-01-01 00:00:00+00'), 1)
       ON CONFLICT (org_id, user_id, window_start) DO UPDATE SET lookups = pii_lookup_counts.lookups + 1
       RETURNING lookups`,
      [orgId, userId],
    );
    return Number(r.rows[0].lookups);
  },
};
