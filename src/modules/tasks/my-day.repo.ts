import type { Queryable, Row } from '../../platform/db/db.ts';
import {
  keysetSql,
  type Page,
  type PageRequest,
  pageOf,
  type Sort,
  sortOf,
} from '../../platform/db/paging.ts';

/** One open task or promise of My day, in the columns both share. */
export interface WorkRow {
  src: 'task' | 'promise';
  id: string;
  title: string;
  description: string;
  owner_id: string;
  due_at: Date | null;
  urgent: boolean;
  important: boolean;
  priority: string;
  kind: string;
  channel: string | null;
  related_type: string | null;
  related_id: string | null;
  customer_id: string | null;
  to_text: string | null;
  version: number;
}

export const SECTIONS = [
  'overdue',
  'dueToday',
  'upcoming',
  'urgentImportant',
  'urgentNotImportant',
  'notUrgentImportant',
  'notUrgentNotImportant',
  'promisesOverdue',
  'promisesDueToday',
] as const;
export type Section = (typeof SECTIONS)[number];

/** The day's bounds: before `ref` is overdue, before `end` is today, before `horizon` is upcoming. */
export interface DayWindow {
  ref: Date;
  end: Date;
  horizon: Date;
}

/** Every section: by due time (undated last), a task before a promise due at the same instant, then id. */
const SORTS = Object.fromEntries(
  SECTIONS.map((s) => [
    s,
    sortOf(
      `myday:${s}`,
      [
        { sql: 'w.due_at', type: 'timestamptz', nulls: 'last' },
        { sql: 'w.src', type: 'text' },
      ],
      'w.id',
    ),
  ]),
) as Record<Section, Sort>;

export const sectionSort = (s: Section) => SORTS[s];

type Bound = 'org' | 'users' | 'ref' | 'end' | 'horizon';
type Ph = (b: Bound) => string;

/** Parameters of one statement, numbered on first use (PostgreSQL refuses a parameter the SQL never uses). */
function bind(orgId: string, userIds: string[], w: DayWindow) {
  const params: unknown[] = [];
  const seen = new Map<Bound, string>();
  const values: Record<Bound, [unknown, string]> = {
    org: [orgId, 'uuid'],
    users: [userIds, 'uuid[]'],
    ref: [w.ref, 'timestamptz'],
    end: [w.end, 'timestamptz'],
    horizon: [w.horizon, 'timestamptz'],
  };
  const ph: Ph = (b) => {
    let ref = seen.get(b);
    if (!ref) {
      params.push(values[b][0]);
      ref = `$${params.length}::${values[b][1]}`;
      seen.set(b, ref);
    }
    return ref;
  };
  return { params, ph };
}

/**
 * The open work of some users within the window, tasks and promises in one shape: a promise is important,
 * and urgent once it is due today or late.
 */
const work = (ph: Ph) => `
  SELECT 'task'::text AS src, t.id, t.title, t.description, t.assignee_id AS owner_id, t.due_at, t.urgent, t.important,
         t.priority, t.kind, t.channel, t.related_type, t.related_id,
         CASE WHEN t.related_type = 'customer' THEN t.related_id END AS customer_id, NULL::text AS to_text, t.version
  FROM tasks t
  WHERE t.org_id = ${ph('org')} AND t.assignee_id = ANY(${ph('users')}) AND t.status = 'open'
    AND (t.due_at IS NULL OR t.due_at < ${ph('horizon')})
  UNION ALL
  SELECT 'promise'::text, p.id, p.what, COALESCE(p.note, ''), p.promiser_id, p.due_at, p.due_at < ${ph('end')}, true,
         'high', 'promise', NULL::text, p.related_type, p.related_id, p.customer_id, p.to_text, p.version
  FROM promises p
  WHERE p.org_id = ${ph('org')} AND p.promiser_id = ANY(${ph('users')}) AND p.status = 'open' AND p.due_at < ${ph('horizon')}`;

