/**
 * Shared set-up of the browser tests: a real Kept server (`kept serve` with the demo organization, on a free
 * port and a fresh data directory) serving the built web app, and headless Debian Chromium driven by
 * playwright-core. Needs `npm run build:web` first; CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(ROOT, 'web', 'dist');
export const PASSWORD = 'demo-pass-123';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SERVER_START_TIMEOUT_MS = 180_000;

export interface KeptBrowser {
  baseUrl: string;
  page: Page;
  context: BrowserContext;
  /** The server's recent output, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(server: ChildProcess, url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`Kept server exited with code ${server.exitCode} before becoming healthy:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kept server did not answer /healthz within ${SERVER_START_TIMEOUT_MS} ms:\n${log()}`);
}

export async function startKeptInBrowser(): Promise<KeptBrowser> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(
      `web/dist/index.html is missing: run \`npm run build:web\` before the e2e tests (looked in ${WEB_DIST})`,
    );
  }
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-e2e-data-'));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-e2e-profile-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    KEPT_DATA_DIR: dataDir,
    KEPT_WEB_DIST: WEB_DIST,
    KEPT_DEMO: '1',
    KEPT_DEMO_PASSWORD: PASSWORD,
    KEPT_LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverLog = '';
  const keep = (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const log = () => serverLog;
  const stopServer = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const cleanup = () => {
    for (const dir of [dataDir, profileDir]) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(server, baseUrl, log);
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    return {
      baseUrl,
      page,
      context,
      log,
      stop: async () => {
        await context.close().catch(() => undefined);
        await stopServer();
        cleanup();
      },
    };
  } catch (err) {
    await stopServer();
    cleanup();
    throw err;
  }
}
