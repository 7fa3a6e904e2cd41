// `npm run bench -- <name> [args]`: runs a benchmark and prints its figures.
import { benchSlaClocks } from './sla-clocks.ts';

const [name = 'sla', ...args] = process.argv.slice(2);
if (name !== 'sla') {
  console.error(`unknown benchmark "${name}"; available: sla`);
  process.exit(2);
}
const figures = await benchSlaClocks(args[0] ? Number(args[0]) : undefined, args[1] ? Number(args[1]) : undefined);
console.log('\nSLA clocks benchmark (PostgreSQL)');
for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
