/**
 * End-to-end, issue 7's "done when": a supervisor merges two customers from the duplicate alert (choosing the
 * new name side by side), the merged record is read-only and links to the survivor, and a call-back task
 * created from the customer page shows in the task list with the customer's name and a translated priority,
 * and completes with one of its coded outcomes.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type KeptBrowser, PASSWORD, startKeptInBrowser } from './kept-browser.ts';

let kept: KeptBrowser;
let page: Page;
let baseUrl = '';

const digits = '零一二三四五六七八九';
const stamp = String(Date.now() % 100_000_000).padStart(8, '0');
const chinese = (prefix: string) => `${prefix}${[...stamp].map((d) => digits[Number(d)]).join('')}`;
const mobile = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function createCustomer(name: string) {
  await page.getByTestId('new-customer').click();
  await page.getByTestId('customer-name').fill(name);
  await page.getByTestId('customer-mobile').fill(mobile);
  await page.getByTestId('customer-save').click();
}

describe('day-one defects in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, baseUrl } = kept);
  });
  after(() => kept?.stop());

  it('merges two customers from the duplicate alert and links a call-back task to the survivor', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('邮箱').fill('supervisor@demo.kept');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // The first customer.
    const first = chinese('老客户');
    await page.goto(`${baseUrl}/customers`);
    await page.getByTestId('customer-table').waitFor();
    await createCustomer(first);
    await page.waitForURL(/\/customers\/[^/]+$/);
    const survivorId = new URL(page.url()).pathname.split('/').pop()!;

    // The same mobile again under another name: the duplicate alert, right above the save button.
    const second = chinese('新名字');
    await page.goto(`${baseUrl}/customers`);
    await page.getByTestId('customer-table').waitFor();
    await createCustomer(second);
    const alert = page.getByTestId('duplicate-alert');
    await alert.waitFor();
    assert.ok(await alert.isVisible());
    const alertBox = (await alert.boundingBox())!;
    const saveBox = (await page.getByTestId('customer-save').boundingBox())!;
    assert.ok(alertBox.y + alertBox.height <= saveBox.y + 1, 'the alert sits above the save button');
    assert.ok(
      saveBox.y - (alertBox.y + alertBox.height) < 80,
      'right next to it, not at the top of a tall form',
    );
    assert.match((await alert.textContent()) ?? '', new RegExp(first));

    // Merge into it, taking the new name side by side.
    await alert.getByTestId('duplicate-merge').click();
    await page.getByTestId('merge-table').waitFor();
    await page.getByTestId('merge-take-name').check();
    const merged = page.waitForRequest((r) => r.url().endsWith(`/customers/${survivorId}/merge`));
    await page.getByTestId('merge-confirm').click();
    const sourceId = (await merged).postDataJSON().sourceId as string;
    assert.deepEqual((await merged).postDataJSON().take, ['name']);
    await page.waitForURL(new RegExp(`/customers/${survivorId}$`));
    await page.getByTestId('customer-title').getByText(second).waitFor();

    // The merged record: read-only, with a banner linking to the survivor by name.
    await page.goto(`${baseUrl}/customers/${sourceId}`);
    const banner = page.getByTestId('merged-banner');
    await banner.waitFor();
    await banner.getByTestId('merged-survivor-link').getByText(second).waitFor();
    assert.equal(await page.getByTestId('edit-customer').count(), 0, 'no edit on a merged record');
    assert.equal(await page.getByTestId('customer-new-task').count(), 0);
    await banner.getByTestId('merged-survivor-link').click();
    await page.waitForURL(new RegExp(`/customers/${survivorId}$`));

    // New task / call back from the customer page: type and customer are preset.
    await page.getByTestId('customer-new-task').click();
    const title = page.getByTestId('task-title');
    await title.waitFor();
    // The title is prefilled once the task types have loaded.
    for (let i = 0; i < 100 && !(await title.inputValue()).includes(second); i++)
      await page.waitForTimeout(100);
    assert.match(await title.inputValue(), new RegExp(second));
    assert.match(await title.inputValue(), /回电/);
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/tasks') && r.request().method() === 'POST',
    );
    await page.getByTestId('task-create').click();
    const body = await (await created).json();
    assert.equal((await created).status(), 201);
    assert.equal(body.kind, 'call_back');
    assert.equal(body.relatedId, survivorId);

    // The task list names the customer (not an id) and the priority by its label.
    await page.goto(`${baseUrl}/tasks`);
    const row = page.getByTestId('task-table').locator('tr', { hasText: second });
    await row.waitFor();
    await row.getByTestId('task-related-link').getByText(second).waitFor();
    assert.equal(((await row.getByTestId('task-priority').textContent()) ?? '').trim(), '普通');

    // Completing it offers the call-back outcomes.
    await row.getByTestId('task-complete').click();
    await page.getByTestId('task-outcome-code').click();
    await page.locator('.ant-select-item-option', { hasText: '无人接听' }).click();
    const done = page.waitForResponse(
      (r) => r.url().includes('/api/v1/tasks/') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('task-complete-ok').click();
    const closed = await (await done).json();
    assert.equal(closed.outcomeCode, 'no_answer');
    assert.equal(closed.outcome, '无人接听');
  });
});
