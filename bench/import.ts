// `npm run bench -- import`: a customer XLSX file of --rows rows (default 100,000: Chinese names, mainland
// mobiles, addresses, e-mails, tags; written with exceljs) imported through Kept's import service, the path
// `kept import customers FILE.xlsx` takes (upload: read and inspect the file; run: batched upserts with audit).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DEFAULT_BATCH_SIZE } from '../src/modules/imports/index.ts';
import { benchOrg, progress, withBenchDatabase } from './bench-db.ts';
import { customerChunks } from './customer-data.ts';
import type { BenchOptions } from './options.ts';

export interface ImportFigures {
  rows: number;
  fileMb: number;
  generateSeconds: number;
  uploadSeconds: number;
  runSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  created: number;
  updated: number;
  errors: number;
}

const HEADERS = ['类型', '客户名称', '手机', '邮箱', '地址', '联系人', '来源渠道', '会员等级', '标签'];

/** Writes the file as a person would fill it in: 11-digit mobiles, 个人/企业, tags separated by ；. */
async function writeXlsx(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet('客户');
  ws.addRow(HEADERS).commit();
  const bar = progress('writing XLSX rows', rows);
  let done = 0;
  for (const chunk of customerChunks(rows, 4_242)) {
    for (const c of chunk) {
      ws.addRow([
        c.kind === 'company' ? '企业' : '个人',
        c.name,
        c.mobile?.replace(/^\+86/, '') ?? '',
        c.email ?? '',
        c.address ?? '',
        c.contactPerson ?? '',
        c.sourceChannel,
        c.memberLevel ?? '',
        c.tags.join('；'),
      ]).commit();
    }
    done += chunk.length;
    bar.update(done);
  }
  ws.commit();
  await wb.commit();
  bar.done();
}

export async function benchImport(o: BenchOptions): Promise<ImportFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-bench-import-'));
  const file = path.join(dir, 'customers.xlsx');
  try {
    const g0 = Date.now();
    await writeXlsx(file, o.rows);
    const generateSeconds = (Date.now() - g0) / 1000;
    const data = fs.readFileSync(file);
    return await withBenchDatabase(o.databaseUrl, async ({ services }) => {
      const { ctx } = await benchOrg(services);
      const svc = services.imports.imports;
      const t0 = Date.now();
      const up = await svc.upload(ctx, 'customers.xlsx', data);
      const uploadSeconds = (Date.now() - t0) / 1000;
      const unmapped = up.columns.filter((c) => !up.suggestedMapping[c]);
      if (unmapped.length) console.log(`  note: columns not mapped: ${unmapped.join(', ')}`);
      const bar = progress('importing rows', up.totalRows);
      const t1 = Date.now();
      const done = await svc.run(ctx, up.id, up.suggestedMapping, {
        batchSize: DEFAULT_BATCH_SIZE,
        onProgress: (p) => bar.update(p.processedRows),
      });
      bar.done();
      const runSeconds = (Date.now() - t1) / 1000;
      if (done.errorRows) {
        // The rows Kept refused, as the error report gives them (the first few).
        const chunks: Buffer[] = [];
        const out = new Writable({
          write(chunk: Buffer, _enc, next) {
            chunks.push(chunk);
            next();
          },
        });
        await (await svc.errorReport(ctx, up.id)).write(out);
        const csv = Buffer.concat(chunks).toString('utf8');
        console.log(
          `  rows refused (error report, first lines):\n${csv
            .split('\n')
            .slice(0, 4)
            .map((l) => `    ${l}`)
            .join('\n')}`,
        );
      }
      const totalSeconds = uploadSeconds + runSeconds;
      return {
        rows: up.totalRows,
        fileMb: data.length / 1e6,
        generateSeconds,
        uploadSeconds,
        runSeconds,
        totalSeconds,
        rowsPerSecond: up.totalRows / totalSeconds,
        created: done.createdRows,
        updated: done.updatedRows,
        errors: done.errorRows,
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
