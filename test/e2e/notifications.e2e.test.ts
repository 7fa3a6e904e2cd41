/**
 * End-to-end: every notification opens its record. A supervisor assigns a demo customer to agent2 and gives
 * agent2 a task about it (through the API); agent2 signs in, opens 通知 and clicks each notification in turn:
 * each lands on the record's page (never the 404 page). The supervisor does the same with theirs (the demo's
 * escalations). An old-style process link /processes/instances/<id> opens the process's record too.
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
  return { call, userId: user.id };
}

describe('notifications in the browser', { timeout: 300_000 }, () => {
  before(async () => {
    kept = await startKeptInBrowser();
    ({ page, context, baseUrl } = kept);
  });

  after(() => kept?.stop());

  async function signIn(email: string) {
    await context.clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.locator('button[type="submit"]').waitFor();
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  /** Clicks every notification on the inbox page, one after another; each must open a record page. */
  async function clickEach(who: string, expected: number) {
    await page.goto(`${baseUrl}/notifications`);
    const items = page.getByTestId('notification-item');
    await items.first().waitFor();
    const n = await items.count();
    assert.ok(n >= expected, `${who}: ${n} notifications, expected at least ${expected}`);
    for (let i = 0; i < Math.min(n, 12); i++) {
      await page.goto(`${baseUrl}/notifications`);
      await items.nth(i).waitFor();
      const title = (await items.nth(i).textContent()) ?? '';
      await items.nth(i).click();
      await page.waitForURL((u) => u.pathname !== '/notifications');
      await page.waitForLoadState('networkidle');
      const url = new URL(page.url());
      assert.match(
        url.pathname,
        /^\/(customers\/[0-9a-f-]{36}|tasks)$/,
        `${who}: “${title}” opened ${url.pathname}`,
      );
      assert.equal(
        await page.getByText('404', { exact: true }).count(),
        0,
        `${who}: “${title}” is not a 404`,
      );
      if (url.pathname.startsWith('/customers/')) await page.getByTestId('record-work').waitFor();
    }
  }

  it('each of agent2’s notifications opens the customer it is about', async () => {
    const sup = await session('supervisor@demo.kept');
    const agent2 = await session('agent2@demo.kept');
    const created = await sup.call('POST', '/customers', {
      kind: 'person',
      name: `通知测试客户 ${Date.now()}`,
      ownerId: null,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const customerId = created.json.id as string;
    const assigned = await sup.call('POST', '/customers/assign', {
      customerIds: [customerId],
      strategy: 'agent',
      agentId: agent2.userId,
    });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.json));
    const task = await sup.call('POST', '/tasks', {
      title: '回访新客户',
      assigneeId: agent2.userId,
      relatedType: 'customer',
      relatedId: customerId,
    });
    assert.equal(task.status, 201, JSON.stringify(task.json));
    // The worker dispatches the events within a second or two.
    let mine: Array<{ link: string }> = [];
    for (let i = 0; i < 60 && mine.length < 2; i++) {
      mine = (
        (await agent2.call('GET', '/notifications')).json.items as Array<{
          link: string;
          record: { id: string } | null;
        }>
      ).filter((x) => x.record?.id === customerId);
      if (mine.length < 2) await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(mine.length, 2, 'assignment and task notifications arrived');
    assert.ok(mine.every((x) => x.link === `/customers/${customerId}`));

    await signIn('agent2@demo.kept');
    await clickEach('agent2', 2);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({
      path: path.join(ROOT, 'test-results', 'notification-opened.png'),
      fullPage: true,
    });
  });

  it('the supervisor’s notifications (demo escalations) open their records too', async () => {
    const sup = await session('supervisor@demo.kept');
    const items = (await sup.call('GET', '/notifications')).json.items as unknown[];
    if (!items.length) {
      // No escalation yet on this run: hand the supervisor something so the inbox is not empty.
      const agent = await session('agent@demo.kept');
      await agent.call('POST', '/tasks', { title: '请主管确认', assigneeId: sup.userId });
    }
    await signIn('supervisor@demo.kept');
    await clickEach('supervisor', 1);
  });

  it('an old process link opens the record the process runs on', async () => {
    const admin = await session('admin@demo.kept');
    const customers = (await admin.call('GET', '/customers?limit=1')).json.items as Array<{ id: string }>;
    const started = await admin.call('POST', '/process-instances', {
      definitionKey: 'p3_return_visit',
      recordType: 'customer',
      recordId: customers[0].id,
    });
    const instanceId = started.status === 201 ? started.json.id : null;
    const id =
      instanceId ??
      (
        (await admin.call('GET', `/process-instances?recordType=customer&recordId=${customers[0].id}`)).json
          .items as Array<{ id: string }>
      )[0].id;
    await signIn('admin@demo.kept');
    await page.goto(`${baseUrl}/processes/instances/${id}`);
    await page.waitForURL((u) => u.pathname === `/customers/${customers[0].id}`);
    await page.getByTestId('record-work').waitFor();
  });
});
