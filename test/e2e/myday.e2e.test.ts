/**
 * End-to-end: My day in the browser. An overdue task is created for the demo agent through the API; the agent
 * signs in, lands on 我的一天 with that task first among the overdue items, completes it with an outcome (the
 * modal refuses an empty one), and the task leaves the overdue list.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_DIST = path.join(ROOT, 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'demo-pass-123';
const SERVER_START_TIMEOUT_MS = 180_000;

let server: ChildProcess | undefined;
let serverLog = '';
let context: BrowserContext | undefined;
let page: Page;
let baseUrl = '';
const tmpDirs: string[] = [];

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

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) {
      throw new Error(
        `Kept server exited with code ${server.exitCode} before becoming healthy:\n${serverLog}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kept server did not answer /healthz within ${timeoutMs} ms:\n${serverLog}`);
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Signs in through the API and creates a task due long ago for that user. */
async function createOverdueTask(email: string, title: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ title, dueAt: '2020-01-06T02:00:00Z', urgent: true, important: true }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

describe('My day in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      throw new Error(
        `web/dist/index.html is missing: run \`npm run build:web\` before the e2e tests (looked in ${WEB_DIST})`,
      );
    }
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-e2e-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-e2e-profile-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        KEPT_DATA_DIR: dataDir,
        KEPT_WEB_DIST: WEB_DIST,
        KEPT_DEMO: '1',
        KEPT_DEMO_PASSWORD: PASSWORD,
        KEPT_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      serverLog = (serverLog + chunk.toString()).slice(-20_000);
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    await waitForHealth(baseUrl, SERVER_START_TIMEOUT_MS);
    context = await chromium.launchPersistentContext(profileDir, {
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
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await stopServer();
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lands on My day with the overdue task first and completes it with an outcome', async () => {
    const title = `回电确认退款 ${Date.now()}`;
    const taskId = await createOverdueTask('agent@demo.kept', title);

    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('邮箱').fill('agent@demo.kept');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/my-day$/);
    await page.getByTestId('myday-title').getByText('我的一天').waitFor();

    const overdue = page.getByTestId('overdue-list');
    const first = overdue.getByTestId('myday-item').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-item-id'), taskId, 'the overdue task is the first item');
    assert.match((await first.textContent()) ?? '', new RegExp(title));
    const sections = await page
      .locator('[data-testid^="myday-"][data-testid$="overdue"], [data-testid="myday-today"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.equal(sections[0], 'myday-overdue', 'overdue comes before today');
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'myday.png'), fullPage: true });

    await first.getByTestId('complete-task').click();
    await page.getByTestId('close-item-ok').click();
    const explain = page.locator('.ant-modal .ant-form-item-explain-error');
    await explain.first().waitFor();
    assert.match((await explain.first().textContent()) ?? '', /结果/);
    await page.getByTestId('close-item-text').fill('已回电，客户同意退款方案');
    await page.getByTestId('close-item-ok').click();
    await page.locator(`[data-item-id="${taskId}"]`).waitFor({ state: 'detached' });
    assert.equal(
      await page.locator(`[data-item-id="${taskId}"]`).count(),
      0,
      'the completed task left My day',
    );

    await page.getByTestId('myday-view').getByText('四象限').click();
    await page.getByTestId('myday-quadrants').waitFor();
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'myday-quadrants.png'), fullPage: true });
  });
});
