import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { AppError } from '../../platform/http/errors.ts';
import { cleanCell, isTotalsRow } from './cells.ts';

/** exceljs, loaded on the first spreadsheet (it is heavy to load, and most processes never read or write one). */
let excelModule: typeof ExcelJS | undefined;
const excel = (): typeof ExcelJS => {
  excelModule ??= createRequire(import.meta.url)('exceljs') as typeof ExcelJS;
  return excelModule;
};

/**
 * Reading and writing the spreadsheets people exchange: CSV (UTF-8 with or without BOM, or GBK/GB18030 as
 * saved by Excel on a Chinese Windows) and XLSX. Rows are streamed: neither format is turned into one big
 * array, so a 50 MB file costs a pass, not a copy per row.
 */

export type FileFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** The row number a person sees in Excel, or the CSV line the row starts on. */
  rowNumber: number;
  cells: string[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls

const startsWith = (data: Uint8Array, magic: number[]) => magic.every((b, i) => data[i] === b);

/** The format of an upload, from its name and its first bytes. Anything else is 422 unsupported_file. */
export function detectFormat(fileName: string, data: Uint8Array): FileFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (!data.length) throw new AppError('unsupported_file');
  if (startsWith(data, ZIP_MAGIC)) {
    if (ext === undefined || ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
    throw new AppError('unsupported_file');
  }
  if (startsWith(data, OLE_MAGIC) || data.subarray(0, 4096).includes(0))
    throw new AppError('unsupported_file');
  if (ext === undefined || ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  throw new AppError('unsupported_file');
}

/** UTF-8 when the bytes are valid UTF-8, otherwise GB18030 (a superset of GBK and GB2312). */
export function detectEncoding(data: Uint8Array): 'utf-8' | 'gb18030' {
  return isUtf8(data) ? 'utf-8' : 'gb18030';
}

/** Decodes in chunks; TextDecoder drops a leading BOM. */
async function* decodeChunks(data: Uint8Array, chunkSize = 256 * 1024): AsyncGenerator<string> {
  const decoder = new TextDecoder(detectEncoding(data));
  for (let i = 0; i < data.length; i += chunkSize) {
    yield decoder.decode(data.subarray(i, i + chunkSize), { stream: i + chunkSize < data.length });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Comma, semicolon (Excel in Spanish) or tab: whichever appears most in the first line, outside quotes. */
export function sniffDelimiter(firstChunk: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstChunk) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ',';
}

async function* csvRows(data: Uint8Array): AsyncGenerator<SheetRow> {
  const chunks = decodeChunks(data);
  const first = await chunks.next();
  if (first.done) return;
  const source = Readable.from(
    (async function* () {
      yield first.value;
      yield* chunks;
    })(),
  );
  const parser = source.pipe(
    parse({
      delimiter: sniffDelimiter(first.value),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }),
  );
  try {
    let lastLine = 0; // a record ends on info.lines; the next starts on the line after (quoted cells span lines)
    for await (const rec of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; records: number };
    }>) {
      yield { rowNumber: lastLine + 1, cells: rec.record };
      lastLine = rec.info.lines;
    }
  } catch (err) {
    if (
      err &&
      typeof err === 'object' &&
      'code' in err &&
      String((err as { code: unknown }).code).startsWith('CSV_')
    ) {
      throw new AppError('unsupported_file');
    }
    throw err;
  } finally {
    source.destroy();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One XLSX cell as the text a person sees; dates (Excel stores them as UTC) as YYYY-MM-DD. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const time =
      v.getUTCHours() || v.getUTCMinutes() ? ` ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}` : '';
    return date + time;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const { result, formula } = v as { result?: ExcelJS.CellValue; formula?: string };
      if (result !== undefined && result !== null) return cellText(result);
      // No cached result (a file written by a program, not Excel): ="…" and HYPERLINK("…","text") read as text.
      return typeof formula === 'string' ? cleanCell(`=${formula}`).replace(/^=.*/, '') : '';
    }
    if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text);
    if ('error' in v) return '';
  }
  return String(v);
}

const XML_PARTS = /^xl\/(worksheets\/[^/]+|sharedStrings)\.xml$/;

