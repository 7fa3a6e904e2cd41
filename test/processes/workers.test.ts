import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { ProcessDefinitionInput } from '../../src/modules/processes/index.ts';
import { sweepDueTimers } from '../../src/platform/jobs/timers.ts';
import { as, buildOrg, makeTestApp, onPostgres, type TestApp, type TestOrg } from '../harness.ts';

/**
 * Durable timers under concurrency: many SLA clocks breach at once while 4 workers sweep, and one worker dies
 * in the middle of its batch. Every escalation must happen exactly once. On PostgreSQL the workers are real
 * processes and one is killed with SIGKILL; on embedded PGlite (one process by design) the 4 workers sweep
 * concurrently in-process and the "killed" one aborts its transaction after running its handlers.
 */
const INSTANCES = 60;
const definition: ProcessDefinitionInput = {
  key: 'escalation_drill',
  name: 'Escalation drill',
  recordType: 'customer',
  initial: 'open',
  states: [
    { key: 'open', name: 'open' },
    { key: 'done', name: 'done', final: true },
  ],
  transitions: [{ key: 'finish', name: 'finish', from: ['open'], to: 'done' }],
  slas: [
    {
      key: 'response',
      name: 'response',
      start: { event: 'start' },
      stop: { enter: ['done'] },
      target: { workingHours: 1 },
      onBreach: [
        { type: 'escalate', reassignTo: 'supervisor', raisePriority: true },
        {
          type: 'create_task',
          title: 'escalated {{record.name}}',
          assignee: 'supervisor',
          kind: 'escalation',
        },
      ],
    },
  ],
};

let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  const admin = await a.token('admin');
  assert.equal(
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/processes',
        headers: as(admin),
        payload: definition,
      })
    ).statusCode,
    201,
  );
  assert.equal(
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/processes/escalation_drill/publish',
        headers: as(admin),
      })
    ).statusCode,
    200,
  );
  const ctx = await a.ctx('agent');
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(await a.token('agent')),
    payload: { kind: 'person', name: '演练客户' },
  });
  for (let i = 0; i < INSTANCES; i++) {
    await t.db.transaction((tx) =>
      t.services.processes.engine.start(tx, ctx, {
        definitionKey: 'escalation_drill',
        recordType: 'customer',
        recordId: c.json().id,
        at: new Date('2026-09-30T09:00:00+08:00'),
      }),
    );
  }
});
after(() => t.close());

const NOW = '2026-09-30T03:00:00Z'; // 11:00 in Shanghai: every clock (due 10:00) has breached

async function outcome() {
  const q = async (sql: string) => (await t.db.query<{ n: number }>(sql, [a.orgId])).rows[0].n;
  return {
    escalations: await q(
      "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'process.escalate'",
    ),
    tasks: await q("SELECT count(*)::int AS n FROM tasks WHERE org_id = $1 AND kind = 'escalation'"),
    breached: await q(
      "SELECT count(*)::int AS n FROM sla_clocks WHERE org_id = $1 AND status = 'breached_running'",
    ),
    pending: await q(
      "SELECT count(*)::int AS n FROM timers WHERE org_id = $1 AND kind = 'sla.breach' AND status = 'pending'",
    ),
    distinctWorkers: await q(
      "SELECT count(DISTINCT fired_by)::int AS n FROM timers WHERE org_id = $1 AND kind = 'sla.breach'",
    ),
  };
}

test(`${INSTANCES} simultaneous breaches, 4 workers, one killed mid-run: each escalation exactly once`, async () => {
  if (onPostgres) {
    const workers = [0, 1, 2, 3].map((i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/sweep-worker.ts'], {
        env: {
          ...process.env,
          WORKER_DB_URL: t.url,
          WORKER_NOW: NOW,
          WORKER_SLOW_MS: '40',
          WORKER_ID: `w${i}`,
        },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, exited, out: () => out };
    });
    // Kill worker 0 while it holds a batch: after its first completed batch, during the next one.
    const victim = workers[0];
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (/fired [1-9]/.test(victim.out())) {
          clearInterval(timer);
          setTimeout(() => {
            victim.child.kill('SIGKILL');
            resolve();
          }, 60);
        } else if (Date.now() - started > 60_000) {
          clearInterval(timer);
          reject(new Error(`worker 0 never fired:\n${victim.out()}`));
        }
      }, 10);
    });
    const codes = await Promise.all(workers.map((w) => w.exited));
    assert.equal(codes[0], null, 'worker 0 was killed');
    for (const [i, code] of codes.slice(1).entries()) assert.equal(code, 0, workers[i + 1].out());
  } else {
    let crashed = false;
    const sweeper =
      (id: string, crash = false) =>
      async () => {
        for (let idle = 0; idle < 2; ) {
          const r = await sweepDueTimers(t.db, {
            now: new Date(NOW),
            batch: 5,
            workerId: id,
            onFire: () => new Promise((resolve) => setImmediate(resolve)),
            beforeCommit: async () => {
              if (crash && !crashed) {
                crashed = true;
                throw new Error('worker killed');
              }
            },
          }).catch((err: Error) => {
            if (err.message !== 'worker killed') throw err;
            return { claimed: 1, fired: 0, failed: 0 };
          });
          idle = r.claimed === 0 ? idle + 1 : 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
    await Promise.all([sweeper('w0', true)(), sweeper('w1')(), sweeper('w2')(), sweeper('w3')()]);
    assert.equal(crashed, true, 'one worker died with its batch uncommitted');
  }
  // A restarted worker picks up whatever a dead one left behind; then everything is done.
  await sweepDueTimers(t.db, { now: new Date(NOW), batch: 500, workerId: 'restart' });
  const o = await outcome();
  assert.deepEqual(
    { escalations: o.escalations, tasks: o.tasks, breached: o.breached, pending: o.pending },
    { escalations: INSTANCES, tasks: INSTANCES, breached: INSTANCES, pending: 0 },
  );
  assert.ok(o.distinctWorkers >= 2, `work was shared between workers (${o.distinctWorkers})`);
  const again = await sweepDueTimers(t.db, { now: new Date('2026-10-30T00:00:00Z'), batch: 500 });
  assert.equal(again.fired, 0, 'nothing fires twice');
});
