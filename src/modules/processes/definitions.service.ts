import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { canonicalJson, sha256 } from '../../platform/audit/canonical.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, type FieldError, notFound } from '../../platform/http/errors.ts';
import { ProcessDefinition, type ProcessDefinitionInput } from './definition.schema.ts';
import { type DefinitionRow, definitionsRepo as repo } from './definitions.repo.ts';
import { authorize } from './processes.policy.ts';
import { BUILTIN_TEMPLATES } from './templates/index.ts';

const templateHash = (def: unknown) => sha256(canonicalJson(def));

/** Validates a definition; errors are keyed by their JSON path (e.g. `transitions.2.to`). */
export function validateDefinition(
  input: unknown,
): { ok: true; value: ProcessDefinition } | { ok: false; fields: Record<string, FieldError> } {
  const r = ProcessDefinition.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const fields: Record<string, FieldError> = {};
  for (const issue of r.error.issues) {
    const path = issue.path.join('.') || 'definition';
    fields[path] ??= /^(validation|errors)\./.test(issue.message)
      ? { key: issue.message }
      : { key: 'validation.definition_detail', vars: { detail: issue.message } };
  }
  return { ok: false, fields };
}

/**
 * Process definitions: a draft anyone with process.manage edits, and immutable published versions. Running
 * instances keep the version they started on; new instances take the current one.
 */
export function makeDefinitionsService(db: Db) {
  async function insert(tx: Tx, ctx: Ctx, def: ProcessDefinition, builtin: boolean): Promise<DefinitionRow> {
    const row = await repo.insertDefinition(tx, ctx.orgId, randomUUID(), def, builtin);
    await recordAudit(tx, ctx, {
      action: 'process_definition.create',
      entityType: 'process_definition',
      entityId: row.id,
      after: row,
    });
    return row;
  }

  async function publishIn(tx: Tx, ctx: Ctx, row: DefinitionRow): Promise<DefinitionRow> {
    const v = validateDefinition(row.draft);
    if (!v.ok) throw new AppError('validation', { fields: v.fields });
    const number = (row.current_version ?? 0) + 1;
    const version = await repo.insertVersion(tx, {
      orgId: ctx.orgId,
      id: randomUUID(),
      definitionId: row.id,
      number,
      definition: v.value,
      publishedBy: ctx.actor.userId,
    });
    const after = await repo.setCurrentVersion(tx, ctx.orgId, row.id, number);
    await recordAudit(tx, ctx, {
      action: 'process_definition.publish',
      entityType: 'process_definition',
      entityId: row.id,
      before: row,
      after,
      meta: { number, versionId: version.id },
    });
    return after;
  }

  const svc = {
    /**
     * Installs the built-in templates an org does not have yet, each published as version 1, and upgrades a
     * built-in the org never edited when Kept ships a new template for it (published as its next version;
     * running instances keep theirs). An edited built-in is the admin's and stays as it is.
     */
    async ensureBuiltins(tx: Tx, orgId: string) {
      const have = new Map((await repo.definitions(tx, orgId)).map((d) => [d.key, d]));
      const ctx = systemCtx(orgId, { name: 'builtin templates' });
      for (const tpl of BUILTIN_TEMPLATES) {
        const def = ProcessDefinition.parse(tpl);
        const hash = templateHash(def);
        const row = have.get(tpl.key);
        if (!row) {
          const created = await insert(tx, ctx, def, true);
          await publishIn(tx, ctx, created);
          await repo.setTemplateHash(tx, orgId, created.id, hash);
          continue;
        }
        if (!row.builtin || row.template_hash === hash || row.current_version === null) continue;
        const current = await repo.versionByNumber(tx, orgId, row.id, row.current_version);
        const untouched =
          canonicalJson(row.draft) === canonicalJson(current?.definition) &&
          (row.template_hash
            ? templateHash(current!.definition) === row.template_hash
            : row.current_version === 1);
        if (!untouched) continue;
        const locked = await repo.lockDefinitionById(tx, orgId, row.id);
        if (locked.template_hash === hash) continue;
        const drafted = await repo.saveDraft(tx, orgId, row.id, def);
        await recordAudit(tx, ctx, {
          action: 'process_definition.template_upgrade',
          entityType: 'process_definition',
          entityId: row.id,
          before: locked,
          after: drafted,
        });
        await publishIn(tx, ctx, drafted);
        await repo.setTemplateHash(tx, orgId, row.id, hash);
      }
    },

    async list(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'definition.list');
      if (!page.cursor) await db.transaction((tx) => svc.ensureBuiltins(tx, ctx.orgId));
      return repo.definitionsPage(db, ctx.orgId, page);
    },

    async get(ctx: Ctx, key: string, q: Queryable = db) {
      authorize(ctx, 'definition.view');
      const row = await repo.definitionByKey(q, ctx.orgId, key);
      if (!row) throw notFound();
      return { row, versions: await repo.versions(q, ctx.orgId, row.id) };
    },

    async create(ctx: Ctx, input: ProcessDefinitionInput) {
      authorize(ctx, 'definition.create');
      const v = validateDefinition(input);
      if (!v.ok) throw new AppError('validation', { fields: v.fields });
      return db.transaction(async (tx) => {
        if (await repo.definitionByKey(tx, ctx.orgId, v.value.key))
          throw new AppError('conflict', { fields: { key: { key: 'errors.conflict' } } });
        return insert(tx, ctx, v.value, false);
      });
    },

    /** Saves a new draft (validated). The key and record type of a definition never change. */
    async saveDraft(ctx: Ctx, key: string, input: unknown, ifMatch?: number) {
      authorize(ctx, 'definition.draft');
      const v = validateDefinition(input);
      if (!v.ok) throw new AppError('validation', { fields: v.fields });
      return db.transaction(async (tx) => {
        const row = await repo.definitionByKey(tx, ctx.orgId, key);
        if (!row) throw notFound();
        if (ifMatch !== undefined && ifMatch !== row.version) throw new AppError('stale');
        if (v.value.key !== row.key)
          throw new AppError('validation', { fields: { key: { key: 'validation.immutable' } } });
        if (v.value.recordType !== row.record_type)
          throw new AppError('validation', { fields: { recordType: { key: 'validation.immutable' } } });
        const after = await repo.saveDraft(tx, ctx.orgId, row.id, v.value);
        await recordAudit(tx, ctx, {
          action: 'process_definition.draft',
          entityType: 'process_definition',
          entityId: row.id,
          before: row,
          after,
        });
        return after;
      });
    },

    async publish(ctx: Ctx, key: string, ifMatch?: number) {
      authorize(ctx, 'definition.publish');
      return db.transaction(async (tx) => {
        const row = await repo.lockDefinitionByKey(tx, ctx.orgId, key);
        if (!row) throw notFound();
        if (ifMatch !== undefined && ifMatch !== row.version) throw new AppError('stale');
        return publishIn(tx, ctx, row);
      });
    },
  };
  return svc;
}

export type DefinitionsService = ReturnType<typeof makeDefinitionsService>;
