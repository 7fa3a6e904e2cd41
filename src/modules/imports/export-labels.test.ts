/**
 * Exports read like the rest of Kept (issue 7, point 15): times in the org's time zone (not UTC), choices as
 * their labels (性别 男, a custom select's label) rather than stored keys, in the reader's saved language.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';

let t: TestApp;
let org: TestOrg;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  const admin = await org.ctx('admin');
  await t.services.customers.customFields.create(admin, {
    entity: 'customer',
    key: 'channel',
    label: { 'zh-CN': '渠道', en: 'Channel', es: 'Canal' },
    type: 'select',
    options: [
      { value: 'tmall', label: { 'zh-CN': '天猫', en: 'Tmall', es: 'Tmall (tienda)' } },
      { value: 'store', label: { 'zh-CN': '门店', en: 'Store', es: 'Tienda' } },
    ],
  });
  await t.services.customers.customFields.create(admin, {
    entity: 'customer',
    key: 'likes',
    label: { 'zh-CN': '偏好', en: 'Likes' },
    type: 'multi_select',
    options: [
      { value: 'tea', label: { 'zh-CN': '茶', en: 'Tea' } },
      { value: 'coffee', label: { 'zh-CN': '咖啡', en: 'Coffee' } },
    ],
  });
  const c = await t.services.customers.create(admin, {
    name: '李四',
    mobile: '13800138011',
    gender: 'female',
    custom: { channel: 'tmall', likes: ['tea', 'coffee'] },
  });
  // Created at 00:30 UTC on March 1st: 08:30 that day in Shanghai, 16:30 the day before in Los Angeles.
  await t.db.query(`UPDATE customers SET created_at = '2026-03-01T00:30:00Z' WHERE org_id = $1 AND id = $2`, [
    org.orgId,
    c.id,
  ]);
});
after(async () => t.close());

async function exportRows(lang: string) {
  const r = await t.app.inject({
    method: 'GET',
    url: '/api/v1/customers/export?format=csv',
    headers: as(await org.token('admin'), { 'accept-language': lang }),
  });
  assert.equal(r.statusCode, 200, r.body);
  const [header, ...rows] = parse(r.rawPayload, { bom: true }) as string[][];
  return { header, row: Object.fromEntries(header.map((h, i) => [h, rows[0][i]])), res: r };
}

test('choices are exported as labels in the caller language, times in the org time zone', async () => {
  const zh = await exportRows('zh-CN');
  assert.equal(zh.row.性别, '女');
  assert.equal(zh.row.渠道, '天猫');
  assert.equal(zh.row.偏好, '茶, 咖啡');
  assert.equal(zh.row.创建时间, '2026-03-01 08:30:00');

  const en = await exportRows('en');
  assert.equal(en.row.Gender, 'Female');
  assert.equal(en.row.Channel, 'Tmall');
  assert.equal(en.row.Likes, 'Tea, Coffee');
});

test('another org time zone moves the times (and the date) with it', async () => {
  await t.db.query(`UPDATE orgs SET time_zone = 'America/Los_Angeles' WHERE org_id = $1`, [org.orgId]);
  const en = await exportRows('en');
  assert.equal(en.row['Created at'], '2026-02-28 16:30:00');
  await t.db.query(`UPDATE orgs SET time_zone = 'Asia/Shanghai' WHERE org_id = $1`, [org.orgId]);
});

test("the reader's saved language wins over the browser's", async () => {
  const set = await t.app.inject({
    method: 'PATCH',
    url: '/api/v1/auth/me',
    headers: as(await org.token('admin')),
    payload: { locale: 'es' },
  });
  assert.equal(set.statusCode, 200, set.body);
  const es = await exportRows('en');
  assert.equal(es.row.Género, 'Mujer');
  assert.equal(es.row.Canal, 'Tmall (tienda)');
});
