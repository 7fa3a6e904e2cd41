/**
 * Email through a real SMTP server on loopback: notify → durable 'notification.email' timer → sweep → the message
 * arrives, in the recipient's language (users.locale, else the org's); email off → no mail; the daily digest at
 * the chosen hour of the org time zone, then tomorrow's digest is scheduled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { sweepDueTimers } from '../../platform/jobs/timers.ts';
import type { NotifyInput } from './index.ts';
import { startSmtp } from './testkit.ts';

let t: TestApp;
let org: TestOrg;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
before(async () => {
  smtp = await startSmtp();
  t = await makeTestApp({
    KEPT_SMTP_URL: smtp.url,
    KEPT_MAIL_FROM: 'Kept <noreply@kept.test>',
    KEPT_PUBLIC_URL: 'https://kept.example.com',
  });
  org = await buildOrg(t.services);
  await t.db.query(`UPDATE users SET locale = 'en' WHERE org_id = $1 AND id = $2`, [
    org.orgId,
    org.users.agent2.id,
  ]);
});
after(async () => {
  t.services.notifications.mailer.close();
  await t.close();
  await smtp.close();
});

async function notify(input: NotifyInput) {
  const ctx = await org.ctx('admin');
  return t.db.transaction((tx) => t.services.notifications.notify(tx, ctx, input));
}
const soon = () => new Date(Date.now() + 1000);

describe('email notifications', () => {
  it('sends one mail per recipient in their language, through SMTP, when the timer fires', async () => {
    const r = await notify({
      userIds: [org.users.agent.id, org.users.agent2.id],
      kind: 'sla.breached',
      title: { 'zh-CN': '工单已超时', en: 'Case is overdue', es: 'Caso vencido' },
      body: { 'zh-CN': '客户张三的投诉已超过处理时限', en: "Zhang San's complaint is past its deadline" },
      link: '/customers/123',
    });
    assert.equal(r.emails, 2);
    assert.equal(smtp.received.length, 0, 'nothing is sent inside the transaction');
    const s = await sweepDueTimers(t.db, { now: soon() });
    assert.ok(s.fired >= 2);
    const mails = await smtp.waitFor(2);
    const to = (m: (typeof mails)[number]) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '';
    const zh = mails.find((m) => to(m).startsWith('agent@'))!;
    const en = mails.find((m) => to(m).startsWith('agent2@'))!;
    assert.ok(zh && en, 'one mail to each recipient');
    assert.equal(zh.subject, '工单已超时');
    assert.match(zh.text ?? '', /agent-agent，您好/);
    assert.match(zh.text ?? '', /客户张三的投诉已超过处理时限/);
    assert.match(zh.text ?? '', /查看详情：https:\/\/kept\.example\.com\/customers\/123/);
    assert.equal(en.subject, 'Case is overdue');
    assert.match(en.text ?? '', /Hello agent2-agent,/);
    assert.match(en.text ?? '', /Open: https:\/\/kept\.example\.com\/customers\/123/);
    assert.equal(en.headers.get('content-language'), 'en');
    assert.match(en.from?.text ?? '', /noreply@kept\.test/);
    // sent once: a second sweep sends nothing
    await sweepDueTimers(t.db, { now: soon() });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.received.length, 2);
  });

  it('respects preferences: email off → no mail; a kind can turn email back on', async () => {
    const tok = await org.token('supervisor');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: as(tok),
      payload: { inApp: true, email: false, kinds: { 'sla.breached': { inApp: true, email: true } } },
    });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().emailAvailable, true);
    const before = smtp.received.length;
    const off = await notify({
      userIds: [org.users.supervisor.id],
      kind: 'task.assigned',
      title: 'no mail for this',
      body: '',
    });
    assert.equal(off.emails, 0);
    assert.equal(off.notificationIds.length, 1);
    await sweepDueTimers(t.db, { now: soon() });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.received.length, before);
    const on = await notify({
      userIds: [org.users.supervisor.id],
      kind: 'sla.breached',
      title: 'mail for this',
      body: '',
    });
    assert.equal(on.emails, 1);
    await sweepDueTimers(t.db, { now: soon() });
    const mails = await smtp.waitFor(before + 1);
    assert.equal(mails.at(-1)!.subject, 'mail for this');
  });
});

describe('daily digest', () => {
  it('mails the unread notifications of the last day at the chosen hour, then schedules the next day', async () => {
    const tok = await org.token('manager');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: as(tok),
      payload: { inApp: true, email: false, kinds: {}, digest: { enabled: true, hour: 8 } },
    });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json().digest, { enabled: true, hour: 8 });
    const timers = async () =>
      (
        await t.db.query<{ key: string; due_at: Date; status: string }>(
          `SELECT key, due_at, status FROM timers WHERE org_id = $1 AND kind = 'notification.digest' AND ref_id = $2 ORDER BY due_at`,
          [org.orgId, org.users.manager.id],
        )
      ).rows;
    const [first] = await timers();
    assert.equal(first.status, 'pending');
    const due = new Date(first.due_at);
    // 08:00 in the org's time zone (Asia/Shanghai, UTC+8) is 00:00 UTC
    assert.equal(due.getUTCHours(), 0);
    assert.equal(due.getUTCMinutes(), 0);
    assert.ok(due.getTime() > Date.now() && due.getTime() <= Date.now() + 24 * 3600_000);

    await notify({ userIds: [org.users.manager.id], kind: 'task.assigned', title: '摘要一', body: '' });
    await notify({ userIds: [org.users.manager.id], kind: 'sla.breached', title: '摘要二', body: '' });
    const before = smtp.received.length;
    await sweepDueTimers(t.db, { now: new Date(due.getTime() - 60_000) });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.received.length, before, 'not before the hour');

    await sweepDueTimers(t.db, { now: new Date(due.getTime() + 60_000) });
    const mails = await smtp.waitFor(before + 1);
    const digest = mails.at(-1)!;
    assert.equal(digest.subject, 'Kept 每日摘要：2 条未读通知');
    assert.match(digest.text ?? '', /摘要一/);
    assert.match(digest.text ?? '', /摘要二/);
    const all = await timers();
    assert.equal(all.length, 2);
    assert.equal(all[0].status, 'done');
    assert.equal(all[1].status, 'pending');
    assert.equal(new Date(all[1].due_at).getTime() - due.getTime(), 24 * 3600_000);

    // turning the digest off cancels the pending one
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: as(tok),
      payload: { digest: { enabled: false, hour: 8 } },
    });
    assert.deepEqual(
      (await timers()).map((x) => x.status),
      ['done', 'cancelled'],
    );
  });
});
