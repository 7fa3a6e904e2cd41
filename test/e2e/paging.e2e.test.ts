/**
 * End-to-end: lists shown a page at a time. The supervisor gives agent2 more overdue tasks than one page holds
 * (each one also notifies agent2) and writes more activities on a customer than one timeline page holds. agent2
 * then sees the first page of each list with 加载更多 under it, and loading more brings every row the API has
 * (the button goes away on the last page): My day's overdue section, 我的任务, the notification inbox and the
 * customer's timeline. The customer list shows the API's first-page total.
 *
 * Needs: `npm run build:web` first (web/dist) and Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { type KeptBrowser, PASSWORD, startKeptInBrowser } from './kept-browser.ts';

/** The API's default page size, which the web lists use. */
const PAGE = 50;
const EXTRA = 5;

let kept: KeptBrowser;
let page: Page;
let context: BrowserContext;
let baseUrl = '';

async function session(email: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: string } };
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${baseUrl}/api/v1${url}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  /** Every row of a list, following nextCursor. */
  const all = async (url: string) => {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const r = await call(
        'GET',
        `${url}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      items.push(...r.json.items);
      cursor = r.json.nextCursor;
    } while (cursor);
    return items;
  };
  return { call, all, userId: user.id };
}

/** Clicks 加载更多 in `scope` until it is gone, waiting each time for more rows; answers how many clicks. */
async function loadAll(scope: Locator, rows: Locator): Promise<number> {
  let clicks = 0;
  const more = scope.getByTestId('load-more');
  while ((await more.count()) > 0) {
    const shown = await rows.count();
    await more.click();
    clicks++;
    const deadline = Date.now() + 20_000;
    while ((await rows.count()) <= shown) {
      assert.ok(Date.now() < deadline, `no rows after ${shown} appeared after 加载更多`);
      await page.waitForTimeout(100);
    }
  }
  return clicks;
}

describe('lists a page at a time in the browser', { timeout: 400_000 }, () => {
  let customerId = '';

  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, context, baseUrl } = kept);

    const sup = await session('supervisor@demo.kept');
    const agent2 = await session('agent2@demo.kept');
    const created = await sup.call('POST', '/customers', {
      kind: 'person',
      name: `分页测试客户 ${Date.now()}`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    customerId = created.json.id;
    const assigned = await sup.call('POST', '/customers/assign', {
      customerIds: [customerId],
      strategy: 'agent',
      agentId: agent2.userId,
    });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.json));
    for (let i = 0; i < PAGE + EXTRA; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const task = await sup.call('POST', '/tasks', {
        title: `分页任务 ${i + 1}`,
        assigneeId: agent2.userId,
        dueAt: `2020-0${1 + Math.floor(i / 28)}-${day}T02:00:00Z`,
        relatedType: 'customer',
        relatedId: customerId,
      });
      assert.equal(task.status, 201, JSON.stringify(task.json));
      const activity = await sup.call('POST', `/customers/${customerId}/activities`, {
        kind: 'note',
        body: `分页备注 ${i + 1}`,
      });
      assert.equal(activity.status, 201, JSON.stringify(activity.json));
    }
    // Each task notifies agent2; the worker dispatches the events in the background.
    let unread = 0;
    for (let i = 0; i < 120 && unread < PAGE + EXTRA; i++) {
      unread = (await agent2.call('GET', '/notifications?limit=1')).json.unread;
      if (unread < PAGE + EXTRA) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(unread >= PAGE + EXTRA, `agent2 has ${unread} notifications`);

    await context.clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('邮箱').fill('agent2@demo.kept');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });

  after(() => kept?.stop());

  it('My day shows the first page of overdue items and loads the rest of that section', async () => {
    const agent2 = await session('agent2@demo.kept');
    const day = (await agent2.call('GET', '/my-day')).json;
    assert.ok(day.counts.overdue > PAGE, `${day.counts.overdue} overdue`);
    await page.goto(`${baseUrl}/my-day`);
    const section = page.getByTestId('myday-overdue');
    const rows = page.locator('[data-testid="overdue-list"] [data-testid="myday-item"]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), PAGE);
    assert.ok((await loadAll(section, rows)) >= 1, 'the overdue section offered 加载更多');
    assert.equal(await rows.count(), day.counts.overdue);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
    assert.equal(new Set(ids).size, ids.length, 'no item twice');
  });

  it('我的任务 loads more open tasks until the last page', async () => {
    const agent2 = await session('agent2@demo.kept');
    const open = await agent2.all('/tasks?assignee=me&status=open');
    await page.goto(`${baseUrl}/tasks`);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), PAGE);
    assert.ok((await loadAll(page.locator('.ant-layout-content'), rows)) >= 1);
    assert.equal(await rows.count(), open.length);
  });

  it('the notification inbox loads more notifications', async () => {
    const agent2 = await session('agent2@demo.kept');
    const mine = await agent2.all('/notifications');
    await page.goto(`${baseUrl}/notifications`);
    const rows = page.locator('.ant-layout-content [data-testid="notification-item"]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), PAGE);
    assert.ok((await loadAll(page.locator('.ant-layout-content'), rows)) >= 1);
    assert.equal(await rows.count(), mine.length);
  });

  it('the customer timeline loads older entries, newest first', async () => {
    const agent2 = await session('agent2@demo.kept');
    const timeline = await agent2.all(`/customers/${customerId}/timeline`);
    assert.ok(timeline.length > PAGE);
    await page.goto(`${baseUrl}/customers/${customerId}`);
    const card = page.getByTestId('timeline');
    const rows = page.locator('[data-testid="timeline"] .ant-timeline-item');
    await rows.first().waitFor();
    assert.equal(await rows.count(), PAGE);
    await card.getByText(`分页备注 ${PAGE + EXTRA}`).waitFor();
    assert.ok((await loadAll(card, rows)) >= 1);
    assert.equal(await rows.count(), timeline.length);
    await card.getByText('分页备注 1', { exact: true }).waitFor();
  });

  it('the customer list shows the total the API counted on its first page', async () => {
    const agent2 = await session('agent2@demo.kept');
    const first = (await agent2.call('GET', '/customers?limit=20')).json;
    assert.equal(first.totalCapped, false);
    await page.goto(`${baseUrl}/customers`);
    await page.getByTestId('customer-total').getByText(`共 ${first.total} 条`).waitFor();
  });
});
