import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { buildApp, makeServices } from '../../src/kept.ts';
import { loggerOptions, maskUrl } from '../../src/platform/log/log.ts';
import { as, buildOrg, testConfig, testDb } from '../harness.ts';

/** At KEPT_LOG_LEVEL=debug every request is logged: a search by mobile or email must not put them in the log. */
test('request URLs with mobile numbers and emails are masked in the debug log', async () => {
  const { db, close } = await testDb();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = testConfig({ KEPT_LOG_LEVEL: 'debug' });
  const services = makeServices(db, config);
  const app = await buildApp(services, config, { logStream: sink });
  try {
    await app.ready();
    const org = await buildOrg(services);
    const token = await org.token('supervisor');
    for (const q of ['+8613600000077', '136 0000 0077', 'zhou.ba@example.com', '110105194912310021'])
      await app.inject({
        method: 'GET',
        url: `/api/v1/customers?q=${encodeURIComponent(q)}`,
        headers: as(token),
      });
    await app.inject({ method: 'GET', url: '/api/v1/customers?q=+8613600000077', headers: as(token) });
    const log = lines.join('');
    assert.match(log, /incoming request/, 'requests are logged at debug');
    assert.match(log, /\/api\/v1\/customers\?q=/);
    for (const secret of ['13600000077', '0000%200077', '136%200000', 'zhou.ba', '110105194912310021'])
      assert.ok(!log.includes(secret), `the log holds ${secret}`);
  } finally {
    await app.close();
    await close();
  }
});

test('maskUrl keeps ids and ordinary parameters, masks phone runs and emails', () => {
  const id = '0b6c5a2e-1111-4222-8333-123456789012';
  assert.equal(
    maskUrl(`/api/v1/customers/${id}/timeline?limit=50`),
    `/api/v1/customers/${id}/timeline?limit=50`,
  );
  assert.equal(
    maskUrl('/api/v1/customers?q=%2B8613600000077&limit=20'),
    '/api/v1/customers?q=***********77&limit=20',
  );
  assert.equal(
    maskUrl('/api/v1/customers?q=zhou.ba%40example.com'),
    '/api/v1/customers?q=z***%40example.com',
  );
  assert.equal(maskUrl('/api/v1/customers?q=0077'), '/api/v1/customers?q=0077');
  // A CLI logger built from the same options masks too.
  const out: string[] = [];
  const log = pino(loggerOptions('debug'), { write: (s: string) => out.push(s) });
  log.debug({ req: { method: 'GET', url: '/x?q=13600000077' } }, 'r');
  assert.ok(!out.join('').includes('13600000077'));
});
