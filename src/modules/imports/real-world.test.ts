import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { cleanCell, isTotalsRow, parseBirthday, parseDate } from './cells.ts';
import { makeImportsModule } from './index.ts';
import { suggestMapping } from './mapping.ts';

/**
 * Real-world files, as the issue found them: a store register (XLSX: merged title rows above the header,
 * Chinese headers, mobiles written five ways, birthdays in every format people use, an impossible 1975-02-29,
 * a duplicate mobile, a =HYPERLINK cell, a 合计 line) and a Taobao order export (GBK CSV, ="…" numbers,
 * '-prefixed mobiles, a quoted cell over two lines, a blank line, a 合计 line).
 */

let t: TestApp;
let org: TestOrg;
let admin: string;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = await org.token('admin');
  // A custom field of the notes meaning (made before customers had notes): the built-in notes field takes
  // 备注 and 买家留言 first; the custom field gets such a column only when another one took the notes.
  await t.services.customers.customFields.create(await org.ctx('admin'), {
    entity: 'customer',
    key: 'remark',
    label: { 'zh-CN': '会员备注', en: 'Remark' },
    type: 'text',
  });
});
after(async () => t.close());

async function upload(fileName: string, body: Buffer) {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports?filename=${encodeURIComponent(fileName)}`,
    headers: as(admin, { 'content-type': 'application/octet-stream' }),
    payload: body,
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json();
}

async function get(id: string) {
  return (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: as(admin) })).json();
}

async function waitDone(id: string) {
  for (let i = 0; i < 800; i++) {
    const v = await get(id);
    if (v.status === 'done' || v.status === 'failed') return v;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('import did not finish');
}

async function importFile(fileName: string, body: Buffer) {
  const u = await upload(fileName, body);
  const start = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${u.id}/start`,
    headers: as(admin),
    payload: { mapping: u.suggestedMapping },
  });
  assert.equal(start.statusCode, 202, start.body);
  return { upload: u, result: await waitDone(u.id) };
}

