/**
 * End-to-end: processes in the browser. The admin opens 流程定义 (the process list) and the built-in return visit
 * (P3), whose diagram shows its states; an agent opens one of their own customers, starts the return visit from
 * the customer page and takes 开始回访 (attempt), and sees the state change from 待回访 to 联系中.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { type KeptBrowser, PASSWORD, ROOT, startKeptInBrowser } from './kept-browser.ts';

let kept: KeptBrowser;
let page: Page;
let context: BrowserContext;
let baseUrl = '';

describe('processes in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, context, baseUrl } = kept);
  });

  after(() => kept?.stop());

  async function signIn(email: string) {
    await context!.clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.locator('button[type="submit"]').waitFor();
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  it('admin sees the process list and a process diagram', async () => {
    await signIn('admin@demo.kept');
    await page.goto(`${baseUrl}/admin/processes`);
    const table = page.getByTestId('process-table');
    const row = table.locator('tbody tr').filter({ hasText: 'p3_return_visit' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /客户回访/, 'the list shows the name in Chinese');
    assert.match((await row.textContent()) ?? '', /内置/, 'the built-in template is tagged');
    assert.ok(
      (await table.locator('tbody tr').filter({ hasText: 'p1_new_customer_contact' }).count()) === 1,
      'P1 is listed too',
    );

    await row.getByRole('link', { name: '客户回访' }).click();
    await page.waitForURL(/\/admin\/processes\/p3_return_visit/);
    const diagram = page.getByTestId('process-diagram');
    await diagram.waitFor();
    for (const state of ['due', 'attempting', 'unreached', 'reached', 'done']) {
      assert.equal(await diagram.locator(`[data-state="${state}"]`).count(), 1, `state ${state} is drawn`);
    }
    assert.match((await diagram.textContent()) ?? '', /开始回访/, 'the attempt transition is labelled');
    await page.getByTestId('process-slas').getByText('三天内完成回访').waitFor();

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'process-diagram.png'), fullPage: true });
  });

  it('an agent starts the return visit on their customer and takes the attempt transition', async () => {
    await signIn('agent@demo.kept');
    // The demo customers are generated in the background after the server starts: wait for the agent's first.
    const first = page.getByTestId('customer-table').locator('tbody tr a').first();
    const deadline = Date.now() + 120_000;
    for (;;) {
      await page.goto(`${baseUrl}/customers`);
      await page.getByTestId('customer-table').waitFor();
      if (
        await first.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error('the demo agent has no customers');
    }
    await first.click();
    await page.waitForURL(/\/customers\/[^/]+$/);

    const card = page.getByTestId('customer-processes');
    await card.waitFor();
    await card.getByTestId('start-process-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '客户回访' }).click();
    await card.getByTestId('start-process').click();

    const instance = card.locator('[data-testid="process-instance"][data-process="p3_return_visit"]').first();
    const state = instance.getByTestId('process-state');
    await instance.locator('[data-testid="process-state"][data-state="due"]').waitFor();
    assert.equal(((await state.textContent()) ?? '').trim(), '待回访');
    await instance
      .getByTestId('process-clocks')
      .getByText(/三天内完成回访/)
      .waitFor();

    await instance.getByTestId('transition-attempt').click();
    await instance.locator('[data-testid="process-state"][data-state="attempting"]').waitFor();
    assert.equal(((await state.textContent()) ?? '').trim(), '联系中', 'the state changed to 联系中');
    await instance.getByTestId('transition-reached').waitFor();
    await instance.getByTestId('transition-unreached').waitFor();

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'process-customer.png'), fullPage: true });
  });
});
