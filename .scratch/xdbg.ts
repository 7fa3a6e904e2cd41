import ExcelJS from 'exceljs';
import { readRows, asciiXlsx } from '../src/modules/imports/file-formats.ts';
import { unzipSync } from 'fflate';
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('客户');
ws.addRow(['姓名', '生日', '年龄']);
ws.addRow(['张三', new Date('1990-05-03'), 33]);
ws.addRow([{ richText: [{ text: '李' }, { text: '四' }] }, '1988/5/3', 40]);
const data = new Uint8Array(await wb.xlsx.writeBuffer());
console.log(Object.keys(unzipSync(data)));
console.log(Object.keys(unzipSync(asciiXlsx(data))));
try { for await (const r of readRows(data, 'xlsx')) console.log(r); } catch (e) { console.log('ERR', e); }