async function report(id: string, locale = 'en') {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/imports/${id}/errors.csv`,
    headers: as(admin, { 'accept-language': locale }),
  });
  assert.equal(r.statusCode, 200);
  return (parse(r.body, { bom: true, relax_column_count: true }) as string[][]).slice(1);
}

async function customer(mobile: string) {
  return (
    await t.db.query<Record<string, unknown>>(
      "SELECT * FROM customers WHERE org_id = $1 AND mobile = $2 AND status = 'active'",
      [org.orgId, mobile],
    )
  ).rows;
}

async function customerCount() {
  return (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND status = 'active'",
      [org.orgId],
    )
  ).rows[0].n;
}

const counts = (v: Record<string, number>) => ({
  total: v.totalRows,
  processed: v.processedRows,
  created: v.createdRows,
  updated: v.updatedRows,
  unchanged: v.unchangedRows,
  skipped: v.skippedRows,
  duplicate: v.duplicateRows,
  warning: v.warningRows,
  error: v.errorRows,
});

/** The store register: rows 1–2 merged titles, row 3 the header, rows 4–15 members, row 16 合计. */
async function storeRegister(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('会员登记');
  ws.addRow(['XX门店会员登记表']);
  ws.mergeCells('A1:I1');
  ws.addRow(['制表日期：2026年11月1日']);
  ws.mergeCells('A2:I2');
  ws.addRow(['序号', '会员姓名', '联系电话 ', '性别', '出生日期', '详细地址', '电子邮件*', '备注', '微信']);
  const rows: ExcelJS.CellValue[][] = [
    [
      1,
      '张伟',
      '138 0013 8000',
      '男',
      '1988/5/3',
      '上海市徐汇区漕溪北路１２号',
      'zw@example.com',
      '老客户',
      'zw88',
    ],
    [2, '王芳', '+86-13800138001', '女', '1988-05-03', null, null, null, null],
    [3, '李娜', "'13800138002", '女', '1990年11月12日', null, null, null, null],
    [4, '刘洋', { formula: '"13800138003"' }, '男', new Date(Date.UTC(1985, 9, 1)), null, null, null, null],
    [5, '陈静', '１３８００１３８００４', '女', 32266, null, null, null, null],
    [6, '杨帆', '13800138005', '男', '85.10.1', null, null, null, null],
    [7, '赵敏', '13800138006', '女', '19880503', null, null, null, null],
    [8, '黄磊', '13800138007', '男', '1975-02-29', null, null, '生日写错了', null],
    [9, '周杰', '1380013800', '男', '1979-01-18', null, null, null, null],
    [10, '吴昊', '+86 13800138000', '男', '1992-02-02', null, null, '同一个手机', null],
    [
      11,
      { formula: 'HYPERLINK("https://shop.example.com/m/11","郑爽")' },
      '0086 13800138008',
      '女',
      '2099-01-01',
      null,
      null,
      null,
      null,
    ],
    [12, '孙丽', '8613800138009', '女', null, null, 'bad-email', null, null],
  ];
  for (const r of rows) ws.addRow(r);
  ws.addRow(['合计', '', '共 12 人']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('the store register imports with the suggested mapping: nothing lost, each problem reported by its row', async () => {
  const body = await storeRegister();
  const { upload: u, result } = await importFile('XX门店会员登记表.xlsx', body);

  // The header is row 3; the merged title rows above it are skipped and named.
  assert.equal(u.headerRow, 3);
  assert.deepEqual(u.skippedLines.slice(0, 2), [
    { row: 1, reason: 'title', text: 'XX门店会员登记表' },
    { row: 2, reason: 'title', text: '制表日期：2026年11月1日' },
  ]);
  assert.deepEqual(u.columns, [
    '序号',
    '会员姓名',
    '联系电话',
    '性别',
    '出生日期',
    '详细地址',
    '电子邮件*',
    '备注',
    '微信',
  ]);
  assert.deepEqual(u.suggestedMapping, {
    序号: null,
    会员姓名: 'name',
    联系电话: 'mobile',
    性别: 'gender',
    出生日期: 'birthday',
    详细地址: 'address',
    '电子邮件*': 'email',
    备注: 'notes',
    微信: null,
  });
  assert.equal(u.totalRows, 12);
  // The preview shows cells as a person reads them.
  assert.deepEqual(
    u.sampleRows.map((r: string[]) => r[2]),
    ['138 0013 8000', '+86-13800138001', '13800138002', '13800138003', '13800138004'],
  );

  assert.equal(result.status, 'done');
  assert.deepEqual(counts(result), {
    total: 12,
    processed: 12,
    created: 10,
    updated: 0,
    unchanged: 0,
    skipped: 3, // two title rows and the 合计 line
    duplicate: 1, // row 13 repeats row 4's mobile
    warning: 3, // rows 11 (1975-02-29), 14 (2099-01-01), 15 (bad email): imported without the value
    error: 1, // row 12: a 10-digit mobile
  });
  assert.equal(await customerCount(), 10);

  const expect: Array<[string, string, string | null]> = [
    ['+8613800138000', '张伟', '1988-05-03'],
    ['+8613800138001', '王芳', '1988-05-03'],
    ['+8613800138002', '李娜', '1990-11-12'],
    ['+8613800138003', '刘洋', '1985-10-01'],
    ['+8613800138004', '陈静', '1988-05-03'],
    ['+8613800138005', '杨帆', '1985-10-01'],
    ['+8613800138006', '赵敏', '1988-05-03'],
    ['+8613800138007', '黄磊', null],
    ['+8613800138008', '郑爽', null],
    ['+8613800138009', '孙丽', null],
  ];
  for (const [mobile, name, birthday] of expect) {
    const rows = await customer(mobile);
    assert.equal(rows.length, 1, `one customer for ${mobile}`);
    assert.equal(rows[0].name, name, mobile);
    assert.equal(rows[0].birthday, birthday, `${name}'s birthday`);
  }
  const [zw] = await customer('+8613800138000');
  assert.equal(zw.name, '张伟', 'the duplicate row 13 (吴昊) did not overwrite row 4');
  assert.equal(zw.address, '上海市徐汇区漕溪北路12号', 'full-width digits folded');
  assert.equal(zw.gender, 'male');
  assert.equal(zw.notes, '老客户', 'the 备注 column lands in the notes');
  assert.deepEqual(zw.custom, {});
  const [hl] = await customer('+8613800138007');
  assert.equal(hl.notes, '生日写错了', 'the row with a bad birthday keeps its other values');
  const [sl] = await customer('+8613800138009');
  assert.equal(sl.email, null);

  // The report uses the sheet's own row numbers, in row order, with the skipped lines among them.
  const lines = await report(u.id);
  assert.deepEqual(
    lines.map((l) => [l[0], l[1], l[3]]),
    [
      ['1', '', 'Skipped: title row above the header: XX门店会员登记表'],
      ['2', '', 'Skipped: title row above the header: 制表日期：2026年11月1日'],
      ['11', '出生日期', 'Warning: Invalid date; use YYYY-MM-DD'],
      [
        '12',
        '联系电话',
        'Invalid mobile number: expected 11 digits of a mainland China mobile (1, then 3–9)',
      ],
      ['13', '联系电话', 'Duplicate: Line 13 duplicates line 4 (same Mobile): not imported'],
      ['14', '出生日期', 'Warning: Birthday 2099-01-01 is outside 1900-01-01 to today: imported without it'],
      ['15', '电子邮件*', 'Warning: Invalid email address'],
      ['16', '', 'Skipped: totals line: 合计 共 12 人'],
    ],
  );
  assert.equal(lines[3][5], '周杰', 'the row cells follow');
  const zh = await report(u.id, 'zh-CN');
  assert.equal(zh[4][3], '重复: 第 13 行与第 4 行重复（手机相同），未导入');

  // Re-import: nothing created, every imported row matched and already up to date.
  const again = await importFile('XX门店会员登记表.xlsx', body);
  assert.deepEqual(counts(again.result), {
    total: 12,
    processed: 12,
    created: 0,
    updated: 10,
    unchanged: 10,
    skipped: 3,
    duplicate: 1,
    warning: 3,
    error: 1,
  });
  assert.equal(await customerCount(), 10);
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

