/**
 * End-to-end: the real server (with the demo organization) and the built web app in headless Chromium.
 * An agent signs in on the Chinese login page, creates a customer through the form (first with an invalid
 * mobile, which must be reported inline next to the field), and finds the new customer in the list.
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

/** A name nobody else has, in Chinese characters (so the full-text search is exercised on Chinese). */
function uniqueChineseName(): string {
  const digits = '零一二三四五六七八九';
  const n = String(Date.now() % 100_000_000).padStart(8, '0');
  return `测试客户${[...n].map((d) => digits[Number(d)]).join('')}`;
}

function uniqueMobile(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

describe('customers in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      throw new Error(
        `web/dist/index.html is missing: run \`npm run build:web\` before the e2e tests (looked in ${WEB_DIST})`,
      );
    }
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
    }
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

  it('signs in on a Chinese login page, validates, creates and finds a customer', async () => {
    // Unauthenticated visit → the login page, in Chinese by default.
    await page.goto(`${baseUrl}/customers`);
    await page.waitForURL(/\/login/);
    await page.locator('button[type="submit"]').waitFor();
    const loginText = (await page.locator('body').textContent()) ?? '';
    assert.match(loginText, /登\s*录/, 'login page shows 登录');
    assert.match(loginText, /邮箱/, 'login page labels the e-mail field in Chinese');
    assert.equal(await page.title(), 'Kept');

    await page.getByLabel('邮箱').fill('agent@demo.kept');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('customer-table').waitFor();
    await page.getByTestId('current-user').getByText('客服 李娜').waitFor();

    // Create: an invalid mobile comes back from the server as an inline error on the mobile field.
    const name = uniqueChineseName();
    await page.getByTestId('new-customer').click();
    await page.getByTestId('customer-name').fill(name);
    await page.getByTestId('customer-mobile').fill('1234');
    await page.getByTestId('customer-save').click();
    const mobileItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('customer-mobile') });
    const mobileError = mobileItem.locator('.ant-form-item-explain-error');
    await mobileError.first().waitFor();
    assert.ok(
      ((await mobileError.first().textContent()) ?? '').trim().length > 0,
      'the mobile field shows an error message',
    );

    // Correct it and save: the app opens the new customer's page.
    const mobile = uniqueMobile();
    await page.getByTestId('customer-mobile').fill(mobile);
    await page.getByTestId('customer-save').click();
    await page.waitForURL(/\/customers\/[^/]+$/);
    await page.getByTestId('customer-title').getByText(name).waitFor();

    // The list finds it by its Chinese name.
    await page.goto(`${baseUrl}/customers`);
    await page.getByTestId('customer-table').waitFor();
    const search = page.getByTestId('customer-search').locator('input');
    await search.fill(name);
    await search.press('Enter');
    const row = page.getByTestId('customer-table').locator('tbody tr').filter({ hasText: name });
    await row.first().waitFor();
    assert.equal(await row.count(), 1, 'exactly one row for the new customer');

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'customers.png'), fullPage: true });
  });
});
