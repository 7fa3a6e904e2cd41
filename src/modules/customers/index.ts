// The customers module's public door (P1 customer records): customers, contacts, activities, custom fields,
// duplicates and merge, balanced assignment, import and export.
import { registerAuditedTable, registerColumnsAddedLater } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/db.ts';
import { declareEvents } from '../../platform/events/events.ts';
import { makeActivitiesService } from './activities.service.ts';
import { makeContactsService } from './contacts.service.ts';
import { makeCustomFieldsService } from './custom-fields.ts';
import { CUSTOMER_EVENTS } from './customers.events.ts';
import { customersRepo } from './customers.repo.ts';
import { type Deps, makeCustomersCore } from './customers.service.ts';
import { makeExportPages } from './export-pages.ts';
import { makeImportRow } from './import-row.ts';
import { makeMergeAssignService } from './merge-assign.service.ts';

registerAuditedTable({ entityType: 'customer', table: 'customers' });
registerColumnsAddedLater('customer', ['id_number', 'notes']);
registerAuditedTable({ entityType: 'contact', table: 'contacts' });
registerAuditedTable({ entityType: 'activity', table: 'activities' });
registerAuditedTable({ entityType: 'custom_field', table: 'custom_field_defs' });
declareEvents(CUSTOMER_EVENTS);

export function makeCustomersService(db: Db, deps: Deps) {
  const core = makeCustomersCore(db, deps);
  const activities = makeActivitiesService(db, core, deps);
  const mergeAssign = makeMergeAssignService(db, core, deps);
  return {
    list: core.list,
    get: core.get,
    create: core.create,
    update: core.update,
    remove: core.remove,
    reveal: core.reveal,
    merge: mergeAssign.merge,
    assign: mergeAssign.assign,
    addActivity: activities.add,
    timeline: activities.timeline,
    contacts: makeContactsService(db, core),
    customFields: makeCustomFieldsService(db),
    /** For imports: upsert one row inside the importer's transaction. */
    importRow: makeImportRow(deps),
    /** For exports: the actor's customers, filtered, page by page. */
    exportPages: makeExportPages(db, core),
    /** After a bulk load (imports): fresh statistics, so lookups by mobile use their index (PGlite has no autovacuum). */
    refreshStatistics: () => customersRepo.analyze(db),
    core,
  };
}

export type CustomersService = ReturnType<typeof makeCustomersService>;
export { activeDefs, type CustomFieldDef } from './custom-fields.ts';
export { customerEventData } from './customers.events.ts';
export {
  MASKABLE_FIELDS,
  type MaskableField,
  maskedFields,
  seesField,
} from './customers.policy.ts';
export type { CustomerRow } from './customers.repo.ts';
export { customersRoutes } from './customers.routes.ts';
export { ListFilterQuery } from './customers.schemas.ts';
export type { ExportFilter } from './export-pages.ts';
export {
  DeferredCreates,
  ImportMatcher,
  type ImportRowInput,
  type ImportRowResult,
  type PreparedImportRow,
  prepareImportRow,
} from './import-row.ts';
export { maskField } from './masking.ts';
export { displayMobile, maskPhone, normalizeMobile, normalizeName } from './normalize.ts';
export { customerQuietHours } from './quiet-hours.ts';
export { customerRecordType } from './record-adapter.ts';
export { customerSearchTokens } from './search.ts';
export { backfillSearchTokens, type SearchBackfillProgress, searchBackfillLog } from './search-backfill.ts';
