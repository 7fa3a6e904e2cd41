import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { customerChunks } from '../bench/customer-data.ts';
import { readRows } from '../src/modules/imports/file-formats.ts';
const file = '/tmp/speed.xlsx';
if (!fs.existsSync(file)) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('客户');
  ws.addRow(['类型', '客户名称', '手机', '邮箱', '地址', '联系人', '来源渠道', '会员等级', '标签']).commit();
  for (const chunk of customerChunks(20000, 4242)) for (const c of chunk) ws.addRow([c.kind, c.name, c.mobile ?? '', c.email ?? '', c.address ?? '', c.contactPerson ?? '', c.sourceChannel, c.memberLevel ?? '', c.tags.join('；')]).commit();
  ws.commit(); await wb.commit();
}
const data = fs.readFileSync(file);
for (let k = 0; k < 2; k++) {
  const t0 = performance.now(); let n = 0;
  for await (const r of readRows(data, 'xlsx')) n += r.cells.length ? 1 : 0;
  console.log('rows', n, (performance.now() - t0).toFixed(0), 'ms');
}
