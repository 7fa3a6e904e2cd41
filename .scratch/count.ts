import pg from 'pg';
import { as, buildOrg, makeTestApp } from '../test/harness.ts';
const t = await makeTestApp();
const a = await buildOrg(t.services);
const token = await a.token('agent');
const seen: string[] = [];
const orig = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  const q = args[0];
  seen.push(typeof q === 'string' ? q : (q as { text: string }).text);
  return orig.apply(this, args);
};
for (const [label, req] of [
  ['create', { method: 'POST', url: '/api/v1/customers', payload: { kind: 'person', name: '计数客户' } }],
  ['create2', { method: 'POST', url: '/api/v1/customers', payload: { kind: 'person', name: '计数客户二', mobile: '13912345678' } }],
  ['list', { method: 'GET', url: '/api/v1/customers' }],
] as const) {
  seen.length = 0;
  const r = await t.app.inject({ ...(req as object), headers: as(token) } as never);
  console.log(label, r.statusCode, seen.length);
  for (const s of seen) console.log('   ', s.replace(/\s+/g, ' ').slice(0, 140));
  if (label === 'create') {
    const id = r.json().id;
    seen.length = 0;
    const g = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${id}`, headers: as(token) });
    console.log('get', g.statusCode, seen.length);
    for (const s of seen) console.log('   ', s.replace(/\s+/g, ' ').slice(0, 140));
  }
}
await t.close();