/**
 * exceljs's streaming reader decodes each inflated chunk of the sheet XML on its own, so a Chinese character
 * split across two chunks comes out as U+FFFD (about one row in a few thousand of a real file). Its XML parts are
 * rewritten here with every non-ASCII character as a character reference (&#x738B;): chunk edges then fall
 * between ASCII bytes, and the XML parser gives back the same text.
 */
export function asciiXlsx(data: Uint8Array): Uint8Array {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data);
  } catch {
    throw new AppError('unsupported_file');
  }
  const decoder = new TextDecoder('utf-8');
  const encoder = new TextEncoder();
  for (const [name, bytes] of Object.entries(files)) {
    if (!XML_PARTS.test(name)) continue;
    const xml = decoder.decode(bytes);
    if (!/[^\p{ASCII}]/u.test(xml)) continue;
    files[name] = encoder.encode(
      xml.replace(/[^\p{ASCII}]/gu, (ch) => `&#x${ch.codePointAt(0)!.toString(16)};`),
    );
  }
  // Worksheets last: the reader then knows the workbook, styles and shared strings when it meets them and parses
  // them as they stream (otherwise it parks them in temporary files first).
  const ordered: Record<string, Uint8Array> = {};
  const names = Object.keys(files);
  for (const name of names) if (!name.startsWith('xl/worksheets/')) ordered[name] = files[name];
  for (const name of names) if (name.startsWith('xl/worksheets/')) ordered[name] = files[name];
  return zipSync(ordered, { level: 0 });
}

async function* xlsxRows(data: Uint8Array): AsyncGenerator<SheetRow> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(Readable.from([Buffer.from(asciiXlsx(data))]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell a date from a number
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] as ExcelJS.CellValue));
        yield { rowNumber: row.number, cells };
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('unsupported_file');
  }
}

/** How stored import data is read: the original file, or the rows an upload already read ('rows', JSON lines). */
export type DataFormat = FileFormat | 'rows';

function* storedRows(data: Uint8Array): Generator<SheetRow> {
  const text = new TextDecoder('utf-8').decode(data);
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const [rowNumber, ...cells] = JSON.parse(text.slice(start, end)) as [number, ...string[]];
      yield { rowNumber, cells };
    }
    start = end + 1;
  }
}

function rawRows(data: Uint8Array, format: DataFormat): AsyncIterable<SheetRow> | Iterable<SheetRow> {
  return format === 'rows' ? storedRows(data) : format === 'csv' ? csvRows(data) : xlsxRows(data);
}

/** Every non-empty row of the file, the header included. Malformed files raise 422 unsupported_file. */
export async function* readRows(data: Uint8Array, format: DataFormat): AsyncGenerator<SheetRow> {
  for await (const r of rawRows(data, format)) {
    if (r.cells.some((c) => c.trim() !== '')) yield r;
  }
}

