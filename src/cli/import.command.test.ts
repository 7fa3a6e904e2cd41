import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { type CliEnv, cliEnv } from './cli-test-env.ts';

let cli: CliEnv;

before(async () => {
  cli = await cliEnv();
  const r = await cli.run([
    'org',
    'create',
    '--name',
    '导入测试',
    '--slug',
    'imp',
    '--admin-email',
    'boss@imp.test',
    '--admin-password',
    'password123',
  ]);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => cli.cleanup());

test('kept import customers FILE.csv prints counts and writes the error report', async () => {
  const file = path.join(cli.dir, '门店客户.csv');
  fs.writeFileSync(
    file,
    '\ufeff客户名称,手机号码,生日\n张三,13800138000,1990/1/2\n李四,1234,\n王五,13900139000,\n',
  );
  const r = await cli.run(['import', 'customers', file, '--org', 'imp', '--batch-size', '2']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /3 rows, 3 columns/);
  assert.match(r.stdout, /客户名称 → name/);
  assert.match(
    r.stdout,
    /progress 2\/3 created=1 updated=0 errors=1/,
    'a plain progress line per batch when not a TTY',
  );
  assert.match(r.stdout, /done: created 2, updated 0 \(0 already up to date\), errors 1/);
  const report = /error report: (.+)$/m.exec(r.stdout)?.[1];
  assert.ok(report && fs.existsSync(report), r.stdout);
  const text = fs.readFileSync(report, 'utf8');
  assert.match(text, /行号,列,字段,错误/);
  assert.match(text, /\n3,手机号码,手机,手机号格式不正确[^\n]*,李四,1234,/);

  const again = await cli.run(['import', 'customers', file, '--org', 'imp']);
  assert.match(again.stdout, /done: created 0, updated 2 \(2 already up to date\), errors 1/);
});

test('kept import customers FILE.xlsx with --mapping, then kept export customers', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['Código', 'Nombre', 'Móvil', 'Nivel']);
  ws.addRow(['S-1', 'Ana', 13700000001, 'oro']);
  ws.addRow(['S-2', '=cmd|calc', 13700000002, 'plata']);
  const file = path.join(cli.dir, 'clientes.xlsx');
  await wb.xlsx.writeFile(file);
  const mappingFile = path.join(cli.dir, 'mapping.json');
  fs.writeFileSync(
    mappingFile,
    JSON.stringify({ Código: 'externalRef', Nombre: 'name', Móvil: 'mobile', Nivel: null }),
  );
  const r = await cli.run(['import', 'customers', file, '--mapping', mappingFile]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Nivel → \(ignored\)/);
  assert.match(r.stdout, /done: created 2, updated 0/);

  const bad = path.join(cli.dir, 'bad-mapping.json');
  fs.writeFileSync(bad, JSON.stringify({ Nombre: 'nickname' }));
  const rb = await cli.run(['import', 'customers', file, '--mapping', bad]);
  assert.equal(rb.code, 1);
  assert.match(rb.stdout, /Nombre: 未知字段：nickname/);

  const out = path.join(cli.dir, 'out.xlsx');
  const e = await cli.run(['export', 'customers', '--out', out, '--org', 'imp']);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /exported 4 customers/);
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(out);
  const rows: string[] = [];
  back.worksheets[0].eachRow((row) => rows.push(String(row.getCell(3).value)));
  assert.deepEqual(rows.slice(0, 1), ['名称']);
  assert.ok(rows.includes("'=cmd|calc"), 'formula defused');
  const csvOut = path.join(cli.dir, 'out.csv');
  const c = await cli.run([
    'export',
    'customers',
    '--out',
    csvOut,
    '--format',
    'csv',
    '--kind',
    'person',
    '--q',
    'Ana',
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /exported 1 customers/);
  assert.equal(fs.readFileSync(csvOut, 'utf8').trim().split('\n').length, 2);
});

// Last: it adds a second organization (the tests above rely on there being one).
test('kept import customers prints the skipped title rows and the new counts', async () => {
  const org = await cli.run([
    'org',
    'create',
    '--name',
    '门店',
    '--slug',
    'reg',
    '--admin-email',
    'boss@reg.test',
    '--admin-password',
    'password123',
  ]);
  assert.equal(org.code, 0, org.stderr);
  const file = path.join(cli.dir, '会员登记.csv');
  fs.writeFileSync(
    file,
    [
      '某某门店会员登记表,,',
      '姓名,联系电话,生日',
      "钱一,'13600136000,1988/5/3",
      '孙二,+86-13600136001,1975-02-29',
      '钱一（重复）,136 0013 6000,',
      '合计,,',
    ].join('\n'),
  );
  const r = await cli.run(['import', 'customers', file, '--org', 'reg']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /已跳过标题行 1：'某某门店会员登记表'/);
  assert.match(r.stdout, /联系电话 → mobile/);
  assert.match(
    r.stdout,
    /done: created 2, updated 0 \(0 already up to date\), errors 0, skipped 2, duplicates 1, warnings 1/,
  );
  const report = /error report: (.+)$/m.exec(r.stdout)?.[1];
  assert.ok(report && fs.existsSync(report), r.stdout);
  const text = fs.readFileSync(report, 'utf8');
  assert.match(text, /\n4,生日,生日,警告: 日期格式不正确[^\n]*,孙二,/);
  assert.match(text, /\n5,联系电话,手机,重复: 第 5 行与第 3 行重复（手机相同），未导入,/);
});
