import type { Ctx } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import type { Duration } from './definition.schema.ts';

/** Working-time arithmetic in an org's business calendar (implemented by the calendar module). */
export interface WorkingClock {
  add(q: Queryable, orgId: string, from: Date, d: Duration): Promise<Date>;
  addWorkingMs(q: Queryable, orgId: string, from: Date, ms: number): Promise<Date>;
  workingMsBetween(q: Queryable, orgId: string, a: Date, b: Date): Promise<number>;
  /** First allowed contact instant for a customer (quiet hours), optionally on a later working day in another slot. */
  nextContactSlot(
    q: Queryable,
    orgId: string,
    customerId: string | null,
    after: Date,
    opts?: { differentSlotFrom?: Date; laterWorkingDay?: boolean },
  ): Promise<Date>;
}

/** What the engine needs to know about the record a process runs on. */
export interface RecordInfo {
  id: string;
  name: string;
  ownerId: string | null;
  teamId: string | null;
  /** Facts guards and conditions may read (e.g. { memberLevel, amount }). */
  facts: Record<string, unknown>;
}

export interface RecordAdapter {
  /** The record if the actor may see it, else null (→ 404). */
  visible(q: Queryable, ctx: Ctx, id: string): Promise<RecordInfo | null>;
  /** The record regardless of the actor (timers act as the system). */
  load(q: Queryable, orgId: string, id: string): Promise<RecordInfo | null>;
  /** Gives the record a new owner (escalation), audited by the owning module. */
  reassign?(tx: Tx, ctx: Ctx, id: string, userId: string): Promise<void>;
}

export type LocalizedText = string | Partial<Record<'zh-CN' | 'en' | 'es', string>>;

/** In-app / email notifications (implemented by the notifications module). */
export interface Notifier {
  /** Texts are one string or one per language; each recipient reads theirs. */
  notify(tx: Tx, ctx: Ctx, n: { userIds: string[]; kind: string; title: LocalizedText; body: LocalizedText; link?: string; data?: Record<string, unknown> }): Promise<unknown>;
}
