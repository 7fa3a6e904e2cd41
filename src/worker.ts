import { loadConfig } from './platform/config/config.ts';
import { Worker } from './platform/jobs/worker.ts';
import { holidayCheck, openKept } from './runtime.ts';

/**
 * `kept worker`: runs the timer worker alone (SLA warnings and breaches, delayed automations, cadence steps,
 * promise deadlines, email and webhook deliveries). Several workers may run against one PostgreSQL server;
 * each due timer fires once. Timers live in the database, so a restart loses none.
 */
export async function runWorker(opts: { workerId?: string } = {}) {
  const config = loadConfig();
  const { db, services } = await openKept(config);
  const workerId = opts.workerId ?? `worker-${process.pid}`;
  const worker = new Worker(db, {
    pollMs: config.timerPollMs,
    retentionDays: config.retentionDays,
    batch: config.timerBatch,
    workerId,
    onError: (err) => process.stderr.write(`[kept worker] ${String(err)}\n`),
    periodic: [holidayCheck(services)],
  });
  worker.start();
  process.stdout.write(`[kept] worker ${workerId} running (${db.kind})\n`);
  const stop = async () => {
    await worker.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
