import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { escapeFormula } from './file-formats.ts';

let t: TestApp;
let org: TestOrg;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  const admin = await org.ctx('admin');
  const agent = await org.ctx('agent');
  await t.services.customers.customFields.create(admin, {
    entity: 'customer',
    key: 'note',
    label: { 'zh-CN': '备注', en: 'Note' },
    type: 'text',
  });
  await t.services.customers.create(agent, {
    name: '张三',
    mobile: '13800138000',
    phone: '021-5555 6666',
    email: 'zs@example.com',
    tags: ['VIP'],
    gender: 'male',
    notes: '老客户\n周末到店',
  });
  await t.services.customers.create(agent, {
    name: '=HYPERLINK("http://evil.example","点我")',
    mobile: '13800138001',
    address: '+1 cmd',
    hobbies: '@SUM(A1)',
    custom: { note: '-2+3' },
  });
  const co = await t.services.customers.create(admin, {
    kind: 'company',
    name: '管理员的公司',
    mobile: '13800138002',
  });
  // The API trims text, so leading tab / CR only reach the database some other way (older data): simulate it.
  await t.db.query(
    `UPDATE customers SET family_notes = E'\\tTAB', contact_person = E'\\rCR' WHERE org_id = $1 AND id = $2`,
    [org.orgId, co.id],
  );
});
after(async () => t.close());

const exportUrl = (q: string) => `/api/v1/customers/export?${q}`;

async function csvAs(who: keyof TestOrg['users'], q = 'format=csv', lang = 'en') {
  const r = await t.app.inject({
    method: 'GET',
    url: exportUrl(q),
    headers: as(await org.token(who), { 'accept-language': lang }),
  });
  assert.equal(r.statusCode, 200, r.body);
  return { res: r, rows: parse(r.rawPayload, { bom: true, relax_column_count: true }) as string[][] };
}

test('escapeFormula prefixes = + - @ tab and CR', () => {
  for (const v of ['=1+1', '+1', '-1', '@x', '\tx', '\rx']) assert.equal(escapeFormula(v), `'${v}`);
  for (const v of ['a=1', '13800138000', '', ' =x']) assert.equal(escapeFormula(v), v);
});

test('an agent exports their customers without phone columns; an admin exports all, with phones', async () => {
  const agent = await csvAs('agent');
  assert.match(agent.res.headers['content-type'] as string, /text\/csv/);
  assert.match(
    agent.res.headers['content-disposition'] as string,
    /attachment; filename="customers-\d{8}\.csv"/,
  );
  assert.equal(agent.res.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM for Excel');
  const header = agent.rows[0];
  assert.ok(header.includes('Name') && header.includes('Email') && header.includes('Note'));
  assert.ok(
    !header.includes('Mobile') && !header.includes('Company phone'),
    'no phone columns without customer.export.pii',
  );
  assert.equal(agent.rows.length, 3, 'header + the 2 customers the agent owns');
  assert.ok(!agent.res.body.includes('13800138000') && !agent.res.body.includes('5555'));

  const admin = await csvAs('admin');
  const h = admin.rows[0];
  assert.ok(h.includes('Mobile') && h.includes('Company phone'));
  assert.equal(admin.rows.length, 4);
  const zs = admin.rows.find((r) => r[h.indexOf('Name')] === '张三')!;
  assert.equal(zs[h.indexOf('Mobile')], '13800138000');
  assert.equal(zs[h.indexOf('Company phone')], '021-5555 6666');
  assert.equal(zs[h.indexOf('Gender')], 'Male');
  assert.equal(zs[h.indexOf('Owner email')], `agent@${org.slug}.test`);
  assert.equal(
    h.indexOf('Notes'),
    h.indexOf('Family notes') + 1,
    'the notes column follows the family notes',
  );
  assert.equal(zs[h.indexOf('Notes')], '老客户\n周末到店');
  assert.equal(admin.rows.find((r) => r[h.indexOf('Name')] === '管理员的公司')![h.indexOf('Notes')], '');

  const zh = await csvAs('admin', 'format=csv', 'zh-CN');
  assert.ok(zh.rows[0].includes('名称') && zh.rows[0].includes('手机') && zh.rows[0].includes('备注'));
  // The built-in notes column (备注) and the custom field labelled 备注, told apart by its key.
  assert.equal(zh.rows[0].filter((c) => c === '备注').length, 1);
  const zhZs = zh.rows.find((r) => r[zh.rows[0].indexOf('名称')] === '张三')!;
  assert.equal(zhZs[zh.rows[0].indexOf('备注')], '老客户\n周末到店');
  assert.ok(zh.rows[0].includes('备注 (note)'));
  const es = await csvAs('admin', 'format=csv', 'es');
  assert.equal(
    es.rows.find((r) => r[es.rows[0].indexOf('Nombre')] === '张三')?.[es.rows[0].indexOf('Notas')],
    '老客户\n周末到店',
  );

  // Filters as in the list.
  const companies = await csvAs('admin', 'format=csv&kind=company');
  assert.equal(companies.rows.length, 2);
  const byTag = await csvAs('admin', 'format=csv&tag=VIP');
  assert.equal(byTag.rows.length, 2);
});

test('formula injection is defused in CSV and XLSX', async () => {
  const { rows } = await csvAs('admin');
  const h = rows[0];
  const evil = rows.find((r) => r[h.indexOf('Name')].includes('HYPERLINK'))!;
  assert.equal(evil[h.indexOf('Name')], `'=HYPERLINK("http://evil.example","点我")`);
  assert.equal(evil[h.indexOf('Address')], "'+1 cmd");
  assert.equal(evil[h.indexOf('Hobbies')], "'@SUM(A1)");
  assert.equal(evil[h.indexOf('Note')], "'-2+3");
  const co = rows.find((r) => r[h.indexOf('Name')] === '管理员的公司')!;
  assert.equal(co[h.indexOf('Family notes')], "'\tTAB");
  assert.equal(co[h.indexOf('Contact person')], "'\rCR");

  const r = await t.app.inject({
    method: 'GET',
    url: exportUrl('format=xlsx'),
    headers: as(await org.token('admin'), { 'accept-language': 'en' }),
  });
  assert.equal(r.statusCode, 200);
  assert.match(r.headers['content-type'] as string, /spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
  const col = (name: string) => headers.indexOf(name) + 1;
  let found = 0;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const name = String(row.getCell(col('Name')).value);
    assert.equal(row.getCell(col('Name')).formula, undefined, 'never a formula cell');
    if (name.includes('HYPERLINK')) {
      found++;
      assert.equal(name, `'=HYPERLINK("http://evil.example","点我")`);
      assert.equal(row.getCell(col('Address')).value, "'+1 cmd");
      assert.equal(row.getCell(col('Note')).value, "'-2+3");
    }
    if (name === '张三') assert.equal(row.getCell(col('Mobile')).value, '13800138000');
  });
  assert.equal(found, 1);
  assert.equal(ws.rowCount, 4);
});

