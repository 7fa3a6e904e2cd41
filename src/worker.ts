import type { Services } from './kept.ts';
import { type Config, loadConfig } from './platform/config/config.ts';
import type { Db } from './platform/db/db.ts';
import { Worker } from './platform/jobs/worker.ts';
import { holidayCheck, importResume, openKept } from './runtime.ts';

/**
 * The standalone worker's loop: timers, events, audit sealing, the hourly holiday check and, every minute, the
 * imports whose process died (as `kept serve` does).
 */
export function makeStandaloneWorker(
  db: Db,
  services: Services,
  config: Pick<Config, 'timerPollMs' | 'retentionDays' | 'timerBatch'>,
  workerId: string,
  say: (m: string) => void = () => undefined,
) {
  return new Worker(db, {
    pollMs: config.timerPollMs,
    retentionDays: config.retentionDays,
    batch: config.timerBatch,
    workerId,
    onError: (err) => process.stderr.write(`[kept worker] ${String(err)}\n`),
    periodic: [holidayCheck(services), importResume(services, (m) => say(`[kept] ${m}`))],
  });
}

/**
 * `kept worker`: runs the timer worker alone (SLA warnings and breaches, delayed automations, cadence steps,
 * promise deadlines, email and webhook deliveries, interrupted imports). Several workers may run against one
 * PostgreSQL server; each due timer fires once, each interrupted import is resumed by one of them. Timers live
 * in the database, so a restart loses none.
 */
export async function runWorker(opts: { workerId?: string } = {}) {
  const config = loadConfig();
  const { db, services } = await openKept(config);
  const workerId = opts.workerId ?? `worker-${process.pid}`;
  const worker = makeStandaloneWorker(db, services, config, workerId, (m) => process.stdout.write(`${m}\n`));
  worker.start();
  process.stdout.write(`[kept] worker ${workerId} running (${db.kind})\n`);
  const stop = async () => {
    await worker.stop();
    // Running imports stop after their current batch and stay resumable by another process.
    await services.imports.imports.shutdown();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
