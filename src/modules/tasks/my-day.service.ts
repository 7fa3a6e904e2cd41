import { roleDisplayName } from '../../platform/auth/permissions.ts';
import { type Ctx, can } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { DEFAULT_LIMIT, type Page } from '../../platform/db/paging.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import { myDayRepo as repo, SECTIONS, type Section, type WorkRow } from './my-day.repo.ts';
import { authorize } from './tasks.policy.ts';
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

const UPCOMING_DAYS = 7;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const present = (r: WorkRow): MyDayItem => ({
  type: r.src,
  id: r.id,
  title: r.title,
  description: r.description,
  assigneeId: r.owner_id ?? '',
  dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
  urgent: r.urgent,
  important: r.important,
  priority: r.priority,
  kind: r.kind,
  channel: r.channel,
  relatedType: r.related_type,
  relatedId: r.related_id,
  customerId: r.customer_id,
  toText: r.to_text,
  version: r.version,
});

const presentPage = (p: Page<WorkRow>) => ({ items: p.items.map(present), nextCursor: p.nextCursor });

/**
 * "My day": everything open that is the actor's — tasks and promises — as overdue (oldest first), due today and
 * upcoming (the next 7 days, then undated), and by the urgent/important quadrants. The day is the org's
 * calendar day (its time zone); before the day's end "overdue" means due before now. Each section comes as its
 * first page with a cursor for the rest (`section` + `cursor` fetch the next page of one section).
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

  /** Whose day: yourself, or (task.read.team) another member's, as for the tasks list. */
  function whose(ctx: Ctx, userId: string | undefined): string {
    if (!userId || userId === ctx.actor.userId) return ctx.actor.userId ?? '';
    authorize(ctx, 'work.team');
    return assertId(userId);
  }

  return {
    async myDay(ctx: Ctx, q: { date?: string; userId?: string; limit?: number }, now = new Date()) {
      const w = await window(ctx, q.date, now);
      const users = [whose(ctx, q.userId)];
      const limit = q.limit ?? DEFAULT_LIMIT;
      const pages = {} as Record<Section, ReturnType<typeof presentPage>>;
      for (const s of SECTIONS)
        pages[s] = presentPage(await repo.section(db, ctx.orgId, users, w, s, { limit }));
      const counts = (await repo.counts(db, ctx.orgId, users, w)).get(users[0])!;
      return {
        date: w.day,
        timeZone: w.zone,
        overdue: pages.overdue.items,
        dueToday: pages.dueToday.items,
        upcoming: pages.upcoming.items,
        quadrants: {
          urgentImportant: pages.urgentImportant.items,
          urgentNotImportant: pages.urgentNotImportant.items,
          notUrgentImportant: pages.notUrgentImportant.items,
          notUrgentNotImportant: pages.notUrgentNotImportant.items,
        },
        promises: { overdue: pages.promisesOverdue.items, dueToday: pages.promisesDueToday.items },
        counts,
        nextCursors: Object.fromEntries(SECTIONS.map((s) => [s, pages[s].nextCursor])) as Record<
          Section,
          string | null
        >,
      };
    },

    /** The next page of one section (the cursor names its section; another section's cursor is a 422). */
    async section(
      ctx: Ctx,
      q: { date?: string; userId?: string; section: Section; limit: number; cursor?: string },
      now = new Date(),
    ) {
      const w = await window(ctx, q.date, now);
      const users = [whose(ctx, q.userId)];
      return presentPage(
        await repo.section(db, ctx.orgId, users, w, q.section, { limit: q.limit, cursor: q.cursor }),
      );
    },

    /** Supervisors (task.read.team): per member of a team, counts and the first page of overdue items. */
    async team(ctx: Ctx, q: { teamId?: string; date?: string; limit?: number }, now = new Date()) {
      authorize(ctx, 'myday.team');
      const teamId = q.teamId ?? ctx.actor.teamIds[0];
      if (!teamId) throw fieldError('teamId', 'validation.required');
      const team = (await deps.identity.listTeams(ctx)).find((t) => t.id === teamId);
      if (!team) throw notFound();
      if (!ctx.actor.teamIds.includes(teamId) && !can(ctx.actor, 'customer.scope.all'))
        throw new AppError('forbidden');
      const members = (await deps.identity.directory(ctx)).filter((u) => u.team_ids.includes(teamId));
      const w = await window(ctx, q.date, now);
      const ids = members.map((m) => m.id);
      const counts = await repo.counts(db, ctx.orgId, ids, w);
      const overdue = await repo.firstPages(db, ctx.orgId, ids, w, 'overdue', q.limit ?? DEFAULT_LIMIT);
      return {
        date: w.day,
        timeZone: w.zone,
        team: { id: team.id, name: team.name },
        members: members.map((m) => {
          const page = presentPage(overdue.get(m.id)!);
          return {
            userId: m.id,
            name: m.name,
            roleName: roleDisplayName(m.role_key, m.role_name, ctx.locale),
            counts: counts.get(m.id)!,
            overdue: page.items,
            overdueNextCursor: page.nextCursor,
          };
        }),
      };
    },
  };
}

export type MyDayService = ReturnType<typeof makeMyDayService>;