test('a Taobao order export (GBK, ="…" numbers, \'-prefixed mobiles, 合计) keeps every buyer', async () => {
  const header =
    '订单编号,买家会员名,买家支付宝账号,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址 ,联系电话 ,联系手机,订单创建时间,宝贝标题 ,宝贝总数量,店铺名称';
  const lines = [
    header, // line 1
    '="3620001",tb_alice,alice@pay.test,99.00,交易成功,,张三,浙江省杭州市西湖区文三路1号,,\'13900139000,2026-10-01 10:00:00,羊毛衫,1,某某旗舰店',
    '="3620002",tb_bob,,188.00,交易成功,尽快发货,李四,上海市浦东新区世纪大道2号,\'0571-88886666,="13900139001",2026-10-02 11:00:00,围巾,2,某某旗舰店',
    '', // line 4: blank
    '="3620003",tb_carol,,59.00,卖家已发货,,王五,北京市海淀区中关村3号,,\'+86 139 0013 9002,2026-10-03 12:00:00,手套,1,某某旗舰店',
    '="3620004",tb_alice,,20.00,交易成功,第二单,张三,浙江省杭州市西湖区文三路1号,,\'13900139000,2026-10-04 09:00:00,袜子,3,某某旗舰店',
    '="3620005",tb_dave,,10.00,交易关闭,,赵六,广州市天河区4号,,\'1390013900,2026-10-05 08:00:00,帽子,1,某某旗舰店',
    '="3620006",tb_erin,,66.00,交易成功,"请周末送货\n谢谢",孙七,深圳市南山区5号,,\'13900139004,2026-10-06 07:00:00,手套,1,某某旗舰店', // lines 8–9
    '合计,,,442.00,,,,,,,,,9,',
  ];
  const body = gbk(`${lines.join('\r\n')}\r\n`);
  const { upload: u, result } = await importFile('ExportOrderList202611.csv', body);
  assert.deepEqual(u.suggestedMapping, {
    订单编号: null,
    买家会员名: 'externalRef',
    买家支付宝账号: null,
    买家实际支付金额: null,
    订单状态: null,
    买家留言: 'notes',
    收货人姓名: 'name',
    收货地址: 'address',
    联系电话: 'phone',
    联系手机: 'mobile',
    订单创建时间: null,
    宝贝标题: null,
    宝贝总数量: null,
    店铺名称: null,
  });
  assert.equal(u.headerRow, 1);
  assert.equal(u.totalRows, 6);
  assert.deepEqual(counts(result), {
    total: 6,
    processed: 6,
    created: 4,
    updated: 0,
    unchanged: 0,
    skipped: 2, // the blank line 4 and the 合计 line 10
    duplicate: 1, // line 6: tb_alice again
    warning: 0,
    error: 1, // line 7: a 10-digit mobile
  });
  const [bob] = await customer('+8613900139001');
  assert.equal(bob.name, '李四');
  assert.equal(bob.phone, '0571-88886666', "the ' prefix is gone");
  assert.equal(bob.external_ref, 'tb_bob');
  assert.equal(bob.notes, '尽快发货', "the buyer's message lands in the notes");
  assert.deepEqual(bob.custom, {});
  const [alice] = await customer('+8613900139000');
  assert.equal(alice.notes, null, 'the second order (line 6) did not merge its message into the first');
  const [erin] = await customer('+8613900139004');
  assert.equal(erin.notes, '请周末送货\n谢谢');
  assert.equal((await customer('+8613900139002')).length, 1);

  const rep = await report(u.id);
  assert.deepEqual(
    rep.map((l) => [l[0], l[3]]),
    [
      ['6', 'Duplicate: Line 6 duplicates line 2 (same External ref): not imported'],
      ['7', 'Invalid mobile number: expected 11 digits of a mainland China mobile (1, then 3–9)'],
      ['10', 'Skipped: totals line: 合计 442.00 9'],
    ],
  );

  const again = await importFile('ExportOrderList202611.csv', body);
  assert.deepEqual(
    [
      again.result.createdRows,
      again.result.unchangedRows,
      again.result.duplicateRows,
      again.result.errorRows,
    ],
    [0, 4, 1, 0 + 1],
  );
});

