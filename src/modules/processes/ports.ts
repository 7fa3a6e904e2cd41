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

/** What the engine knows about the record a process runs on: the registry's summary. */
export type { RecordSummary as RecordInfo } from '../../platform/records/registry.ts';

export type LocalizedText = string | Partial<Record<'zh-CN' | 'en' | 'es', string>>;

/** In-app / email notifications (implemented by the notifications module). */
export interface Notifier {
  /** Texts are one string or one per language; each recipient reads theirs. */
  notify(
    tx: Tx,
    ctx: Ctx,
    n: {
      userIds: string[];
      kind: string;
      title: LocalizedText;
      body: LocalizedText;
      /** The record the notification is about: it opens that record. */
      record?: { type: string; id: string };
      link?: string;
      data?: Record<string, unknown>;
    },
  ): Promise<unknown>;
}