/** Header names made unique and non-empty: '', '姓名', '姓名' → 'Column 1', '姓名', '姓名 (2)'. */
export function uniqueColumns(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** A row the import leaves out: a title above the header, a totals line (合计) or a blank line among the data. */
export interface SkippedLine {
  row: number;
  reason: 'title' | 'totals' | 'blank';
  text: string;
}

const HEADER_WINDOW = 30;
const SKIPPED_LISTED = 100;

/**
 * The header is the first row that looks like one: among the first rows, the first naming two fields (by
 * `score`), else the first naming one, else the first with two filled cells, else the first row. Rows above it
 * (titles, merged cells, an export date) are skipped and named.
 */
export function pickHeader(rows: string[][], score: (cells: string[]) => number): number {
  const scores = rows.map(score);
  const filled = rows.map((r) => r.filter((c) => c.trim() !== '').length);
  const at = [
    scores.findIndex((n) => n >= 2),
    scores.findIndex((n, i) => n >= 1 && filled[i] >= 2),
    scores.findIndex((n) => n >= 1),
    filled.findIndex((n) => n >= 2),
  ].find((i) => i >= 0);
  return at ?? 0;
}

const rowText = (cells: string[]) =>
  cells
    .map((c) => c.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 200);

/**
 * Header, a few sample rows, the number of data rows and the rows skipped (one pass over the file). The data kept
 * for the run (JSON lines) holds the header and the data rows only: titles, totals and blank lines are left out.
 */
export async function inspectFile(
  data: Uint8Array,
  format: FileFormat,
  opts: { sampleSize?: number; headerScore?: (cells: string[]) => number } = {},
) {
  const sampleSize = opts.sampleSize ?? 5;
  const score = opts.headerScore ?? (() => 0);
  let columns: string[] | null = null;
  let headerRow = 0;
  const sampleRows: string[][] = [];
  let totalRows = 0;
  const skipped: SkippedLine[] = [];
  let skippedRows = 0;
  let blanks: number[] = []; // blank lines count once a data row follows them (trailing ones are no lines)
  const lines: string[] = [];
  const skip = (line: SkippedLine) => {
    skippedRows++;
    if (skipped.length < SKIPPED_LISTED) skipped.push(line);
  };
  const take = (r: SheetRow) => {
    if (!r.cells.some((c) => c.trim() !== '')) {
      blanks.push(r.rowNumber);
      return;
    }
    if (isTotalsRow(r.cells)) {
      skip({ row: r.rowNumber, reason: 'totals', text: rowText(r.cells) });
      return;
    }
    for (const b of blanks) skip({ row: b, reason: 'blank', text: '' });
    blanks = [];
    lines.push(JSON.stringify([r.rowNumber, ...r.cells]));
    totalRows++;
    if (sampleRows.length < sampleSize) sampleRows.push(columns!.map((_, i) => cleanCell(r.cells[i] ?? '')));
  };
  const head: SheetRow[] = [];
  const decide = () => {
    const filled = head.filter((r) => r.cells.some((c) => c.trim() !== ''));
    if (!filled.length) return;
    const at = pickHeader(
      filled.map((r) => r.cells),
      score,
    );
    const header = filled[at];
    columns = uniqueColumns(header.cells.map((c) => cleanCell(c)));
    headerRow = header.rowNumber;
    for (const r of filled.slice(0, at)) skip({ row: r.rowNumber, reason: 'title', text: rowText(r.cells) });
    lines.push(JSON.stringify([header.rowNumber, ...header.cells]));
    for (const r of head) if (r.rowNumber > header.rowNumber) take(r);
  };
  for await (const r of rawRows(data, format)) {
    if (columns) {
      take(r);
      continue;
    }
    head.push(r);
    if (head.filter((x) => x.cells.some((c) => c.trim() !== '')).length >= HEADER_WINDOW) decide();
  }
  if (!columns) decide();
  if (!columns) throw new AppError('unsupported_file');
  return {
    columns: columns as string[],
    headerRow,
    sampleRows,
    totalRows,
    skipped,
    skippedRows,
    rows: new TextEncoder().encode(lines.join('\n')),
  };
}

/** Cells that a spreadsheet would run as a formula (CSV/formula injection) get a leading apostrophe. */
export function escapeFormula(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export type OutCell = string | number | null;

/** A streaming table writer: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX. */
export interface TableWriter {
  row(cells: OutCell[]): Promise<void>;
  end(): Promise<void>;
}

const safe = (c: OutCell) => (typeof c === 'string' ? escapeFormula(c) : c);

export function tableWriter(format: FileFormat, out: Writable, sheetName = 'Sheet1'): TableWriter {
  if (format === 'csv') {
    out.write('\ufeff');
    const csv = stringify({ record_delimiter: '\r\n' });
    csv.pipe(out);
    return {
      async row(cells) {
        if (!csv.write(cells.map((c) => (c === null ? '' : safe(c)))))
          await new Promise((r) => csv.once('drain', r));
      },
      end: () =>
        new Promise<void>((resolve, reject) => {
          out.once('finish', resolve);
          out.once('error', reject);
          csv.end();
        }),
    };
  }
  const wb = new (excel().stream.xlsx.WorkbookWriter)({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet(sheetName);
  return {
    async row(cells) {
      ws.addRow(cells.map(safe)).commit();
    },
    async end() {
      const finished = new Promise<void>((resolve, reject) => {
        out.once('finish', resolve);
        out.once('error', reject);
      });
      ws.commit();
      await wb.commit();
      await finished;
    },
  };
}

/** Collects a writer's output in memory (tests, small reports). */
export function memorySink(): { stream: PassThrough; done: Promise<Buffer> } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
  return { stream, done };
}
