import jsonLogic from 'json-logic-js';
import { systemCtx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import type { Consumer, ConsumerContext } from '../../platform/events/dispatcher.ts';
import type { DomainEvent } from '../../platform/events/events.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { ProcessDefinition, StartTrigger } from './definition.schema.ts';
import { definitionsRepo } from './definitions.repo.ts';
import type { DefinitionsService } from './definitions.service.ts';
import { type Engine, eventFacts } from './engine.ts';
import { processesRepo as repo } from './processes.repo.ts';

/** Events caused by events caused by…: past this depth the engine stops reacting (a definition looping on itself). */
export const MAX_EVENT_DEPTH = 8;

interface OrgProcesses {
  /** Published definitions that start on an event. */
  starters: Array<{ key: string; def: ProcessDefinition; trigger: StartTrigger }>;
  /** Event types any version of any definition reacts to (clocks, automations). */
  listened: Set<string>;
}

async function orgProcesses(
  tx: Tx,
  orgId: string,
  definitions: DefinitionsService,
  c: ConsumerContext,
): Promise<OrgProcesses> {
  const key = `processes:${orgId}`;
  const cached = c.memo.get(key) as OrgProcesses | undefined;
  if (cached) return cached;
  await definitions.ensureBuiltins(tx, orgId);
  const rows = await definitionsRepo.publishedVersions(tx, orgId);
  const out: OrgProcesses = { starters: [], listened: new Set() };
  for (const { definition: def, current } of rows) {
    if (current) for (const trigger of def.triggers ?? []) out.starters.push({ key: def.key, def, trigger });
    for (const t of [
      ...(def.slas ?? []).flatMap((s) => [s.start, s.stop, s.pause]),
      ...(def.automations ?? []).map((a) => a.on),
    ]) {
      if (t?.event) out.listened.add(t.event);
    }
  }
  c.memo.set(key, out);
  return out;
}

const truthy = (v: unknown) => !!v && !(Array.isArray(v) && v.length === 0);

/**
 * The process engine as an event consumer. For each domain event: the active instances on its record (and on
 * its related record) hear it — their clocks and automations listening for that event type react — and every
 * published definition with a trigger on it starts (or restarts) on the record, when its condition holds.
 * All of it is data in the definitions: nothing about a particular process lives in code.
 */
export function processesConsumer(
  engine: Engine,
  definitions: DefinitionsService,
  records: RecordRegistry,
): Consumer {
  return {
    name: 'processes',
    types: ['*'],
    async handle(tx, e: DomainEvent, c) {
      if (e.depth >= MAX_EVENT_DEPTH) return;
      const org = await orgProcesses(tx, e.orgId, definitions, c);
      const starters = org.starters.filter((s) => s.trigger.on === e.type);
      if (!org.listened.has(e.type) && !starters.length) return;
      const ctx = {
        ...systemCtx(e.orgId, { name: `event ${e.type}`, requestId: `event-${e.id}` }),
        eventDepth: e.depth + 1,
      };
      const facts = eventFacts(e);
      const refs = [
        e.recordType && e.recordId ? { type: e.recordType, id: e.recordId } : null,
        e.related,
      ].filter((r): r is { type: string; id: string } => !!r);

      if (org.listened.has(e.type)) {
        for (const ref of refs) {
          for (const inst of await repo.instancesOfRecord(tx, e.orgId, ref.type, ref.id)) {
            if (inst.status !== 'active') continue;
            const locked = await repo.instance(tx, e.orgId, inst.id, true);
            if (locked?.status === 'active') await engine.event(tx, ctx, locked, e.type, e.occurredAt, facts);
          }
        }
      }

      for (const s of starters) {
        const target = refs.find((r) => r.type === s.def.recordType);
        if (!target) continue;
        const record = await records.load(tx, e.orgId, target);
        if (!record) continue;
        if (s.trigger.when) {
          const factsForWhen = {
            event: facts,
            record: {
              name: record.title,
              title: record.title,
              ownerId: record.ownerId,
              teamId: record.teamId,
              ...record.facts,
            },
          };
          if (!truthy(jsonLogic.apply(s.trigger.when, factsForWhen))) continue;
        }
        const input = {
          definitionKey: s.key,
          recordType: target.type,
          recordId: target.id,
          at: e.occurredAt,
          trigger: e.type,
        };
        if (s.trigger.restart) {
          await engine.restart(tx, ctx, { ...input, reason: e.type });
          continue;
        }
        try {
          await engine.start(tx, ctx, input);
        } catch (err) {
          // perRecord 'single' and one is running: it carries on (the check runs before anything is written).
          if (err instanceof AppError && err.code === 'process_running') continue;
          throw err;
        }
      }
    },
  };
}
