/**
 * Post-processing of the OpenAPI document @fastify/swagger builds. fastify-type-provider-zod emits every named
 * zod schema twice (`X` for responses, `XInput` for request bodies) whether a route uses it or not; only the
 * components a path reaches (directly or through another component) are kept, so that the document and the web
 * types generated from it (`npm run gen:api`) describe what the API really answers.
 */
type Json = unknown;

const REF = '#/components/schemas/';

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectRefs(x, into);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) into.add(v.slice(REF.length));
      else collectRefs(v, into);
    }
  }
}

export function pruneUnusedSchemas<
  T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } },
>(doc: T): T {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  collectRefs(doc.paths, used);
  const queue = [...used];
  while (queue.length) {
    const name = queue.pop()!;
    const found = new Set<string>();
    collectRefs(schemas[name], found);
    for (const n of found) {
      if (!used.has(n)) {
        used.add(n);
        queue.push(n);
      }
    }
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas: kept } };
}

const IDEMPOTENCY_PARAM = '#/components/parameters/IdempotencyKey';

/** The shared `Idempotency-Key` header parameter, on every authenticated POST (see idempotency.ts). */
export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a create safe to retry: the first answer to a key (per user, kept 24 hours) is answered again, with ' +
    '`Idempotent-Replayed: true`, to a retry with the same key and request; the same key with another request ' +
    'answers 422 on this header. 1–255 visible ASCII characters, e.g. a UUID per form submission.',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

export function withIdempotencyHeader<T extends { paths?: unknown }>(doc: T, publicPosts: string[]): T {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { parameters?: unknown[] }>>;
  for (const [path, ops] of Object.entries(paths)) {
    const op = ops.post;
    if (!op || !path.startsWith('/api/v1/') || publicPosts.includes(path)) continue;
    op.parameters = [...(op.parameters ?? []), { $ref: IDEMPOTENCY_PARAM }];
  }
  return doc;
}