test('every export is audited with its row count, format, filters and pii flag', async () => {
  await csvAs('agent', 'format=csv&tag=VIP');
  const ev = (
    await t.db.query<{
      actor_id: string;
      entity_type: string;
      entity_id: string | null;
      meta: Record<string, unknown>;
    }>(
      "SELECT actor_id, entity_type, entity_id, meta FROM audit_events WHERE org_id = $1 AND action = 'customer.export' ORDER BY seq DESC LIMIT 1",
      [org.orgId],
    )
  ).rows[0];
  assert.equal(ev.actor_id, org.users.agent.id);
  assert.equal(ev.entity_type, 'customer');
  assert.equal(ev.entity_id, null);
  assert.deepEqual(ev.meta, { format: 'csv', rows: 1, filters: { tag: 'VIP' }, pii: false });
  const n = (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'customer.export'",
      [org.orgId],
    )
  ).rows[0].n;
  assert.ok(n >= 5);
});

test('403 without customer.export, 401 anonymous, 422 for a bad format', async () => {
  const admin = await org.ctx('admin');
  await t.services.identity.createRole(admin, {
    key: 'viewer',
    name: '只读',
    permissions: ['customer.read'],
  });
  await t.services.identity.createUser(admin, {
    email: `viewer@${org.slug}.test`,
    name: 'viewer',
    password: PASSWORD,
    roleKey: 'viewer',
    skills: [],
  });
  const viewer = (await t.services.identity.listUsers(admin)).find(
    (u) => u.email === `viewer@${org.slug}.test`,
  )!;
  const token = (
    await t.services.auth.createToken(
      { ...admin, actor: { ...admin.actor, userId: viewer.id } },
      { name: 't' },
    )
  ).token;
  const forbidden = await t.app.inject({ method: 'GET', url: exportUrl('format=csv'), headers: as(token) });
  assert.equal(forbidden.statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: exportUrl('format=csv') })).statusCode, 401);
  const bad = await t.app.inject({
    method: 'GET',
    url: exportUrl('format=pdf'),
    headers: as(await org.token('admin')),
  });
  assert.equal(bad.statusCode, 422);
  // The export route does not shadow /customers/:id.
  const one = await t.app.inject({
    method: 'GET',
    url: '/api/v1/customers/00000000-0000-4000-8000-000000000000',
    headers: as(await org.token('admin')),
  });
  assert.equal(one.statusCode, 404);
});

test('a large export pages through the database (rows sharing one created_at are neither lost nor repeated)', async () => {
  const other = await buildOrg(t.services);
  const ctx = await other.ctx('admin');
  const lines = ['name,mobile'];
  for (let i = 0; i < 2345; i++) lines.push(`客户${i},1390000${String(i).padStart(4, '0')}`);
  const up = await t.services.imports.imports.upload(ctx, 'many.csv', Buffer.from(lines.join('\n')));
  const done = await t.services.imports.imports.run(ctx, up.id, up.suggestedMapping, { batchSize: 2345 });
  assert.equal(done.createdRows, 2345);
  const r = await t.app.inject({
    method: 'GET',
    url: exportUrl('format=csv'),
    headers: as(await other.token('admin')),
  });
  const rows = parse(r.rawPayload, { bom: true }) as string[][];
  assert.equal(rows.length, 2346);
  assert.equal(new Set(rows.slice(1).map((x) => x[0])).size, 2345);
});
