/**
 * In-app notifications: notify inside a transaction → list (own only) → read → read-all; preferences (in-app off
 * for a kind); the live SSE stream on a real listening server receives a notification created after connecting.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import type { NotifyInput } from './index.ts';

let t: TestApp;
let org: TestOrg;
before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
});
after(() => t.close());

async function notify(input: NotifyInput, who: keyof TestOrg['users'] = 'admin') {
  const ctx = await org.ctx(who);
  return t.db.transaction((tx) => t.services.notifications.notify(tx, ctx, input));
}

describe('in-app notifications', () => {
  it('notify creates rows for the recipients; each lists only their own; read and read-all', async () => {
    const r = await notify({
      userIds: [org.users.agent.id, org.users.agent2.id, 'not-a-uuid'],
      kind: 'task.assigned',
      title: { 'zh-CN': '新任务：回访客户', en: 'New task: call back the customer' },
      body: '请在今天内完成',
      link: '/tasks',
      data: { taskId: 'x' },
    });
    assert.equal(r.notificationIds.length, 2);
    assert.equal(r.emails, 0, 'no SMTP configured: the email channel is skipped');

    const agent = await org.token('agent');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications?unread=1',
      headers: as(agent),
    });
    assert.equal(list.statusCode, 200);
    const body = list.json();
    assert.equal(body.unread, 1);
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].title, '新任务：回访客户');
    assert.equal(body.items[0].link, '/tasks');
    assert.deepEqual(body.items[0].data, { taskId: 'x' });
    const mine = body.items[0].id as string;

    // agent2's notification is not the agent's: 404, never someone else's row
    const other = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/notifications',
        headers: as(await org.token('agent2')),
      })
    ).json();
    assert.equal(other.items.length, 1);
    const theirs = other.items[0].id as string;
    assert.notEqual(theirs, mine);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/notifications/${theirs}/read`,
          headers: as(agent),
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/notifications/nope/read', headers: as(agent) }))
        .statusCode,
      404,
    );

    const read = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${mine}/read`,
      headers: as(agent),
    });
    assert.equal(read.statusCode, 200);
    assert.ok(read.json().readAt);
    const after1 = (
      await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=1', headers: as(agent) })
    ).json();
    assert.equal(after1.unread, 0);
    assert.equal(after1.items.length, 0);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: as(agent) })).json().items
        .length,
      1,
    );

    await notify({ userIds: [org.users.agent.id], kind: 'task.assigned', title: 'a', body: '' });
    await notify({ userIds: [org.users.agent.id], kind: 'sla.breached', title: 'b', body: '' });
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      headers: as(agent),
    });
    assert.deepEqual(all.json(), { updated: 2 });
    assert.equal(
      (
        await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=1', headers: as(agent) })
      ).json().unread,
      0,
    );

    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE org_id = $1 AND action LIKE 'notification.%' ORDER BY seq`,
      [org.orgId],
    );
    assert.deepEqual(
      [...new Set(audit.rows.map((a) => a.action))],
      ['notification.send', 'notification.read', 'notification.read_all'],
    );
  });

  it('needs a signed-in user', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode, 401);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/notifications/stream' })).statusCode,
      401,
    );
  });

  it('preferences: defaults, 422 on bad input, in-app off for one kind', async () => {
    const tok = await org.token('supervisor');
    const got = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/preferences',
      headers: as(tok),
    });
    assert.deepEqual(got.json(), {
      inApp: true,
      email: true,
      kinds: {},
      digest: { enabled: false, hour: 9 },
      emailAvailable: false,
    });
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: as(tok, { 'accept-language': 'en' }),
      payload: { inApp: true, email: true, kinds: {}, digest: { enabled: true, hour: 24 } },
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().error.fields['digest.hour']);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: as(tok),
      payload: { inApp: true, email: false, kinds: { 'sla.warning': { inApp: false, email: false } } },
    });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json().kinds, { 'sla.warning': { inApp: false, email: false } });
    const r1 = await notify({
      userIds: [org.users.supervisor.id],
      kind: 'sla.warning',
      title: 'w',
      body: '',
    });
    const r2 = await notify({
      userIds: [org.users.supervisor.id],
      kind: 'sla.breached',
      title: 'b',
      body: '',
    });
    assert.equal(r1.notificationIds.length, 0);
    assert.equal(r2.notificationIds.length, 1);
  });
});

describe('live stream (SSE)', () => {
  it('pushes a notification created after connecting, with a real listening server', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    await notify({
      userIds: [org.users.manager.id],
      kind: 'task.assigned',
      title: 'before connecting',
      body: '',
    });
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/notifications/stream`, {
      headers: as(await org.token('manager')),
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`stream did not show ${pattern} in time; got ${JSON.stringify(text)}`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), left)),
        ]);
        if (chunk?.value) text += decoder.decode(chunk.value, { stream: true });
        if (chunk?.done) throw new Error('stream ended');
      }
    };
    await readUntil(/: connected/, 3000);
    await notify({ userIds: [org.users.manager.id], kind: 'task.assigned', title: '实时通知', body: 'live' });
    await notify({
      userIds: [org.users.agent.id],
      kind: 'task.assigned',
      title: 'for someone else',
      body: '',
    });
    await readUntil(/event: notification\ndata: .*实时通知/, 6000);
    assert.doesNotMatch(text, /before connecting/);
    assert.doesNotMatch(text, /for someone else/);
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]);
    assert.equal(data.body, 'live');
    assert.equal(data.readAt, null);
    ac.abort();
    await reader.cancel().catch(() => undefined);
  });
});
