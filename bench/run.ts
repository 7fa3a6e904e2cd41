// `npm run bench -- [api|sla|import] [--customers N] [--seconds S] [--clocks N] [--due N] [--rows N]`
// Runs one benchmark, or all three and a summary beside the targets. Needs a PostgreSQL server (DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/test); each benchmark creates and drops its own database there.
// Benchmarks print figures; they never fail on a slow one.
import { benchApi } from './api.ts';
import { benchImport } from './import.ts';
import { parseBenchOptions } from './options.ts';
import { type AllFigures, apiReport, importReport, slaReport, summaryReport } from './report.ts';
import { benchSla } from './sla-clocks.ts';

const NAMES = ['api', 'sla', 'import'] as const;
type Name = (typeof NAMES)[number];

const argv = process.argv.slice(2);
const first = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
if (first && !NAMES.includes(first as Name)) {
  console.error(
    `unknown benchmark "${first}"; available: ${NAMES.join(', ')} (none: all three and a summary)`,
  );
  process.exit(2);
}
const options = parseBenchOptions(first ? argv.slice(1) : argv);
const which: Name[] = first ? [first as Name] : [...NAMES];
const figures: AllFigures = {};
let failures = 0;

for (const name of which) {
  console.log(`\n== ${name} ==`);
  try {
    if (name === 'api') {
      figures.api = await benchApi(options);
      console.log(`\n${apiReport(figures.api)}`);
    } else if (name === 'sla') {
      figures.sla = await benchSla(options);
      console.log(`\n${slaReport(figures.sla)}`);
    } else {
      figures.import = await benchImport(options);
      console.log(`\n${importReport(figures.import)}`);
    }
  } catch (err) {
    failures++;
    console.error(`${name} benchmark failed:`, err);
  }
}
if (!first) console.log(`\n${summaryReport(figures)}`);
process.exit(failures ? 1 : 0);
