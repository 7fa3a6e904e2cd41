import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: string;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = await org.token('admin');
  const ctx = await org.ctx('admin');
  await t.services.customers.customFields.create(ctx, {
    entity: 'customer',
    key: 'store',
    label: { 'zh-CN': '门店', en: 'Store' },
    type: 'select',
    options: [
      { value: 'SH01', label: { en: 'Shanghai 1' } },
      { value: 'BJ02', label: { en: 'Beijing 2' } },
    ],
  });
});
after(async () => t.close());

async function upload(token: string, fileName: string, body: Buffer, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports?filename=${encodeURIComponent(fileName)}`,
    headers: as(token, { 'content-type': 'application/octet-stream', ...headers }),
    payload: body,
  });
}

async function waitDone(token: string, id: string) {
  for (let i = 0; i < 400; i++) {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: as(token) });
    const v = r.json();
    if (v.status === 'done' || v.status === 'failed') return v;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('import did not finish');
}

/** Upload, start with the suggested mapping (or the one given), wait. */
async function importFile(
  fileName: string,
  body: Buffer,
  mapping?: Record<string, string | null>,
  token = admin,
) {
  const up = await upload(token, fileName, body);
  assert.equal(up.statusCode, 201, up.body);
  const u = up.json();
  const start = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${u.id}/start`,
    headers: as(token),
    payload: { mapping: mapping ?? u.suggestedMapping },
  });
  assert.equal(start.statusCode, 202, start.body);
  return { upload: u, result: await waitDone(token, u.id) };
}

async function customersByMobile(mobile: string) {
  return (
    await t.db.query<Record<string, unknown>>(
      "SELECT * FROM customers WHERE org_id = $1 AND mobile = $2 AND status = 'active'",
      [org.orgId, mobile],
    )
  ).rows;
}

const CSV = [
  '姓名,手机号,邮箱,性别,生日,标签,会员等级,门店,负责坐席邮箱,备注',
  `张三,13800138001,zs@example.com,男,1990/5/6,"VIP，回头客",金卡会员,SH01,agent@${'{slug}'}.test,x`,
  '李四,1234,ls@example.com,女,1991-02-03,,,,,',
  '王五,139 0013 8002,,female,,企业采购;潜在大客户,,BJ02,,',
  '赵六,13800138003,bad-email,男,1990-13-01,,,NOPE,,',
].join('\n');

