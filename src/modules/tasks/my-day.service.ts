import { type Ctx, can } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { AppError, fieldError, notFound } from '../../platform/http/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import type { PromiseRow } from './promises.repo.ts';
import type { Quadrant, TaskRow } from './tasks.repo.ts';
import { dayBounds, todayIn, type WorkingTime } from './working-time.ts';

export interface MyDayItem {
  type: 'task' | 'promise';
  id: string;
  title: string;
  description: string;
  assigneeId: string;
  dueAt: string | null;
  urgent: boolean;
  important: boolean;
  priority: string;
  kind: string;
  channel: string | null;
  relatedType: string | null;
  relatedId: string | null;
  customerId: string | null;
  toText: string | null;
  version: number;
}

type Bucket = 'overdue' | 'dueToday' | 'upcoming';
const UPCOMING_DAYS = 7;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const fromTask = (t: TaskRow): MyDayItem => ({
  type: 'task',
  id: t.id,
  title: t.title,
  description: t.description,
  assigneeId: t.assignee_id ?? '',
  dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
  urgent: t.urgent,
  important: t.important,
  priority: t.priority,
  kind: t.kind,
  channel: t.channel,
  relatedType: t.related_type,
  relatedId: t.related_id,
  customerId: t.related_type === 'customer' ? t.related_id : null,
  toText: null,
  version: t.version,
});

/** A promise counts as important; it is urgent once it is due today or late. */
const fromPromise = (p: PromiseRow, urgent: boolean): MyDayItem => ({
  type: 'promise',
  id: p.id,
  title: p.what,
  description: p.note ?? '',
  assigneeId: p.promiser_id,
  dueAt: new Date(p.due_at).toISOString(),
  urgent,
  important: true,
  priority: 'high',
  kind: 'promise',
  channel: null,
  relatedType: p.related_type,
  relatedId: p.related_id,
  customerId: p.customer_id,
  toText: p.to_text,
  version: p.version,
});

const QUADRANT_OF = (i: MyDayItem): Quadrant =>
  i.urgent
    ? i.important
      ? 'urgentImportant'
      : 'urgentNotImportant'
    : i.important
      ? 'notUrgentImportant'
      : 'notUrgentNotImportant';

/**
 * "My day": everything open that is the actor's — tasks and promises — as overdue (oldest first), due today and
 * upcoming (the next 7 days, then undated), and by the urgent/important quadrants. The day is the org's
 * calendar day (its time zone); before the day's end "overdue" means due before now.
 */
export function makeMyDayService(
  db: Db,
  deps: { workingTime: WorkingTime; identity: Pick<IdentityService, 'directory' | 'listTeams'> },
) {
  async function window(ctx: Ctx, date: string | undefined, now: Date) {
    const zone = await deps.workingTime.timeZone(db, ctx.orgId);
    const day = date ?? todayIn(zone, now);
    if (!DATE_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw fieldError('date', 'validation.date');
    const { start, end } = dayBounds(day, zone);
    const ref = new Date(Math.min(Math.max(now.getTime(), start.getTime()), end.getTime()));
    return { zone, day, start, end, ref, horizon: new Date(end.getTime() + UPCOMING_DAYS * 86_400_000) };
  }

  async function load(ctx: Ctx, userIds: string[], horizon: Date) {
    const tasks = (
      await db.query<TaskRow>(
        `SELECT * FROM tasks WHERE org_id = $1 AND assignee_id = ANY($2::uuid[]) AND status = 'open'
           AND (due_at IS NULL OR due_at < $3) ORDER BY due_at NULLS LAST, created_at LIMIT 2000`,
        [ctx.orgId, userIds, horizon],
      )
    ).rows;
    const promises = (
      await db.query<PromiseRow>(
        `SELECT * FROM promises WHERE org_id = $1 AND promiser_id = ANY($2::uuid[]) AND status = 'open' AND due_at < $3 ORDER BY due_at LIMIT 1000`,
        [ctx.orgId, userIds, horizon],
      )
    ).rows;
    return { tasks, promises };
  }

  function group(tasks: TaskRow[], promises: PromiseRow[], w: { ref: Date; end: Date }) {
    const bucketOf = (due: Date | null): Bucket =>
      !due ? 'upcoming' : due < w.ref ? 'overdue' : due < w.end ? 'dueToday' : 'upcoming';
    const out: Record<Bucket, MyDayItem[]> = { overdue: [], dueToday: [], upcoming: [] };
    const prom: { overdue: MyDayItem[]; dueToday: MyDayItem[] } = { overdue: [], dueToday: [] };
    for (const t of tasks) out[bucketOf(t.due_at ? new Date(t.due_at) : null)].push(fromTask(t));
    for (const p of promises) {
      const b = bucketOf(new Date(p.due_at));
      const item = fromPromise(p, b !== 'upcoming');
      out[b].push(item);
      if (b !== 'upcoming') prom[b].push(item);
    }
    const byDue = (a: MyDayItem, b: MyDayItem) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999');
    for (const k of Object.keys(out) as Bucket[]) out[k].sort(byDue);
    const all = [...out.overdue, ...out.dueToday, ...out.upcoming];
    const quadrants: Record<Quadrant, MyDayItem[]> = {
      urgentImportant: [],
      urgentNotImportant: [],
      notUrgentImportant: [],
      notUrgentNotImportant: [],
    };
    for (const i of all) quadrants[QUADRANT_OF(i)].push(i);
    const counts = {
      overdue: out.overdue.length,
      dueToday: out.dueToday.length,
      upcoming: out.upcoming.length,
      promises: prom.overdue.length + prom.dueToday.length,
    };
    return { ...out, quadrants, promises: prom, counts };
  }

  return {
    async myDay(ctx: Ctx, q: { date?: string }, now = new Date()) {
      const w = await window(ctx, q.date, now);
      const { tasks, promises } = await load(ctx, [ctx.actor.userId ?? ''], w.horizon);
      return { date: w.day, timeZone: w.zone, ...group(tasks, promises, w) };
    },

    /** Supervisors (task.read.team): per member of a team, counts and overdue items. */
    async team(ctx: Ctx, q: { teamId?: string; date?: string }, now = new Date()) {
      if (!can(ctx.actor, 'task.read.team')) throw new AppError('forbidden');
      const teamId = q.teamId ?? ctx.actor.teamIds[0];
      if (!teamId) throw fieldError('teamId', 'validation.required');
      const team = (await deps.identity.listTeams(ctx)).find((t) => t.id === teamId);
      if (!team) throw notFound();
      if (!ctx.actor.teamIds.includes(teamId) && !can(ctx.actor, 'customer.scope.all'))
        throw new AppError('forbidden');
      const members = (await deps.identity.directory(ctx)).filter((u) => u.team_ids.includes(teamId));
      const w = await window(ctx, q.date, now);
      const { tasks, promises } = await load(
        ctx,
        members.map((m) => m.id),
        w.horizon,
      );
      return {
        date: w.day,
        timeZone: w.zone,
        team: { id: team.id, name: team.name },
        members: members.map((m) => {
          const g = group(
            tasks.filter((t) => t.assignee_id === m.id),
            promises.filter((p) => p.promiser_id === m.id),
            w,
          );
          return { userId: m.id, name: m.name, roleName: m.role_name, counts: g.counts, overdue: g.overdue };
        }),
      };
    },
  };
}

export type MyDayService = ReturnType<typeof makeMyDayService>;
