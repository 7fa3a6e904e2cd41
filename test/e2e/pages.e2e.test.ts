/**
 * End-to-end: every page of the web app against the real server, through the typed API client. The admin opens
 * each page (and a customer, a process definition) and every API call the pages make must succeed: no 4xx/5xx
 * answer (a response that no longer matches its declared schema is a 500), no uncaught error, no error alert.
 * Then the calls with special handling: the import wizard uploads a raw CSV body and imports it, the calendar
 * settings save with If-Match and the CSRF token, and signing out (a 204) returns to the login page.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { type KeptBrowser, PASSWORD, startKeptInBrowser } from './kept-browser.ts';

let kept: KeptBrowser;
let page: Page;
let baseUrl = '';
const problems: string[] = [];
const pending = new Set<Request>();

const isApi = (r: Request) => new URL(r.url()).pathname.startsWith('/api/v1/');
/** The live notification stream stays open for as long as the page does. */
const isStream = (r: Request) => r.url().includes('/notifications/stream');

/** A spinner in the page: its code still loading (the lazy route's fallback) or its data. */
const spinning = () => page.locator('.ant-layout-content .ant-spin-spinning').count();

/**
 * Waits until no API call has been in flight for a moment and nothing spins (the pages load in several rounds;
 * on a busy machine a lazy page's code can arrive after its first calls have ended, and then makes its own).
 */
async function settle(what: string) {
  const deadline = Date.now() + 30_000;
  let quietSince = 0;
  while (Date.now() < deadline) {
    if (pending.size === 0 && (await spinning()) === 0) {
      quietSince ||= Date.now();
      if (Date.now() - quietSince >= 750) return;
    } else {
      quietSince = 0;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(
    `${what}: still loading: ${[...pending].map((r) => r.url()).join(', ') || `${await spinning()} spinner(s)`}`,
  );
}

async function open(path: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('.ant-layout-content').waitFor();
  await settle(path);
  const alerts = await page.locator('.ant-layout-content .ant-alert-error').allTextContents();
  for (const a of alerts) problems.push(`${path}: error alert "${a}"`);
}

describe('every page in the browser', { timeout: 400_000 }, () => {
  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, baseUrl } = kept);
    page.on('request', (r) => {
      if (isApi(r) && !isStream(r)) pending.add(r);
    });
    page.on('requestfinished', (r) => pending.delete(r));
    page.on('requestfailed', (r) => {
      pending.delete(r);
      if (isApi(r) && !isStream(r))
        problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on('response', (r) => {
      if (isApi(r.request()) && r.status() >= 400)
        problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));

    await page.goto(`${baseUrl}/login`);
    await page.locator('button[type="submit"]').waitFor();
    await page.getByLabel('邮箱').fill('admin@demo.kept');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await settle('signing in');
    // Before signing in, the app's session probe is answered 401 by design.
    problems.length = 0;
  });

  after(() => kept?.stop());

  it('the admin opens every page and every API call they make succeeds', async () => {
    const pages = [
      '/my-day',
      '/customers',
      '/customers/import',
      '/tasks',
      '/notifications',
      '/approvals',
      '/admin/users',
      '/admin/teams',
      '/admin/roles',
      '/admin/custom-fields',
      '/admin/processes',
      '/admin/processes/p1_new_customer_contact',
      '/admin/processes/p3_return_visit',
      '/admin/calendar',
    ];
    for (const path of pages) await open(path);

    // A customer's page: profile, timeline, contacts and processes.
    await open('/customers');
    await page.getByTestId('customer-table').locator('tbody tr a').first().click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.getByTestId('customer-title').waitFor();
    await settle('a customer page');

    // The notification page's other tabs (preferences, webhooks) load their own data.
    await open('/notifications');
    for (const tab of await page.locator('.ant-tabs-tab').all()) {
      await tab.click();
      await settle('a notifications tab');
    }

    assert.deepEqual(problems, [], kept.log());
  });

  it('the import wizard uploads a raw CSV file and imports it', async () => {
    await open('/customers/import');
    // The hint no longer claims the header must be the first row: it is found under title rows.
    const hint = (await page.locator('.ant-upload-hint').textContent()) ?? '';
    assert.match(hint, /标题行/);
    assert.doesNotMatch(hint, /第一行/);
    const csv =
      'XX门店会员登记表\n姓名,手机,备注\n导入测试甲,13912340001,周末到店\n导入测试乙,13912340002,\n';
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'import.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('文件:import.csv,共 2 行').waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.locator('.ant-result').waitFor({ timeout: 60_000 });
    await settle('the import');
    const created = page
      .locator('.ant-statistic')
      .filter({ hasText: '新建' })
      .locator('.ant-statistic-content');
    assert.equal((await created.textContent())?.trim(), '2');
    // The 备注 column was suggested for the customers' notes.
    const found = await page.evaluate(async () => {
      const r = await fetch(`/api/v1/customers?q=${encodeURIComponent('导入测试甲')}`);
      const body = (await r.json()) as { items: Array<{ notes: string | null }> };
      return body.items.map((c) => c.notes);
    });
    assert.deepEqual(found, ['周末到店']);
    assert.deepEqual(problems, [], kept.log());
  });

  it('saving the calendar settings sends If-Match and the CSRF token', async () => {
    await open('/admin/calendar');
    const put = page.waitForRequest(
      (r) => r.method() === 'PUT' && r.url().endsWith('/api/v1/calendar/settings'),
    );
    await page
      .getByRole('button', { name: /保\s*存/ })
      .first()
      .click();
    const request = await put;
    assert.match((await request.allHeaders())['if-match'] ?? '', /^"\d+"$/);
    assert.ok((await request.allHeaders())['x-csrf-token'], 'a write carries the CSRF token');
    await page.locator('.ant-message').getByText('已保存').waitFor();
    await settle('saving the calendar');
    assert.deepEqual(problems, [], kept.log());
  });

  it('signing out returns to the login page and the session is gone', async () => {
    await open('/my-day');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
  });
});
