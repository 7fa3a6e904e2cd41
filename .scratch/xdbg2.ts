import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { asciiXlsx } from '../src/modules/imports/file-formats.ts';
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('客户');
ws.addRow(['Name', 'Mobile', 'Birthday', 'Age', 'Kind', 'Tags']);
ws.addRow(['Ana López', 13600000001, new Date(Date.UTC(1988, 10, 23)), 36, 'persona', 'a, b']);
ws.addRow([{ richText: [{ text: '深圳' }, { text: '某某科技有限公司' }] }, '13600000002', '2001年1月2日', null, '公司', null]);
const data = new Uint8Array(await wb.xlsx.writeBuffer());
const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(asciiXlsx(data))]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
try { for await (const sheet of reader) for await (const row of sheet) console.log(row.values); } catch (e) { console.log('ERR', e); }