test('a running import is a durable job: stopped mid-way, another process resumes it after the last batch', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['门店会员名单']);
  ws.addRow(['姓名', '手机']);
  for (let i = 0; i < 20; i++) ws.addRow([`会员${i}`, `1370000${String(i).padStart(4, '0')}`]);
  ws.addRow(['会员重复', '13700000001']); // row 23 repeats row 4, in a batch after the stop
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  const u = await upload('durable.xlsx', body);
  const ctx = await org.ctx('admin');

  // The first process stops after its current batch (a restart): the import stays running, lease handed on.
  const first = makeImportsModule(t.db, { customers: t.services.customers, identity: t.services.identity });
  await first.imports.start(ctx, u.id, u.suggestedMapping, { batchSize: 4 });
  await first.imports.shutdown();
  const stopped = await get(u.id);
  assert.equal(stopped.status, 'running');
  assert.ok(
    stopped.processedRows > 0 && stopped.processedRows < 21,
    `stopped mid-way at ${stopped.processedRows}`,
  );

  // A live import is not taken over: the lease must lapse first.
  const live = makeImportsModule(t.db, { customers: t.services.customers, identity: t.services.identity });
  await t.db.query(
    "UPDATE imports SET lease_until = now() + interval '1 minute' WHERE org_id = $1 AND id = $2",
    [org.orgId, u.id],
  );
  assert.equal(await live.imports.resumeInterrupted(), 0);
  await t.db.query(
    "UPDATE imports SET lease_until = now() - interval '1 second' WHERE org_id = $1 AND id = $2",
    [org.orgId, u.id],
  );

  // The next process claims and finishes it: every row once, the late duplicate still caught.
  const second = makeImportsModule(t.db, { customers: t.services.customers, identity: t.services.identity });
  assert.equal(await second.imports.resumeInterrupted(), 1);
  await second.imports.idle();
  const done = await get(u.id);
  assert.equal(done.status, 'done');
  assert.deepEqual(
    [done.processedRows, done.createdRows, done.duplicateRows, done.errorRows, done.skippedRows],
    [21, 20, 1, 0, 1],
  );
  const n = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND mobile LIKE '+86137000%'",
    [org.orgId],
  );
  assert.equal(n.rows[0].n, 20);
  const rep = await report(u.id);
  assert.deepEqual(rep.map((l) => [l[0], l[3]]).slice(-1), [
    ['23', 'Duplicate: Line 23 duplicates line 4 (same Mobile): not imported'],
  ]);
});

