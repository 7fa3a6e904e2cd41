import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import type { Interval, WeekHours } from './calendar.types.ts';

export interface SettingsRow {
  org_id: string;
  id: string;
  time_zone: string;
  working_hours: WeekHours;
  scoped_hours: Record<string, WeekHours>;
  quiet_hours: Interval[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface OverrideRow {
  org_id: string;
  id: string;
  date: string;
  kind: 'holiday' | 'workday' | 'hours';
  hours: Interval[] | null;
  name: string;
  scope: string | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** SQL of the calendar tables; no rules. */
const OVERRIDES_SORT = sortOf(
  'calendarOverrides',
  [
    { sql: 'o.date', type: 'date' },
    { sql: 'o.scope', type: 'text', nulls: 'first' },
  ],
  'o.id',
);

export const calendarRepo = {
  async settings(q: Queryable, orgId: string, opts: { forUpdate?: boolean } = {}) {
    return (
      await q.query<SettingsRow>(
        `SELECT * FROM calendar_settings WHERE org_id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId],
      )
    ).rows[0];
  },

  async insertSettings(
    q: Queryable,
    row: Pick<SettingsRow, 'org_id' | 'id' | 'time_zone' | 'working_hours' | 'scoped_hours' | 'quiet_hours'>,
  ) {
    return (
      await q.query<SettingsRow>(
        `INSERT INTO calendar_settings (org_id, id, time_zone, working_hours, scoped_hours, quiet_hours)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
        [
          row.org_id,
          row.id,
          row.time_zone,
          json(row.working_hours),
          json(row.scoped_hours),
          json(row.quiet_hours),
        ],
      )
    ).rows[0];
  },

  async updateSettings(
    q: Queryable,
    orgId: string,
    v: Pick<SettingsRow, 'time_zone' | 'working_hours' | 'scoped_hours' | 'quiet_hours'>,
  ) {
    return (
      await q.query<SettingsRow>(
        `UPDATE calendar_settings SET time_zone = $2, working_hours = $3, scoped_hours = $4, quiet_hours = $5,
           version = version + 1, updated_at = now() WHERE org_id = $1 RETURNING *`,
        [orgId, v.time_zone, json(v.working_hours), json(v.scoped_hours), json(v.quiet_hours)],
      )
    ).rows[0];
  },

  /** One page of overrides by date (the org-wide one before scoped ones on a day). */
  async overridesPage(
    q: Queryable,
    orgId: string,
    f: { from?: string; to?: string; scope?: string },
    page: PageRequest,
  ) {
    const params: unknown[] = [orgId];
    let where = 'o.org_id = $1';
    if (f.from) where += ` AND o.date >= $${params.push(f.from)}`;
    if (f.to) where += ` AND o.date <= $${params.push(f.to)}`;
    if (f.scope) where += ` AND (o.scope IS NULL OR o.scope = $${params.push(f.scope)})`;
    return fetchPage<OverrideRow>(
      q,
      OVERRIDES_SORT,
      page,
      params,
      (k) =>
        `SELECT o.*, ${k.columns} FROM calendar_overrides o WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },

  async overrides(q: Queryable, orgId: string, f: { from?: string; to?: string; scope?: string } = {}) {
    const params: unknown[] = [orgId];
    let where = 'org_id = $1';
    if (f.from) where += ` AND date >= $${params.push(f.from)}`;
    if (f.to) where += ` AND date <= $${params.push(f.to)}`;
    if (f.scope) where += ` AND (scope IS NULL OR scope = $${params.push(f.scope)})`;
    return (
      await q.query<OverrideRow>(
        `SELECT * FROM calendar_overrides WHERE ${where} ORDER BY date, scope NULLS FIRST`,
        params,
      )
    ).rows;
  },

  /** One override, locked until the caller's transaction ends. */
  async override(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<OverrideRow>(
        'SELECT * FROM calendar_overrides WHERE org_id = $1 AND id = $2 FOR UPDATE',
        [orgId, id],
      )
    ).rows[0];
  },

  async overrideOn(q: Queryable, orgId: string, date: string, scope: string | null) {
    return (
      await q.query<OverrideRow>(
        "SELECT * FROM calendar_overrides WHERE org_id = $1 AND date = $2 AND coalesce(scope, '') = coalesce($3::text, '')",
        [orgId, date, scope],
      )
    ).rows[0];
  },

  async insertOverride(
    q: Queryable,
    row: Pick<OverrideRow, 'org_id' | 'id' | 'date' | 'kind' | 'hours' | 'name' | 'scope' | 'created_by'>,
  ) {
    return (
      await q.query<OverrideRow>(
        `INSERT INTO calendar_overrides (org_id, id, date, kind, hours, name, scope, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
        [row.org_id, row.id, row.date, row.kind, json(row.hours), row.name, row.scope, row.created_by],
      )
    ).rows[0];
  },

  async deleteOverride(q: Queryable, orgId: string, id: string) {
    await q.query('DELETE FROM calendar_overrides WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
};
