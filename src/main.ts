// Entry point: `node --import tsx src/main.ts <command>` — the same program as the `kept` bin.
import { runCli } from './cli/index.ts';

runCli(process.argv).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
