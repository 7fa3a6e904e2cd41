/**
 * End-to-end: My day in the browser. An overdue task is created for the demo agent through the API; the agent
 * signs in, lands on 我的一天 with that task first among the overdue items, completes it with an outcome (the
 * modal refuses an empty one), and the task leaves the overdue list.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type KeptBrowser, PASSWORD, ROOT, startKeptInBrowser } from './kept-browser.ts';

let kept: KeptBrowser;
let page: Page;
let baseUrl = '';

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
    kept = await startKeptInBrowser();
    ({ page, baseUrl } = kept);
  });

  after(() => kept?.stop());

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
