import type { Queryable } from '../../platform/db/db.ts';

/** SQL of the imported official holiday tables (one per org and year) and the missing-year warnings; no rules. */
export interface OfficialYearRow {
  org_id: string;
  id: string;
  year: number;
  source: string;
  days: number;
  imported_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface OfficialDayRow {
  date: string;
  year: number;
  kind: 'holiday' | 'adjusted_workday';
  name: string;
}

export const officialDaysRepo = {
  async years(q: Queryable, orgId: string) {
    return (
      await q.query<OfficialYearRow>(
        'SELECT * FROM calendar_official_years WHERE org_id = $1 ORDER BY year',
        [orgId],
      )
    ).rows;
  },

  /** Every imported day of the org (a few dozen a year). */
  async days(q: Queryable, orgId: string) {
    return (
      await q.query<OfficialDayRow>(
        `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, y.year, d.kind, d.name
         FROM calendar_official_days d
         JOIN calendar_official_years y ON y.org_id = d.org_id AND y.id = d.year_id
         WHERE d.org_id = $1 ORDER BY d.date`,
        [orgId],
      )
    ).rows;
  },

  /** The year's row, locked (FOR UPDATE) so concurrent imports of one year take turns. */
  async lockYear(q: Queryable, orgId: string, year: number) {
    return (
      await q.query<OfficialYearRow>(
        'SELECT * FROM calendar_official_years WHERE org_id = $1 AND year = $2 FOR UPDATE',
        [orgId, year],
      )
    ).rows[0];
  },

  async insertYear(
    q: Queryable,
    r: { orgId: string; id: string; year: number; source: string; days: number; importedBy: string | null },
  ) {
    return (
      await q.query<OfficialYearRow>(
        `INSERT INTO calendar_official_years (org_id, id, year, source, days, imported_by)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
        [r.orgId, r.id, r.year, r.source, r.days, r.importedBy],
      )
    ).rows[0];
  },

  async updateYear(
    q: Queryable,
    orgId: string,
    id: string,
    r: { source: string; days: number; importedBy: string | null },
  ) {
    return (
      await q.query<OfficialYearRow>(
        `UPDATE calendar_official_years SET source = $3, days = $4, imported_by = $5, version = version + 1,
           updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, r.source, r.days, r.importedBy],
      )
    ).rows[0];
  },

  async deleteDaysOfYear(q: Queryable, orgId: string, yearId: string) {
    await q.query('DELETE FROM calendar_official_days WHERE org_id = $1 AND year_id = $2', [orgId, yearId]);
  },

  /** The year's days in one statement. */
  async insertDays(
    q: Queryable,
    orgId: string,
    yearId: string,
    days: Array<{ date: string; kind: string; name: string }>,
  ) {
    await q.query(
      `INSERT INTO calendar_official_days (org_id, date, year_id, kind, name)
       SELECT $1, d, $2, k, n FROM unnest($3::date[], $4::text[], $5::text[]) AS t(d, k, n)`,
      [orgId, yearId, days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name)],
    );
  },

  /** Records that the org was warned about a missing year; false when it already was. */
  async claimWarning(q: Queryable, orgId: string, year: number) {
    const r = await q.query(
      'INSERT INTO calendar_holiday_warnings (org_id, year) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [orgId, year],
    );
    return r.rowCount > 0;
  },
};
