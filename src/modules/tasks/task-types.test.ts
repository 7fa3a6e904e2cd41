import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';

/**
 * Task types as the admin page edits them (issue 7, point 12): a new type by key (validated like a code), 422
 * naming the field of a bad key, a duplicate code or a missing label, 412 for a stale edit or a new key that
 * was added meanwhile, 403 for an agent; another org never sees the type.
 */

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let admin: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
  admin = await a.token('admin');
});
after(() => t.close());

const labels = (zh: string) => ({ 'zh-CN': zh, en: `${zh} en`, es: `${zh} es` });
const visit = {
  label: labels('上门'),
  outcomes: [
    { code: 'done', label: labels('已上门') },
    { code: 'rescheduled', label: labels('改期') },
  ],
};

async function put(token: string, key: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1/task-types/${encodeURIComponent(key)}`,
    headers: as(token, { 'accept-language': 'en', ...headers }),
    payload: payload as object,
  });
}
const list = async (token: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/task-types', headers: as(token) })).json()
    .items as Array<{
    key: string;
    version: number;
    outcomes: Array<{ code: string }>;
  }>;

test('an admin adds a type by key; a bad key, a duplicate code and a missing label answer 422 on the field', async () => {
  for (const bad of ['Visit', '1visit', 'visit-home', 'x'.repeat(51)]) {
    const r = await put(admin, bad, visit);
    assert.equal(r.statusCode, 422, bad);
    assert.match(r.json().error.fields.key, /lower-case/);
  }
  const dup = await put(admin, 'visit', { ...visit, outcomes: [...visit.outcomes, visit.outcomes[0]] });
  assert.equal(dup.statusCode, 422);
  assert.deepEqual(Object.keys(dup.json().error.fields), ['outcomes.2.code']);
  const badCode = await put(admin, 'visit', { ...visit, outcomes: [{ code: 'Done!', label: labels('x') }] });
  assert.ok(badCode.json().error.fields['outcomes.0.code']);
  const noEs = await put(admin, 'visit', { ...visit, label: { 'zh-CN': '上门', en: 'Visit', es: ' ' } });
  assert.equal(noEs.statusCode, 422);
  assert.ok(noEs.json().error.fields['label.es']);

  assert.equal((await put(await a.token('agent'), 'visit', visit)).statusCode, 403);
  const created = await put(admin, 'visit', visit, { 'if-match': '"0"' });
  assert.equal(created.statusCode, 200, created.body);
  assert.equal(created.headers.etag, '"1"');
  assert.deepEqual(
    (await list(await a.token('agent'))).find((x) => x.key === 'visit')?.outcomes.map((o) => o.code),
    ['done', 'rescheduled'],
  );
  assert.equal(
    (await list(await b.token('admin'))).find((x) => x.key === 'visit'),
    undefined,
    'per org',
  );

  // A second "new type" with the same key (two admins at once) does not overwrite the first.
  const again = await put(admin, 'visit', { ...visit, outcomes: [] }, { 'if-match': '"0"' });
  assert.equal(again.statusCode, 412);
});

test('an edit with the version read succeeds once; the stale one answers 412', async () => {
  const cb = (await list(admin)).find((x) => x.key === 'call_back')!;
  assert.equal(cb.version, 0, 'a built-in never edited is not stored yet');
  const edit = (codes: string[]) => ({
    label: { 'zh-CN': '回电', en: 'Call back', es: 'Devolver llamada' },
    outcomes: codes.map((c) => ({ code: c, label: labels(c) })),
  });
  const first = await put(admin, 'call_back', edit(['reached', 'voicemail']), { 'if-match': '"0"' });
  assert.equal(first.statusCode, 200, first.body);
  const second = await put(admin, 'call_back', edit(['reached']), { 'if-match': '"0"' });
  assert.equal(second.statusCode, 412);
  assert.deepEqual(
    (await list(admin)).find((x) => x.key === 'call_back')?.outcomes.map((o) => o.code),
    ['reached', 'voicemail'],
  );
  const third = await put(admin, 'call_back', edit(['voicemail', 'reached']), { 'if-match': '"1"' });
  assert.equal(third.statusCode, 200, 'reordered with the current version');
  assert.deepEqual(
    third.json().outcomes.map((o: { code: string }) => o.code),
    ['voicemail', 'reached'],
  );
});

test('the types page like every list: limit and cursor walk each type once in key order; a bad cursor is 422', async () => {
  for (const key of ['visit_a', 'visit_b', 'visit_c'])
    assert.equal((await put(admin, key, visit, { 'if-match': '"0"' })).statusCode, 200);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/task-types?limit=2${q}`,
      headers: as(admin),
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { items: Array<{ key: string }>; nextCursor: string | null };
    assert.ok(body.items.length <= 2);
    seen.push(...body.items.map((x) => x.key));
    cursor = body.nextCursor;
  } while (cursor);
  const all = (
    await t.app.inject({ method: 'GET', url: '/api/v1/task-types?limit=200', headers: as(admin) })
  ).json().items as Array<{ key: string }>;
  assert.deepEqual(
    seen,
    all.map((x) => x.key),
  );
  assert.deepEqual(seen, [...seen].sort());
  for (const key of ['call_back', 'general', 'visit_a', 'visit_b', 'visit_c'])
    assert.ok(seen.includes(key), key);
  const bad = await t.app.inject({
    method: 'GET',
    url: '/api/v1/task-types?cursor=garbage!',
    headers: as(admin),
  });
  assert.equal(bad.statusCode, 422);
});
