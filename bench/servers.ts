// The servers under test run in processes of their own, so the load generator (this process) never shares
// their event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  /** Where it listens ('' for a worker). */
  url: string;
  stop(): Promise<void>;
}

function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  label: string,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not start within 60 s:\n${out}`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({
        url: /^\d+$/.test(m[1]) ? `http://127.0.0.1:${m[1]}` : '',
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => fail(new Error(`${label} exited (${code}) before it was ready:\n${out}`)));
  });
}

/** `kept serve` on the database, API only (no timer worker, no demo), on a free port. */
export function startKept(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  return startProcess(
    [path.join(ROOT, 'bin/kept.mjs'), 'serve'],
    {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      KEPT_DEMO: '0',
      KEPT_WORKER: '0',
      KEPT_LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    /Kept is running:\s+http:\/\/localhost:(\d+)/,
    'kept serve',
  );
}

/** The minimal Fastify + pg + zod service (bench/ceiling-server.ts) for the same org's customers. */
export function startCeiling(databaseUrl: string, orgId: string): Promise<ServerProcess> {
  return startProcess(
    ['--import', 'tsx', path.join(ROOT, 'bench/ceiling-server.ts')],
    { DATABASE_URL: databaseUrl, BENCH_ORG_ID: orgId, PORT: '0' },
    /ceiling listening on (\d+)/,
    'ceiling server',
  );
}

/** `kept worker` processes (timer workers) on the database; resolves once each says it is running. */
export async function startWorkers(
  databaseUrl: string,
  count: number,
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      startProcess(
        [path.join(ROOT, 'bin/kept.mjs'), 'worker', '--id', `bench-${i + 1}`],
        { DATABASE_URL: databaseUrl, KEPT_LOG_LEVEL: 'warn', PORT: '0', ...extraEnv },
        /worker (bench-\d+) running/,
        `kept worker ${i + 1}`,
      ),
    ),
  );
}
