// The tasks module's public door.
import { registerAuditedTable } from '../../platform/audit/audit.ts';

registerAuditedTable({ entityType: 'task', table: 'tasks' });

export { presentTask, tasksRoutes } from './tasks.routes.ts';
export { makeTasksService, type NewTask, type TaskRow, type TasksService } from './tasks.service.ts';
