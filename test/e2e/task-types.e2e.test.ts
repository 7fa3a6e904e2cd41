/**
 * End-to-end, issue 7 point 12 ("outcomes can be coded per task type"): an admin adds an outcome code to 回电
 * (call back) on the task types page, and completing a call-back task then offers that code. An agent sees no
 * task types page. Set KEPT_E2E_SHOTS to a directory to keep screenshots (1440 px) of the page.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type KeptBrowser, PASSWORD, startKeptInBrowser } from './kept-browser.ts';

let kept: KeptBrowser;
let page: Page;
let baseUrl = '';
const shots = process.env.KEPT_E2E_SHOTS;
const shot = async (name: string) => {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
};

/** Signs in through the API and creates a call-back task for that user. */
async function createCallBack(email: string, title: string): Promise<string> {
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
    body: JSON.stringify({ title, kind: 'call_back' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

async function signIn(email: string) {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

describe('task types in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, baseUrl } = kept);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
  after(() => kept?.stop());

  it('an admin adds an outcome code to call back; completing a call-back task offers it', async () => {
    const title = `回电确认地址 ${Date.now()}`;
    await createCallBack('agent@demo.kept', title);

    // An agent has no task types page: not in the menu, 403 by address.
    await signIn('agent@demo.kept');
    await page.getByTestId('current-user').waitFor();
    assert.equal(await page.locator('[data-menu-id$="/admin/task-types"]').count(), 0);
    await page.goto(`${baseUrl}/admin/task-types`);
    await page.getByText('403').first().waitFor();

    // The admin opens it from the administration menu.
    await signIn('admin@demo.kept');
    const menuItem = page.locator('[data-menu-id$="/admin/task-types"]');
    await page.getByTestId('current-user').waitFor();
    if (!(await menuItem.isVisible()))
      await page.locator('.ant-menu-submenu-title', { hasText: '系统管理' }).click();
    await menuItem.click();
    await page.waitForURL(/\/admin\/task-types$/);
    const row = page.getByTestId('task-type-call_back');
    await row.getByText('无人接听').waitFor();
    assert.match((await page.getByTestId('task-type-general').textContent()) ?? '', /一般任务/);
    await shot('task-types-list');

    await row.getByTestId('task-type-edit').click();
    const outcomes = page.getByTestId('task-type-outcome');
    await outcomes.first().waitFor();
    assert.equal(await outcomes.count(), 4);
    await page.getByTestId('task-type-add-outcome').click();
    const added = outcomes.nth(4);
    // A code the type already has is refused on the field, before anything is sent.
    await added.getByTestId('outcome-code').fill('reached');
    await added.getByTestId('outcome-label-zh-CN').fill('已留言');
    await added.getByTestId('outcome-label-en').fill('Left a message');
    await added.getByTestId('outcome-label-es').fill('Dejó un mensaje');
    await page.getByTestId('task-type-save').click();
    await added.getByText('这个代码已在本类型中使用').waitFor();
    await added.getByTestId('outcome-code').fill('left_message');
    // Moved up one place: before 稍后再打.
    await added.getByRole('button', { name: '上移' }).click();
    await shot('task-types-edit');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/task-types/call_back') && r.request().method() === 'PUT',
    );
    await page.getByTestId('task-type-save').click();
    const res = await saved;
    assert.equal(res.status(), 200, await res.text());
    assert.equal((await res.request().allHeaders())['if-match'], '"0"', 'the version read is sent');
    assert.deepEqual(
      ((await res.json()) as { outcomes: Array<{ code: string }> }).outcomes.map((o) => o.code),
      ['reached', 'no_answer', 'wrong_number', 'left_message', 'call_later'],
    );
    await row.getByText('已留言').waitFor();

    // A new type: its key is checked as the server checks it (and against the types there are).
    await page.getByTestId('task-type-new').click();
    const key = page.getByTestId('task-type-key');
    await key.fill('Home-Visit');
    await page.getByTestId('task-type-label-zh').fill('上门');
    await page.getByTestId('task-type-label-en').fill('Home visit');
    await page.getByTestId('task-type-label-es').fill('Visita');
    await page.getByTestId('task-type-save').click();
    await page.getByText('小写字母开头，只用小写字母、数字和下划线', { exact: false }).nth(1).waitFor();
    await key.fill('call_back');
    await page.getByText('已有此标识的类型').waitFor();
    await key.fill('home_visit');
    const createdType = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/task-types/home_visit') && r.request().method() === 'PUT',
    );
    await page.getByTestId('task-type-save').click();
    assert.equal((await createdType).status(), 200);
    await page.getByTestId('task-type-home_visit').getByText('上门').waitFor();

    // The agent completes the call-back task: the new code is offered, in its place.
    await signIn('agent@demo.kept');
    await page.goto(`${baseUrl}/tasks`);
    const task = page.getByTestId('task-table').locator('tr', { hasText: title });
    await task.getByTestId('task-complete').click();
    await page.getByTestId('task-outcome-code').click();
    const options = page.locator('.ant-select-item-option');
    await options.first().waitFor();
    assert.deepEqual(await options.allTextContents(), [
      '已接通',
      '无人接听',
      '号码错误',
      '已留言',
      '稍后再打',
    ]);
    await options.filter({ hasText: '已留言' }).click();
    const done = page.waitForResponse(
      (r) => r.url().includes('/api/v1/tasks/') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('task-complete-ok').click();
    const closed = (await (await done).json()) as { outcomeCode: string; outcome: string };
    assert.equal(closed.outcomeCode, 'left_message');
    assert.equal(closed.outcome, '已留言');
  });
});