test('CSV upload suggests a mapping from Chinese headers; import creates, reports bad rows, assigns owners', async () => {
  const csv = Buffer.from(`\ufeff${CSV.replace('{slug}', org.slug)}\n`);
  const { upload: u, result } = await importFile('客户.csv', csv);
  assert.deepEqual(u.columns, [
    '姓名',
    '手机号',
    '邮箱',
    '性别',
    '生日',
    '标签',
    '会员等级',
    '门店',
    '负责坐席邮箱',
    '备注',
  ]);
  assert.equal(u.totalRows, 4);
  assert.equal(u.sampleRows[0][0], '张三');
  assert.deepEqual(u.suggestedMapping, {
    姓名: 'name',
    手机号: 'mobile',
    邮箱: 'email',
    性别: 'gender',
    生日: 'birthday',
    标签: 'tags',
    会员等级: 'memberLevel',
    门店: 'custom.store',
    负责坐席邮箱: 'ownerEmail',
    备注: 'notes',
  });
  assert.equal(result.status, 'done');
  assert.deepEqual(
    [result.processedRows, result.createdRows, result.updatedRows, result.errorRows],
    [4, 2, 0, 2],
  );

  const [zs] = await customersByMobile('+8613800138001');
  assert.equal(zs.name, '张三');
  assert.equal(zs.gender, 'male');
  assert.equal(zs.birthday, '1990-05-06');
  assert.deepEqual(zs.tags, ['VIP', '回头客']);
  assert.deepEqual(zs.custom, { store: 'SH01' });
  assert.equal(zs.notes, 'x', 'the 备注 column lands in the notes');
  assert.equal(zs.owner_id, org.users.agent.id);
  const [ww] = await customersByMobile('+8613900138002');
  assert.equal(ww.gender, 'female');
  assert.equal(ww.owner_id, org.users.admin.id, 'no owner in the row: the importer owns it');
  assert.deepEqual(ww.tags, ['企业采购', '潜在大客户']);

  // Every created customer has its audit event, tagged with the import.
  const ev = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'customer.create' AND meta->>'importId' = $2",
    [org.orgId, u.id],
  );
  assert.equal(ev.rows[0].n, 2);

  // The error report, in the caller's language, with the original cells.
  const rep = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${u.id}/errors.csv`,
    headers: as(admin, { 'accept-language': 'en' }),
  });
  assert.equal(rep.statusCode, 200);
  assert.match(rep.headers['content-type'] as string, /text\/csv/);
  const lines = parse(rep.body, { bom: true }) as string[][];
  assert.deepEqual(lines[0].slice(0, 5), ['Row', 'Column', 'Field', 'Error', '姓名']);
  const mobileErr = lines.find((l) => l[0] === '3');
  assert.ok(mobileErr, 'row 3 (李四) is reported');
  assert.equal(mobileErr[1], '手机号');
  assert.equal(mobileErr[2], 'Mobile');
  assert.match(mobileErr[3], /Invalid mobile number/);
  assert.equal(mobileErr[4], '李四');
  assert.equal(mobileErr[5], '1234');
  const row5 = lines
    .filter((l) => l[0] === '5')
    .map((l) => l[2])
    .sort();
  assert.deepEqual(row5, ['Birthday', 'Email', 'Store'], 'every error of a row is listed');
  const zh = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${u.id}/errors.csv`,
    headers: as(admin, { 'accept-language': 'zh-CN' }),
  });
  assert.match(zh.body, /手机号格式不正确/);
});

test('re-importing the same file creates nothing and counts the matches as updates', async () => {
  const csv = Buffer.from(
    [
      '外部编号,名称,手机,会员等级',
      'R-1,甲公司,13700000001,银卡',
      'R-2,乙,13700000002,',
      ',丙,13700000003,金卡',
    ].join('\r\n'),
  );
  const first = await importFile('again.csv', csv);
  assert.deepEqual([first.result.createdRows, first.result.updatedRows, first.result.errorRows], [3, 0, 0]);
  const count = async () =>
    (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND status = 'active'",
        [org.orgId],
      )
    ).rows[0].n;
  const before = await count();
  const second = await importFile('again.csv', csv);
  assert.deepEqual(
    [
      second.result.createdRows,
      second.result.updatedRows,
      second.result.unchangedRows,
      second.result.errorRows,
    ],
    [0, 3, 3, 0],
  );
  assert.equal(await count(), before);

  // A changed value updates (only mapped, non-empty cells), matched by external ref then by mobile.
  const changed = Buffer.from(
    ['外部编号,名称,手机,会员等级', 'R-1,甲公司,13700000009,钻石', ',丙,13700000003,'].join('\n'),
  );
  const third = await importFile('changed.csv', changed);
  assert.deepEqual(
    [third.result.createdRows, third.result.updatedRows, third.result.unchangedRows],
    [0, 2, 1],
  );
  const r1 = (
    await t.db.query<Record<string, unknown>>(
      'SELECT * FROM customers WHERE org_id = $1 AND external_ref = $2',
      [org.orgId, 'R-1'],
    )
  ).rows[0];
  assert.equal(r1.mobile, '+8613700000009');
  assert.equal(r1.member_level, '钻石');
  const [c3] = await customersByMobile('+8613700000003');
  assert.equal(c3.member_level, '金卡', 'an empty cell does not clear the field');
  assert.equal(await count(), before);
});

