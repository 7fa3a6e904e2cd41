// Printing the figures: one table per benchmark, and the summary beside the targets. Figures only: nothing
// here decides whether a run passes.
import type { ApiFigures } from './api.ts';
import type { ImportFigures } from './import.ts';
import { fmt, type LoadResult } from './load.ts';
import { TARGET_SCALE } from './options.ts';
import type { SlaFigures } from './sla-clocks.ts';

/** A plain-text table (Markdown, so it pastes into the README). */
export function table(head: string[], rows: string[][]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(width[i])).join(' | ')} |`;
  return [line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const n = (v: number) => Math.round(v).toLocaleString('en');
const failed = (r: LoadResult) => (r.failed ? ` (${n(r.failed)} failed)` : '');

export function apiReport(f: ApiFigures): string {
  const rows = f.pairs.map((p) => [
    p.op,
    String(p.connections),
    fmt.rps(p.ceiling) + failed(p.ceiling),
    fmt.ms(p.ceiling.p50),
    fmt.ms(p.ceiling.p99),
    fmt.rps(p.kept) + failed(p.kept),
    fmt.ms(p.kept.p50),
    fmt.ms(p.kept.p99),
    fmt.pct(p.kept.rps / p.ceiling.rps),
  ]);
  const s = f.atScale;
  const scaleRows = [
    ['default list page (50)', s.list],
    ['search: Chinese name fragment', s.searchName],
    ['search: last 4 digits of a mobile', s.searchMobileEnd],
  ].map(([label, r]) => [
    label as string,
    fmt.rps(r as LoadResult) + failed(r as LoadResult),
    fmt.ms((r as LoadResult).p50),
    fmt.ms((r as LoadResult).p99),
  ]);
  const notes: string[] = [];
  const note = (label: string, r: LoadResult) =>
    r.failures.length && notes.push(`  ${label}: ${r.failures.join(', ')}`);
  for (const p of f.pairs) {
    note(`ceiling ${p.op} c${p.connections}`, p.ceiling);
    note(`Kept ${p.op} c${p.connections}`, p.kept);
  }
  note('Kept list at scale', f.atScale.list);
  note('Kept search (name) at scale', f.atScale.searchName);
  note('Kept search (last 4) at scale', f.atScale.searchMobileEnd);
  return [
    `API: Kept beside the ceiling (Fastify + pg + zod), ${f.seconds} s per figure`,
    table(['route', 'c', 'ceiling req/s', 'p50', 'p99', 'Kept req/s', 'p50', 'p99', 'Kept/ceiling'], rows),
    '',
    `Kept at ${n(s.customers)} customers, concurrency 16 (loaded in ${s.loadSeconds.toFixed(1)} s)`,
    table(['request', 'req/s', 'p50', 'p99'], scaleRows),
    ...(notes.length ? ['', 'Failed requests (not in the figures):', ...notes] : []),
  ].join('\n');
}

export function slaReport(f: SlaFigures): string {
  return [
    `SLA clocks: ${n(f.clocks)} open clocks (${n(f.pending)} pending timers at sweep time), created in ${f.createSeconds.toFixed(1)} s`,
    table(['due sweep', 'time'], Object.entries(f.sweep)),
    '',
    'Breaches fired by kept worker processes (each: clock marked breached, escalation, task, audit events)',
    table(
      ['workers', 'breaches', 'escalations', 'seconds', 'breaches/s'],
      f.phases.map((p) => [
        String(p.workers),
        n(p.fired),
        n(p.escalations),
        p.seconds.toFixed(1),
        n(p.perSecond),
      ]),
    ),
  ].join('\n');
}

export function importReport(f: ImportFigures): string {
  return [
    `XLSX import: ${n(f.rows)} rows (${f.fileMb.toFixed(1)} MB, written in ${f.generateSeconds.toFixed(1)} s)`,
    table(
      ['upload (read, inspect)', 'import run', 'total', 'rows/s', 'created', 'updated', 'errors'],
      [
        [
          `${f.uploadSeconds.toFixed(1)} s`,
          `${f.runSeconds.toFixed(1)} s`,
          `${f.totalSeconds.toFixed(1)} s`,
          n(f.rowsPerSecond),
          n(f.created),
          n(f.updated),
          n(f.errors),
        ],
      ],
    ),
  ].join('\n');
}

export interface AllFigures {
  api?: ApiFigures;
  sla?: SlaFigures;
  import?: ImportFigures;
}

/** The figures beside their targets. "met" says whether a figure reached its target, at the target's scale. */
export function summaryReport(all: AllFigures): string {
  const rows: string[][] = [];
  const met = (ok: boolean, atScale = true) => (atScale ? (ok ? 'yes' : 'no') : 'n/a (smaller scale)');
  const pair = (op: string) => all.api?.pairs.find((p) => p.op === op && p.connections === 16);
  for (const [op, target] of [
    ['create', 0.5],
    ['get', 0.6],
  ] as const) {
    const p = pair(op);
    rows.push([
      `${op} customer at c16, Kept / same-run ceiling`,
      p ? `${fmt.pct(p.kept.rps / p.ceiling.rps)} (${fmt.rps(p.kept)} vs ${fmt.rps(p.ceiling)})` : 'not run',
      `>= ${fmt.pct(target)}`,
      p ? met(p.kept.rps / p.ceiling.rps >= target) : '',
    ]);
  }
  const one = all.sla?.phases.find((p) => p.workers === 1);
  const four = all.sla?.phases.find((p) => p.workers === 4);
  rows.push([
    'SLA breaches fired/s, 4 workers (1 worker)',
    four && one ? `${n(four.perSecond)}/s (${n(one.perSecond)}/s)` : 'not run',
    '>= 1,000/s, and more than 1 worker',
    four && one
      ? met(
          four.perSecond >= 1000 && four.perSecond > one.perSecond,
          (all.sla?.clocks ?? 0) >= TARGET_SCALE.clocks,
        )
      : '',
  ]);
  const imp = all.import;
  rows.push([
    `XLSX import, ${imp ? n(imp.rows) : '100,000'} rows`,
    imp ? `${imp.totalSeconds.toFixed(1)} s (${n(imp.rowsPerSecond)} rows/s)` : 'not run',
    `< 35 s for ${n(TARGET_SCALE.rows)}`,
    imp ? met(imp.totalSeconds < 35, imp.rows >= TARGET_SCALE.rows) : '',
  ]);
  const s = all.api?.atScale;
  const atScale = (s?.customers ?? 0) >= TARGET_SCALE.customers;
  rows.push([
    `list p99 at ${s ? n(s.customers) : '200,000'} customers, c16`,
    s ? fmt.ms(s.list.p99) : 'not run',
    '< 50 ms',
    s ? met(s.list.p99 < 50, atScale) : '',
  ]);
  rows.push([
    `search p99 at ${s ? n(s.customers) : '200,000'} customers, c16: name fragment / last 4 digits`,
    s ? `${fmt.ms(s.searchName.p99)} / ${fmt.ms(s.searchMobileEnd.p99)}` : 'not run',
    '< 100 ms',
    s ? met(Math.max(s.searchName.p99, s.searchMobileEnd.p99) < 100, atScale) : '',
  ]);
  return ['Summary', table(['figure', 'result', 'target', 'met'], rows)].join('\n');
}
