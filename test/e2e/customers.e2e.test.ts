/**
 * End-to-end: the real server (with the demo organization) and the built web app in headless Chromium.
 * An agent signs in on the Chinese login page, creates a customer through the form (first with an invalid
 * mobile, which must be reported inline next to the field), and finds the new customer in the list.
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
    kept = await startKeptInBrowser();
    ({ page, baseUrl } = kept);
  });

  after(() => kept?.stop());

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
