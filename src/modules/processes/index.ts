// The processes module's public door: process definitions as data (versioned), the engine that runs them
// (transitions, approvals, SLA clocks, automations) and its HTTP API.
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { makeDefinitionsService } from './definitions.service.ts';
import { type EngineDeps, makeEngine } from './engine.ts';
import { makeInstancesService } from './processes.service.ts';

export function makeProcessesService(db: Db, deps: EngineDeps) {
  const engine = makeEngine(deps);
  engine.registerTimers();
  const definitions = makeDefinitionsService(db);
  const instances = makeInstancesService(db, engine, definitions, deps.records);
  return {
    engine,
    definitions,
    instances,
    /** Starts (or restarts) a built-in or org process on a record inside the caller's transaction. */
    async restartOnRecord(tx: Tx, ctx: Ctx, definitionKey: string, recordType: string, recordId: string, reason: string) {
      await definitions.ensureBuiltins(tx, ctx.orgId);
      return engine.restart(tx, ctx, { definitionKey, recordType, recordId, reason });
    },
  };
}

export type ProcessesService = ReturnType<typeof makeProcessesService>;
export type { Notifier, RecordAdapter, RecordInfo, WorkingClock } from './ports.ts';
export { ProcessDefinition, type ProcessDefinitionInput } from './definition.schema.ts';
export { processesRoutes } from './processes.routes.ts';
export { validateDefinition } from './definitions.service.ts';
