import { buildApp } from './kept.ts';
import { backfillSearchTokens, searchBackfillLog } from './modules/customers/index.ts';
import { DEMO_USERS, demoPassword, seedDemoCustomers, seedDemoOrg } from './modules/demo/index.ts';
import { loadConfig } from './platform/config/config.ts';
import { Worker } from './platform/jobs/worker.ts';
import { holidayCheck, importResume, openKept } from './runtime.ts';

/**
 * `kept serve`: migrate, create the demo organization on an empty database (unless KEPT_DEMO=0), and serve the
 * API and the web app on PORT.
 */
export async function serve() {
  const config = loadConfig();
  const started = Date.now();
  const say = (m: string) => process.stdout.write(`${m}\n`);
  const { db, services } = await openKept(config, (m) => say(`[kept] ${m}`));
  say(
    `[kept] database: ${db.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`,
  );

  let demo: { password: string; generated: boolean } | undefined;
  let demoOrgId: string | undefined;
  if (config.demo && (await services.identity.listOrgs()).length === 0) {
    demo = demoPassword(config.demoPassword);
    say('[kept] empty database: creating the demo organization 示例公司');
    demoOrgId = (await seedDemoOrg(services, demo.password)).orgId;
  }

  const app = await buildApp(services, config);
  const worker = config.worker
    ? new Worker(db, {
        pollMs: config.timerPollMs,
        retentionDays: config.retentionDays,
        batch: db.kind === 'pglite' ? Math.min(config.timerBatch, 100) : config.timerBatch,
        onError: (err) => app.log.error({ err }, 'timer sweep failed'),
        periodic: [holidayCheck(services)],
      })
    : null;
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  say(
    `\n  Kept is running:  http://localhost:${port}/   (API docs: http://localhost:${port}/api/docs)  [${Date.now() - started} ms]`,
  );
  if (demo) {
    say('\n  Demo organization 示例公司 — sign in with:');
    for (const u of DEMO_USERS) say(`    ${u.email.padEnd(22)} ${u.roleKey}`);
    say(
      `  Password for all demo users: ${demo.password}${demo.generated ? '   (set KEPT_DEMO_PASSWORD to choose it; it is shown only now)' : ''}\n`,
    );
  }

  worker?.start();
  // Imports are durable jobs: those whose process died (a restart, a crash) are resumed where they stopped.
  const importSweepJob = importResume(services, (m) => say(`[kept] ${m}`));
  const resumeImports = () =>
    importSweepJob.run().catch((err) => app.log.error({ err }, 'resuming imports failed'));
  void resumeImports();
  const importSweep = setInterval(resumeImports, importSweepJob.everyMs);
  importSweep.unref();
  // Data backfills after the migrations, while the doors are open (customers are found by words meanwhile).
  backfillSearchTokens(db, { onProgress: searchBackfillLog((m) => say(`[kept] ${m}`)) }).catch((err) =>
    app.log.error({ err }, 'search token backfill failed'),
  );
  if (demoOrgId) {
    // The demo customers are created after the doors open, so the first start answers within seconds.
    let last = 0;
    seedDemoCustomers(services, demoOrgId, {
      onProgress: (done, total) => {
        if (done - last >= 50 || done === total) {
          last = done;
          say(`[kept] demo customers ${done}/${total}${done === total ? ' — demo ready' : ''}`);
        }
      },
    }).catch((err) => app.log.error({ err }, 'demo seeding failed'));
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`[kept] ${signal}: shutting down`);
    clearInterval(importSweep);
    await worker?.stop().catch(() => undefined);
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  return { app, db, port };
}
