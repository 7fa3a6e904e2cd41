import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { joinTokens, SEARCH_TOKENS_VERSION, searchWords } from '../platform/search/tokens.ts';
import { type CliEnv, cliEnv } from './cli-test-env.ts';

let cli: CliEnv;

before(async () => {
  cli = await cliEnv();
  const org = [
    'org',
    'create',
    '--name',
    '迁移测试',
    '--slug',
    'mig',
    '--admin-email',
    'boss@mig.test',
    '--admin-password',
    'password123',
  ];
  assert.equal((await cli.run(org)).code, 0);
  const file = path.join(cli.dir, 'customers.csv');
  fs.writeFileSync(file, '客户名称,手机号码\n周思琪,13800138001\n林可欣,13800138002\n');
  const r = await cli.run(['import', 'customers', file, '--org', 'mig']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
});
after(async () => cli.cleanup());

test('kept migrate recomputes the search tokens of existing customers once, with progress', async () => {
  // As a database from before the character grams: jieba words only, no backfill state.
  await cli.query(async (q) => {
    for (const name of ['周思琪', '林可欣']) {
      await q.query('UPDATE customers SET search_tokens = $2 WHERE name = $1', [
        name,
        joinTokens(searchWords([name])),
      ]);
    }
    await q.query('DELETE FROM customer_search_state');
  });
  const r = await cli.run(['migrate']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /search tokens: org \S+ 0\/2 customers/);
  assert.match(r.stdout, /search tokens: org \S+ 2\/2 customers — done/);
  assert.match(r.stdout, /search tokens recomputed for 2 customer\(s\) in 1 organization\(s\)/);
  const rows = await cli.query(async (q) => {
    const tokens = (
      await q.query<{ name: string; search_tokens: string }>(
        'SELECT name, search_tokens FROM customers ORDER BY name',
      )
    ).rows;
    const state = (
      await q.query<{ tokens_version: number }>('SELECT tokens_version FROM customer_search_state')
    ).rows;
    return { tokens, state };
  });
  for (const t of rows.tokens)
    assert.ok(t.search_tokens.split(' ').includes(t.name.slice(1)), `${t.name}: ${t.search_tokens}`);
  assert.deepEqual(rows.state, [{ tokens_version: SEARCH_TOKENS_VERSION }]);

  const again = await cli.run(['migrate']);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /search tokens/);
});
