// The tasks module's public door: tasks, cadences (ordered contact steps such as 催付), promises to customers
// and "My day" (everything due, by urgency and importance).
import { registerAuditedTable, registerColumnsAddedLater } from '../../platform/audit/audit.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { declareEvents } from '../../platform/events/events.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { makeCadencesService } from './cadences.service.ts';
import { makeMyDayService } from './my-day.service.ts';
import { makePromisesService } from './promises.service.ts';
import { TASK_EVENTS } from './tasks.events.ts';
import type { TasksService } from './tasks.service.ts';
import { type CalendarLike, calendarWorkingTime, plainWorkingTime } from './working-time.ts';

registerAuditedTable({ entityType: 'task', table: 'tasks' });
registerColumnsAddedLater('task', ['outcome_code']);
registerAuditedTable({ entityType: 'cadence_template', table: 'cadence_templates' });
registerAuditedTable({ entityType: 'cadence_run', table: 'cadence_runs' });
registerAuditedTable({ entityType: 'cadence_run_step', table: 'cadence_run_steps' });
registerAuditedTable({ entityType: 'promise', table: 'promises' });
declareEvents(TASK_EVENTS);

/**
 * Cadences, promises and My day over the tasks service. Working time comes from the business calendar when given,
 * else from a plain Monday–Friday 09:00–18:00 week in the org's time zone. Registers the timer handlers
 * 'cadence.step' and 'promise.due'.
 */
export function makeWorkService(
  db: Db,
  deps: {
    tasks: TasksService;
    identity: IdentityService;
    calendar?: CalendarLike;
    records?: RecordRegistry;
    contactCustomer?: (q: Queryable, orgId: string, contactId: string) => Promise<string | null>;
  },
) {
  const workingTime = deps.calendar
    ? calendarWorkingTime(deps.calendar)
    : plainWorkingTime(async (q, orgId) => (await deps.identity.org(orgId, q)).time_zone);
  return {
    workingTime,
    cadences: makeCadencesService(db, {
      tasks: deps.tasks,
      workingTime,
      identity: deps.identity,
      records: deps.records,
    }),
    promises: makePromisesService(db, {
      tasks: deps.tasks,
      workingTime,
      identity: deps.identity,
      records: deps.records,
      contactCustomer: deps.contactCustomer,
    }),
    myDay: makeMyDayService(db, { workingTime, identity: deps.identity }),
  };
}

export type WorkService = ReturnType<typeof makeWorkService>;

export { UNPAID_ORDER } from './cadence-templates.ts';
export { cadencesRoutes } from './cadences.routes.ts';
export {
  CADENCE_STEP_TIMER,
  CADENCE_TASK_KIND,
  type CadencesService,
  type RecordEvent,
} from './cadences.service.ts';
export { myDayRoutes } from './my-day.routes.ts';
export { PromiseOut, presentPromise, promisesRoutes } from './promises.routes.ts';
export { PROMISE_BROKEN_TASK_KIND, PROMISE_DUE_TIMER, type PromisesService } from './promises.service.ts';
export { BUILTIN_TASK_TYPES, type TaskType, type TaskTypesService } from './task-types.service.ts';
export { inWorkScope, seesAllWork, type WorkScope, workScope } from './tasks.policy.ts';
export { presentTask, TaskOut, tasksRoutes } from './tasks.routes.ts';
export { makeTasksService, type NewTask, type TaskRow, type TasksService } from './tasks.service.ts';
export { calendarWorkingTime, type Offset, plainWorkingTime, type WorkingTime } from './working-time.ts';
