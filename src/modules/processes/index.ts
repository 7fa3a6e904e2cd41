// The processes module's public door: process definitions as data (versioned), the engine that runs them
// (transitions, approvals, SLA clocks, automations) and its HTTP API.
import type { Db } from '../../platform/db/db.ts';
import { registerConsumer } from '../../platform/events/dispatcher.ts';
import { declareEvents } from '../../platform/events/events.ts';
import { makeDefinitionsService } from './definitions.service.ts';
import { type EngineDeps, makeEngine } from './engine.ts';
import { processesConsumer } from './processes.consumer.ts';
import { PROCESS_EVENTS } from './processes.events.ts';
import { makeInstancesService } from './processes.service.ts';

declareEvents(PROCESS_EVENTS);

export function makeProcessesService(db: Db, deps: EngineDeps) {
  const engine = makeEngine(deps);
  engine.registerTimers();
  const definitions = makeDefinitionsService(db);
  const instances = makeInstancesService(db, engine, definitions, deps.records, deps.identity);
  // Definitions react to domain events: triggers start processes, clocks and automations hear their record's events.
  registerConsumer(processesConsumer(engine, definitions, deps.records));
  return { engine, definitions, instances };
}

export type ProcessesService = ReturnType<typeof makeProcessesService>;
export { calendarClock } from './calendar-clock.ts';
export { ProcessDefinition, type ProcessDefinitionInput } from './definition.schema.ts';
export { validateDefinition } from './definitions.service.ts';
export type { Notifier, RecordInfo, WorkingClock } from './ports.ts';
export { processesRoutes } from './processes.routes.ts';
