import ExcelJS from 'exceljs';
import { readRows } from '../src/modules/imports/file-formats.ts';
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('客户');
ws.addRow(['Name', 'Mobile', 'Birthday', 'Age', 'Kind', 'Tags']);
ws.addRow(['Ana López', 13600000001, new Date(Date.UTC(1988, 10, 23)), 36, 'persona', 'a, b']);
ws.addRow([{ richText: [{ text: '深圳' }, { text: '某某科技有限公司' }] }, '13600000002', '2001年1月2日', null, '公司', null]);
const data = new Uint8Array(await wb.xlsx.writeBuffer());
try { for await (const r of readRows(data, 'xlsx')) console.log(r); } catch (e) { console.log('ERR', (e as Error).message); }
