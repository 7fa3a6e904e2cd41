import type { ProcessDefinition } from './api';

// How the editor shows and reads a definition's JSON: readable key order, parse errors as values.

/** Keys a reader looks for first; the rest follow alphabetically (the server stores JSON in its own key order). */
const FIRST = [
  'key',
  'type',
  'name',
  'title',
  'label',
  'description',
  'recordType',
  'perRecord',
  'triggers',
  'on',
  'when',
  'initial',
  'from',
  'to',
  'zh-CN',
  'en',
  'es',
];
const LAST = ['fields', 'states', 'transitions', 'slas', 'automations'];
function rank(k: string): number {
  const f = FIRST.indexOf(k);
  if (f >= 0) return f;
  const l = LAST.indexOf(k);
  return l >= 0 ? 100 + l : 50;
}
export const pretty = (v: unknown) =>
  JSON.stringify(
    v,
    (_k, val) =>
      val && typeof val === 'object' && !Array.isArray(val)
        ? Object.fromEntries(
            Object.entries(val as Record<string, unknown>).sort(
              ([a], [b]) => rank(a) - rank(b) || a.localeCompare(b),
            ),
          )
        : val,
    2,
  );
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };
export function parse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Looks like a definition enough to draw (the diagram tolerates the rest). */
export function asDefinition(v: unknown): ProcessDefinition | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as ProcessDefinition) : undefined;
}
