// Command-line options shared by the benchmarks: `npm run bench -- <name> [--option value]…`. Each option can
// also come from the environment (BENCH_<NAME>), so every benchmark runs at a small scale for a quick check:
//   npm run bench -- api --customers 5000 --seconds 3
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** PostgreSQL server; each benchmark creates (and drops) its own database on it. */
  databaseUrl: string;
  /** api: customers loaded for the list/search figures. */
  customers: number;
  /** api: seconds of load per measured figure. */
  seconds: number;
  /** sla: open SLA clocks in the database. */
  clocks: number;
  /** sla: breaches fired in each phase (1 worker, then 4 workers). */
  due: number;
  /** import: rows in the generated XLSX file. */
  rows: number;
  /** free arguments after the benchmark name (sla: [clocks] [due], as before). */
  positionals: string[];
}

const DEFAULTS = { customers: 200_000, seconds: 10, clocks: 1_000_000, due: 10_000, rows: 100_000 };

function count(name: keyof typeof DEFAULTS, raw: string | undefined): number {
  if (raw === undefined) return DEFAULTS[name];
  const n = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not "${raw}"`);
  return name === 'seconds' ? n : Math.round(n);
}

export function parseBenchOptions(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      customers: { type: 'string' },
      seconds: { type: 'string' },
      clocks: { type: 'string' },
      due: { type: 'string' },
      rows: { type: 'string' },
    },
  });
  const pick = (k: keyof typeof DEFAULTS) => count(k, values[k] ?? env[`BENCH_${k.toUpperCase()}`]);
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    customers: pick('customers'),
    seconds: pick('seconds'),
    clocks: pick('clocks'),
    due: pick('due'),
    rows: pick('rows'),
    positionals,
  };
}

export const TARGET_SCALE = DEFAULTS;
