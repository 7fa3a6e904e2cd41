import { AUDIT_BUFFER, type AuditInput, auditRow } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import type { Db, Row } from '../db/db.ts';
import { type EmitInput, EVENT_BUFFER, eventRow, eventsCommitted } from './events.ts';

/**
 * A change, its audit events and its domain events in one statement — one round trip, atomic without an
 * explicit transaction (BEGIN/COMMIT are two more). `main` is a data-modifying statement with RETURNING; the
 * trail is written only if it returned a row (e.g. an INSERT … WHERE NOT EXISTS that found a duplicate writes
 * nothing at all). Its rows are returned. The audit events must be complete before the write: their state hash
 * is of the row as it will be stored.
 */
export async function writeWithTrail<T = Row>(
  db: Db,
  ctx: Ctx,
  main: { sql: string; params: unknown[] },
  trail: { audit: AuditInput[]; events: EmitInput[] },
): Promise<T[]> {
  const params = [...main.params];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const at = new Date();
  const guard = 'EXISTS (SELECT 1 FROM main)';
  const parts = [`main AS (${main.sql})`];
  if (trail.audit.length) {
    parts.push(
      `audit AS (${AUDIT_BUFFER.insert(
        trail.audit.map((a) => auditRow(ctx, a, at)),
        param,
        guard,
      )})`,
    );
  }
  if (trail.events.length) {
    parts.push(
      `events AS (${EVENT_BUFFER.insert(
        trail.events.map((e) => eventRow(ctx, e, at)),
        param,
        guard,
      )})`,
    );
  }
  const rows = (await db.query<T>(`WITH ${parts.join(', ')} SELECT * FROM main`, params, { prepare: true }))
    .rows;
  if (rows.length && trail.events.length) eventsCommitted();
  return rows;
}
