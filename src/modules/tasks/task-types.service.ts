import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { decodeCursor, encodeCursor, type PageRequest, type Sort } from '../../platform/db/paging.ts';
import { AppError, fieldError } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import { taskTypesRepo as repo, type TaskTypeRow } from './task-types.repo.ts';
import { authorize } from './tasks.policy.ts';

type Labels = Record<Locale, string>;

export interface TaskOutcome {
  code: string;
  label: Labels;
}

export interface TaskType {
  key: string;
  label: Labels;
  /** The outcome codes a task of this type is completed with; empty: a free-text outcome. */
  outcomes: TaskOutcome[];
  builtin: boolean;
  active: boolean;
  version: number;
}

/** Built-in task types: in code until an admin edits one (then its task_types row is the org's). */
export const BUILTIN_TASK_TYPES: TaskType[] = [
  {
    key: 'general',
    label: { 'zh-CN': '一般任务', en: 'General', es: 'General' },
    outcomes: [],
    builtin: true,
    active: true,
    version: 0,
  },
  {
    key: 'call_back',
    label: { 'zh-CN': '回电', en: 'Call back', es: 'Devolver llamada' },
    outcomes: [
      { code: 'reached', label: { 'zh-CN': '已接通', en: 'Reached', es: 'Contactado' } },
      { code: 'no_answer', label: { 'zh-CN': '无人接听', en: 'No answer', es: 'Sin respuesta' } },
      { code: 'wrong_number', label: { 'zh-CN': '号码错误', en: 'Wrong number', es: 'Número equivocado' } },
      { code: 'call_later', label: { 'zh-CN': '稍后再打', en: 'Call later', es: 'Llamar más tarde' } },
    ],
    builtin: true,
    active: true,
    version: 0,
  },
];

const fromRow = (r: TaskTypeRow): TaskType => ({
  key: r.key,
  label: r.label as Labels,
  outcomes: r.outcomes as TaskOutcome[],
  builtin: BUILTIN_TASK_TYPES.some((b) => b.key === r.key),
  active: r.active,
  version: r.version,
});

export interface TaskTypeInput {
  label: Labels;
  outcomes: TaskOutcome[];
  active?: boolean;
}

/** Task types with coded outcomes: the built-in ones (general, call back) and those an admin adds or edits. */
const TYPE_SORT: Sort = { id: 'task-types:key', keys: [{ sql: 'key', type: 'text' }] };

export function makeTaskTypesService(db: Db) {
  async function all(q: Queryable, orgId: string): Promise<TaskType[]> {
    const stored = (await repo.list(q, orgId)).map(fromRow);
    const builtins = BUILTIN_TASK_TYPES.map((b) => stored.find((s) => s.key === b.key) ?? b);
    return [...builtins, ...stored.filter((s) => !s.builtin)];
  }

  /** A type by key (built-in or stored), undefined when the org has no such type. */
  async function byKey(q: Queryable, orgId: string, key: string): Promise<TaskType | undefined> {
    const row = await repo.byKey(q, orgId, key);
    return row ? fromRow(row) : BUILTIN_TASK_TYPES.find((b) => b.key === key);
  }

  return {
    byKey,

    async list(ctx: Ctx) {
      return all(db, ctx.orgId);
    },

    /**
     * A page of the types in key order. Built-in types live in code and an org's in a table, so the page is cut
     * from their union here, with the same cursors as every other list.
     */
    async page(ctx: Ctx, req: PageRequest) {
      const after = req.cursor ? decodeCursor(TYPE_SORT, req.cursor)[0] : undefined;
      const rows = (await all(db, ctx.orgId))
        .filter((x) => after === undefined || after === null || x.key > after)
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const items = rows.slice(0, req.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > req.limit && last ? encodeCursor(TYPE_SORT, [last.key]) : null,
      };
    },

    /**
     * Adds or edits a type (its labels and outcome codes); codes are unique within the type. `ifMatch` is the
     * version the editor saw (0: a type not stored yet, built-in or new): another version answers 412, so a new
     * type never overwrites one added meanwhile.
     */
    async save(ctx: Ctx, key: string, input: TaskTypeInput, ifMatch?: number) {
      authorize(ctx, 'task.type.manage');
      const codes = input.outcomes.map((o) => o.code);
      const dup = codes.findIndex((c, i) => codes.indexOf(c) !== i);
      if (dup >= 0) throw fieldError(`outcomes.${dup}.code`, 'validation.duplicate_key');
      if (key === 'general' && input.outcomes.length) throw fieldError('outcomes', 'validation.invalid');
      return db.transaction(async (tx) => {
        const before = await repo.byKeyForUpdate(tx, ctx.orgId, key);
        if (ifMatch !== undefined && ifMatch !== (before?.version ?? 0)) throw new AppError('stale');
        if (!before && !BUILTIN_TASK_TYPES.some((b) => b.key === key) && input.active === false)
          throw new AppError('not_found');
        const after = await repo.upsert(tx, ctx.orgId, key, {
          label: input.label,
          outcomes: input.outcomes,
          active: input.active ?? true,
        });
        await recordAudit(tx, ctx, {
          action: before ? 'task_type.update' : 'task_type.create',
          entityType: 'task_type',
          entityId: null,
          meta: { key },
          before,
          after,
        });
        return fromRow(after);
      });
    },
  };
}

export type TaskTypesService = ReturnType<typeof makeTaskTypesService>;