const SECTION_WHERE: Record<Section, (ph: Ph) => string> = {
  overdue: (ph) => `w.due_at < ${ph('ref')}`,
  dueToday: (ph) => `w.due_at >= ${ph('ref')} AND w.due_at < ${ph('end')}`,
  upcoming: (ph) => `(w.due_at IS NULL OR w.due_at >= ${ph('end')})`,
  urgentImportant: () => 'w.urgent AND w.important',
  urgentNotImportant: () => 'w.urgent AND NOT w.important',
  notUrgentImportant: () => 'NOT w.urgent AND w.important',
  notUrgentNotImportant: () => 'NOT w.urgent AND NOT w.important',
  promisesOverdue: (ph) => `w.src = 'promise' AND w.due_at < ${ph('ref')}`,
  promisesDueToday: (ph) => `w.src = 'promise' AND w.due_at >= ${ph('ref')} AND w.due_at < ${ph('end')}`,
};

export interface Counts {
  overdue: number;
  dueToday: number;
  upcoming: number;
  promises: number;
}

export const myDayRepo = {
  /** One page of one section. */
  async section(
    q: Queryable,
    orgId: string,
    userIds: string[],
    w: DayWindow,
    section: Section,
    page: PageRequest,
  ): Promise<Page<WorkRow>> {
    const sort = SORTS[section];
    const { params, ph } = bind(orgId, userIds, w);
    const from = `FROM (${work(ph)}) w WHERE ${SECTION_WHERE[section](ph)}`;
    const k = keysetSql(sort, page, params);
    const rows = await q.query<WorkRow & Row>(
      `SELECT w.*, ${k.columns} ${from} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    );
    return pageOf<WorkRow>(sort, rows.rows, page.limit);
  },

  /** The first page of one section for each user (one query), keyed by user id. */
  async firstPages(
    q: Queryable,
    orgId: string,
    userIds: string[],
    w: DayWindow,
    section: Section,
    limit: number,
  ) {
    const sort = SORTS[section];
    const { params, ph } = bind(orgId, userIds, w);
    const from = `FROM (${work(ph)}) w WHERE ${SECTION_WHERE[section](ph)}`;
    const k = keysetSql(sort, { limit }, params);
    const rows = (
      await q.query<WorkRow & Row>(
        `SELECT * FROM (
           SELECT w.*, ${k.columns}, row_number() OVER (PARTITION BY w.owner_id ORDER BY ${k.orderBy}) AS _rn ${from}
         ) x WHERE x._rn <= ${k.limit} ORDER BY x.owner_id, x._rn`,
        params,
      )
    ).rows;
    const byUser = new Map<string, Array<WorkRow & Row>>();
    for (const { _rn, ...r } of rows) {
      const list = byUser.get(r.owner_id as string) ?? [];
      list.push(r as WorkRow & Row);
      byUser.set(r.owner_id as string, list);
    }
    return new Map(userIds.map((u) => [u, pageOf<WorkRow>(sort, byUser.get(u) ?? [], limit)]));
  },

  /** Per user: how many items each bucket holds (the user's open work in the window, not a table scan). */
  async counts(q: Queryable, orgId: string, userIds: string[], w: DayWindow): Promise<Map<string, Counts>> {
    const { params, ph } = bind(orgId, userIds, w);
    const rows = (
      await q.query<{
        owner_id: string;
        overdue: number;
        due_today: number;
        upcoming: number;
        promises: number;
      }>(
        `SELECT w.owner_id,
           count(*) FILTER (WHERE ${SECTION_WHERE.overdue(ph)})::int AS overdue,
           count(*) FILTER (WHERE ${SECTION_WHERE.dueToday(ph)})::int AS due_today,
           count(*) FILTER (WHERE ${SECTION_WHERE.upcoming(ph)})::int AS upcoming,
           count(*) FILTER (WHERE w.src = 'promise' AND w.due_at < ${ph('end')})::int AS promises
         FROM (${work(ph)}) w GROUP BY w.owner_id`,
        params,
      )
    ).rows;
    const zero = { overdue: 0, dueToday: 0, upcoming: 0, promises: 0 };
    const out = new Map<string, Counts>(userIds.map((u) => [u, { ...zero }]));
    for (const r of rows)
      out.set(r.owner_id, {
        overdue: r.overdue,
        dueToday: r.due_today,
        upcoming: r.upcoming,
        promises: r.promises,
      });
    return out;
  },
};
