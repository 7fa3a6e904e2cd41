/**
 * The OpenAPI document is the contract the web app's types are generated from (`npm run gen:api`), so it must say
 * what every /api/v1 route answers: no route without a documented success answer, and no empty object schema
 * (a `passthrough()` or `z.object({})` response) anywhere in a response.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeTestApp, type TestApp } from './harness.ts';

type Schema = Record<string, unknown>;
interface Doc {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const REF = '#/components/schemas/';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

let t: TestApp;
let doc: Doc;

before(async () => {
  t = await makeTestApp();
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(r.statusCode, 200);
  doc = r.json();
});
after(() => t.close());

/** Where in `schema` an object says nothing about its members (no properties, no typed map values). */
function emptyObjects(
  schema: unknown,
  components: Record<string, Schema>,
  at: string,
  seen = new Set<string>(),
): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.slice(REF.length);
    if (seen.has(name)) return [];
    seen.add(name);
    assert.ok(components[name], `${at}: ${s.$ref} is not in components.schemas`);
    return emptyObjects(components[name], components, `${at} → ${name}`, seen);
  }
  const found: string[] = [];
  const props = s.properties as Record<string, unknown> | undefined;
  const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
  const hasProps = !!props && Object.keys(props).length > 0;
  const values = s.additionalProperties;
  const typedValues = !!values && typeof values === 'object' && Object.keys(values).length > 0;
  // A declared map (z.record: propertyNames) of JSON values is a choice; an object without members is an omission.
  if (isObject && !hasProps && !typedValues && !s.propertyNames) found.push(at);
  if (Object.keys(s).length === 0) found.push(`${at} (any value)`);
  for (const [k, v] of Object.entries(props ?? {}))
    found.push(...emptyObjects(v, components, `${at}.${k}`, seen));
  if (s.items) found.push(...emptyObjects(s.items, components, `${at}[]`, seen));
  if (typedValues) found.push(...emptyObjects(values, components, `${at}{}`, seen));
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    for (const [i, v] of list.entries()) found.push(...emptyObjects(v, components, `${at}|${k}${i}`, seen));
  }
  return found;
}

function* operations() {
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of METHODS) if (item[method]) yield { path, method, op: item[method] };
  }
}

describe('OpenAPI document', () => {
  it('every /api/v1 operation documents a success answer: a 204, or a schema per media type', () => {
    const missing: string[] = [];
    let count = 0;
    for (const { path, method, op } of operations()) {
      count++;
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
      if (!ok.length) missing.push(`${method.toUpperCase()} ${path}: no 2xx response`);
      for (const [status, res] of ok) {
        if (status === '204') continue;
        const content = Object.entries(res.content ?? {});
        if (!content.length) missing.push(`${method.toUpperCase()} ${path} ${status}: no content`);
        for (const [type, media] of content)
          if (!media.schema) missing.push(`${method.toUpperCase()} ${path} ${status} ${type}: no schema`);
      }
    }
    assert.ok(count > 50, `the document lists the API (${count} operations)`);
    assert.deepEqual(missing, []);
  });

  it('no response of an /api/v1 route has an empty object schema (passthrough or z.object({}))', () => {
    const empty: string[] = [];
    for (const { path, method, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(res.content ?? {})) {
          empty.push(
            ...emptyObjects(
              media.schema,
              doc.components.schemas,
              `${method.toUpperCase()} ${path} ${status} ${type}`,
            ),
          );
        }
      }
    }
    assert.deepEqual(empty, []);
  });

  it('the check itself finds a passthrough object, an empty object and an untyped value, nested or not', () => {
    const components = { Loose: { type: 'object', properties: {}, additionalProperties: {} } };
    assert.deepEqual(emptyObjects({ $ref: `${REF}Loose` }, components, 'r'), ['r → Loose']);
    assert.deepEqual(
      emptyObjects(
        { type: 'object', properties: { a: { type: 'object', additionalProperties: false } } },
        {},
        'r',
      ),
      ['r.a'],
    );
    assert.deepEqual(
      emptyObjects({ type: 'object', properties: { items: { type: 'array', items: {} } } }, {}, 'r'),
      ['r.items[] (any value)'],
    );
    assert.deepEqual(
      emptyObjects({ type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} }, {}, 'r'),
      [],
      'a declared map is fine',
    );
  });

  it('named schemas are components: the process instance view, process definitions and the error envelope', () => {
    const s = doc.components.schemas;
    const props = (name: string) => Object.keys((s[name]?.properties as object | undefined) ?? {});
    for (const p of [
      'states',
      'available',
      'clocks',
      'approvals',
      'history',
      'definitionKey',
      'versionNumber',
    ]) {
      assert.ok(props('ProcessInstance').includes(p), `ProcessInstance.${p}`);
    }
    assert.ok(props('ProcessDefinition').includes('transitions'));
    assert.ok(props('ProcessDetail').includes('versions'));
    assert.deepEqual(props('ErrorEnvelope'), ['error']);
    const detail = (s.ErrorEnvelope.properties as Record<string, Schema>).error;
    assert.deepEqual(Object.keys(detail.properties as object).sort(), [
      'code',
      'detail',
      'fields',
      'message',
      'requestId',
    ]);
    const customerError = (s.CustomerError.properties as Record<string, Schema>).error;
    assert.ok(
      Object.keys(customerError.properties as object).includes('candidates'),
      'a 409 on customers names the candidates',
    );
    assert.equal(
      doc.paths['/api/v1/customers'].post.responses?.['409'].content?.['application/json'].schema?.$ref,
      `${REF}CustomerError`,
    );
  });

  it('keeps only the components some path uses', () => {
    const used = JSON.stringify(doc);
    for (const name of Object.keys(doc.components.schemas)) {
      assert.ok(used.includes(`"${REF}${name}"`), `${name} is referenced`);
    }
  });
});
