// The imports module's public door: customer import (CSV/XLSX upload, column mapping, batched idempotent
// upsert, per-row error report) and customer export (CSV/XLSX, scoped, PII-permissioned, audited).
import type { Db } from '../../platform/db/db.ts';
import { declareEvents } from '../../platform/events/events.ts';
import type { CustomersService } from '../customers/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { makeExportService } from './export.service.ts';
import { makeImportsService } from './imports.service.ts';

declareEvents([
  {
    type: 'import.completed',
    recordType: 'import',
    description: {
      'zh-CN': '客户导入已完成',
      en: 'A customer import finished',
      es: 'Terminó una importación de clientes',
    },
  },
]);

export function makeImportsModule(db: Db, deps: { customers: CustomersService; identity: IdentityService }) {
  return { imports: makeImportsService(db, deps), exports: makeExportService(db, deps) };
}

export type ImportsModule = ReturnType<typeof makeImportsModule>;
export { detectFormat, type FileFormat } from './file-formats.ts';
export { importsRoutes } from './imports.routes.ts';
export { DEFAULT_BATCH_SIZE, type ImportView } from './imports.service.ts';