test('XLSX import: dates, numbers and rich text cells', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户名单');
  ws.addRow(['Name', 'Mobile', 'Birthday', 'Age', 'Kind', 'Tags']);
  ws.addRow(['Ana López', 13600000001, new Date(Date.UTC(1988, 10, 23)), 36, 'persona', 'a, b']);
  ws.addRow([
    { richText: [{ text: '深圳' }, { text: '某某科技有限公司' }] },
    '13600000002',
    '2001年1月2日',
    null,
    '公司',
    null,
  ]);
  ws.addRow(['Bad', 13600000003, 'yesterday', 'old', 'alien', null]);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  const { upload: u, result } = await importFile('list.xlsx', buf);
  assert.deepEqual(u.suggestedMapping, {
    Name: 'name',
    Mobile: 'mobile',
    Birthday: 'birthday',
    Age: 'age',
    Kind: 'kind',
    Tags: 'tags',
  });
  assert.deepEqual([result.createdRows, result.errorRows], [2, 1]);
  const [ana] = await customersByMobile('+8613600000001');
  assert.equal(ana.birthday, '1988-11-23');
  assert.equal(ana.age, 36);
  assert.deepEqual(ana.tags, ['a', 'b']);
  const [co] = await customersByMobile('+8613600000002');
  assert.equal(co.kind, 'company');
  assert.equal(co.name, '深圳某某科技有限公司');
  assert.equal(co.birthday, '2001-01-02');
  const rep = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${u.id}/errors.csv`,
    headers: as(admin, { 'accept-language': 'es' }),
  });
  const fields = (parse(rep.body, { bom: true }) as string[][])
    .slice(1)
    .map((l) => l[2])
    .sort();
  assert.deepEqual(fields, ['Cumpleaños', 'Edad', 'Tipo']);
});

/** GBK bytes for a string, by inverting Node's GBK decoder (no encoder ships with Node). */
function gbk(s: string): Buffer {
  const dec = new TextDecoder('gbk');
  const map = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      const ch = dec.decode(Uint8Array.from([a, b]));
      if (ch.length === 1 && !map.has(ch)) map.set(ch, [a, b]);
    }
  const out: number[] = [];
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...(map.get(ch) ?? assert.fail(`no GBK for ${ch}`)));
  }
  return Buffer.from(out);
}

test('a GBK-encoded CSV (Excel on Chinese Windows) is decoded', async () => {
  const body = gbk('姓名,手机,地址\r\n钱七,13500000001,上海市浦东新区\r\n孙八,13500000002,北京市海淀区\r\n');
  const { upload: u, result } = await importFile('gbk.csv', body);
  assert.deepEqual(u.columns, ['姓名', '手机', '地址']);
  assert.equal(result.createdRows, 2);
  const [q] = await customersByMobile('+8613500000001');
  assert.equal(q.name, '钱七');
  assert.equal(q.address, '上海市浦东新区');
});

test('walk: 401, 403, 404, 422 for the import endpoints', async () => {
  const csv = Buffer.from('name,mobile\nA,13300000001\n');
  const anon = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports?filename=a.csv',
    headers: { 'content-type': 'application/octet-stream' },
    payload: csv,
  });
  assert.equal(anon.statusCode, 401);
  const agent = await org.token('agent');
  assert.equal((await upload(agent, 'a.csv', csv)).statusCode, 403, 'agents have no customer.import');
  const sup = await org.token('supervisor');
  const up = await upload(sup, 'a.csv', csv);
  assert.equal(up.statusCode, 201);
  const id = up.json().id;
  assert.equal(
    (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: as(agent) })).statusCode,
    403,
  );

  const other = await buildOrg(t.services);
  const otherAdmin = await other.token('admin');
  for (const url of [
    `/api/v1/imports/${id}`,
    `/api/v1/imports/${id}/errors.csv`,
    '/api/v1/imports/not-a-uuid',
    '/api/v1/imports/00000000-0000-4000-8000-000000000000',
  ]) {
    assert.equal((await t.app.inject({ method: 'GET', url, headers: as(otherAdmin) })).statusCode, 404, url);
  }
  const startOther = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${id}/start`,
    headers: as(otherAdmin),
    payload: { mapping: {} },
  });
  assert.equal(startOther.statusCode, 404);

  // 422: unsupported files, missing filename, bad mappings.
  const bad = [
    await upload(admin, 'a.pdf', Buffer.from('%PDF-1.4 not a sheet')),
    await upload(admin, 'a.xlsx', Buffer.from('name,mobile\n')),
    await upload(admin, 'a.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])),
    await upload(admin, 'a.csv', Buffer.alloc(0)),
    await upload(
      admin,
      'broken.xlsx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('garbage')]),
    ),
  ];
  for (const r of bad) {
    assert.equal(r.statusCode, 422, r.body);
    assert.equal(r.json().error.code, 'unsupported_file');
  }
  const noName = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: as(admin, { 'content-type': 'application/octet-stream' }),
    payload: csv,
  });
  assert.equal(noName.statusCode, 422);
  const json = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports?filename=a.csv',
    headers: as(admin),
    payload: { a: 1 },
  });
  assert.equal(json.statusCode, 422);

  const start = (mapping: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${id}/start`,
      headers: as(sup, { 'accept-language': 'en' }),
      payload: { mapping },
    });
  const unknownField = await start({ name: 'nickname', mobile: 'mobile' });
  assert.equal(unknownField.statusCode, 422);
  assert.match(unknownField.json().error.fields['mapping.name'], /Unknown field: nickname/);
  assert.equal((await start({ name: 'custom.nope' })).statusCode, 422);
  assert.equal((await start({ nope: 'name' })).statusCode, 422);
  assert.equal((await start({ name: 'mobile', mobile: 'mobile' })).statusCode, 422);
  assert.equal((await start({ name: null, mobile: null })).statusCode, 422, 'nothing to match or create by');
  assert.equal((await start('not an object')).statusCode, 422);

  const ok = await start({ name: 'name', mobile: 'mobile' });
  assert.equal(ok.statusCode, 202);
  assert.equal((await waitDone(sup, id)).createdRows, 1);
  const again = await start({ name: 'name', mobile: 'mobile' });
  assert.equal(again.statusCode, 409, 'a started import cannot start again');
});

test('a supervisor cannot update customers outside their scope through an import', async () => {
  const mctx = await org.ctx('manager');
  await t.services.customers.create(mctx, { name: '经理的客户', mobile: '13200000001' });
  const sup = await org.token('supervisor');
  const { upload: u, result } = await importFile(
    'scope.csv',
    Buffer.from('name,mobile,hobbies\nX,13200000001,golf\n'),
    undefined,
    sup,
  );
  assert.deepEqual([result.createdRows, result.updatedRows, result.errorRows], [0, 0, 1]);
  const [c] = await customersByMobile('+8613200000001');
  assert.equal(c.hobbies, null);
  const rep = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${u.id}/errors.csv`,
    headers: as(sup, { 'accept-language': 'en' }),
  });
  assert.match(rep.body, /outside the customers you may change/);
});

test('a 备注 over 2,000 characters costs the notes, not the row: a warning names the column', async () => {
  const long = '很'.repeat(2001);
  const { upload: u, result } = await importFile(
    'notes.csv',
    Buffer.from(`姓名,手机,备注\n长备注,13200000077,${long}\n短备注,13200000078,周末到店\n`),
  );
  assert.equal(u.suggestedMapping.备注, 'notes');
  assert.deepEqual([result.createdRows, result.warningRows, result.errorRows], [2, 1, 0]);
  assert.equal((await customersByMobile('+8613200000077'))[0].notes, null);
  assert.equal((await customersByMobile('+8613200000078'))[0].notes, '周末到店');
  const rep = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${u.id}/errors.csv`,
    headers: as(admin, { 'accept-language': 'en' }),
  });
  const lines = parse(rep.body, { bom: true, relax_column_count: true }) as string[][];
  const line = lines.find((l) => l[0] === '2');
  assert.ok(line, rep.body);
  assert.deepEqual(line.slice(1, 4), ['备注', 'Notes', 'Warning: Too long']);
});