test('cell clean-up, birthdays and totals lines (unit)', () => {
  assert.equal(cleanCell('="0012345"'), '0012345');
  assert.equal(cleanCell("'13800138000"), '13800138000');
  assert.equal(cleanCell('=HYPERLINK("http://x.test/1","王小明")'), '王小明');
  assert.equal(cleanCell('=hyperlink("http://x.test/1")'), 'http://x.test/1');
  assert.equal(cleanCell('　ＡＢ１２３　'), 'AB123');
  assert.equal(cleanCell('上海市，浦东'), '上海市，浦东', 'full-width punctuation in text is kept');
  assert.equal(cleanCell('=cmd|calc'), '=cmd|calc');
  for (const [raw, want] of [
    ['1988/5/3', '1988-05-03'],
    ['1988-05-03', '1988-05-03'],
    ['1990年11月12日', '1990-11-12'],
    ['85.10.1', '1985-10-01'],
    ['05.1.2', '2005-01-02'],
    ['19880503', '1988-05-03'],
    ['32266', '1988-05-03'],
    ['1988-05-03 00:00', '1988-05-03'],
    ['1975-02-29', null],
    ['1988-13-01', null],
    ['yesterday', null],
  ] as const)
    assert.equal(parseDate(raw, new Date('2026-11-29T00:00:00Z')), want, raw);
  assert.equal(parseBirthday('1899-12-31').error?.key, 'imports.outcome.birthday_range');
  assert.equal(parseBirthday('1988/5/3').value, '1988-05-03');
  assert.ok(isTotalsRow(['合计', '', '100']));
  assert.ok(isTotalsRow(['', '总 计：', '100']));
  assert.ok(isTotalsRow(['1', '小计']));
  assert.ok(!isTotalsRow(['张三', '13800138000', '合计']));
  assert.ok(!isTotalsRow(['合肥市', '13800138000']));

  // Synonyms tolerate spaces, full-width brackets, * markers; 联系电话 is the mobile unless 联系手机 is there.
  assert.deepEqual(
    suggestMapping(['客户姓名 ', '手机号码（必填）*', '收货地址', '生日', '邮箱', '公司'], []),
    {
      '客户姓名 ': 'name',
      '手机号码（必填）*': 'mobile',
      收货地址: 'address',
      生日: 'birthday',
      邮箱: 'email',
      公司: null,
    },
  );
  assert.deepEqual(suggestMapping(['收货人', '电话', '手机'], []), {
    收货人: 'name',
    电话: 'phone',
    手机: 'mobile',
  });
  assert.deepEqual(
    suggestMapping(
      ['姓名', '公司', '微信'],
      [
        { key: 'company', label: { en: 'Employer' } },
        { key: 'wechat', label: {} },
      ],
    ),
    { 姓名: 'name', 公司: 'custom.company', 微信: 'custom.wechat' },
  );
});

test("备注, 买家留言, remark… go to the built-in notes; an org's notes custom field takes a second such column", () => {
  for (const h of ['备注', '买家留言', '留言', '客户备注', 'Remark', 'Notes', 'memo', 'Notas'])
    assert.deepEqual(suggestMapping(['姓名', h], []), { 姓名: 'name', [h]: 'notes' }, h);
  const remark = [{ key: 'remark', label: { 'zh-CN': '会员备注', en: 'Remark' } }];
  // The built-in field wins even over a custom field labelled with the column's own name.
  assert.deepEqual(suggestMapping(['姓名', '会员备注'], remark), { 姓名: 'name', 会员备注: 'notes' });
  // A file with both: the outright 备注 takes the notes (whatever the column order), the message the custom field.
  assert.deepEqual(suggestMapping(['买家留言', '备注', '手机'], remark), {
    买家留言: 'custom.remark',
    备注: 'notes',
    手机: 'mobile',
  });
  // Without a custom field of that meaning, the second column is left for the user to choose.
  assert.deepEqual(suggestMapping(['备注', '买家留言'], []), { 备注: 'notes', 买家留言: null });
  // A Kept export read back (zh-CN: the built-in 备注 and a custom field labelled 备注, exported as 备注 (note)).
  assert.deepEqual(
    suggestMapping(['名称', '备注', '备注 (note)'], [{ key: 'note', label: { 'zh-CN': '备注' } }]),
    { 名称: 'name', 备注: 'notes', '备注 (note)': 'custom.note' },
  );
});
