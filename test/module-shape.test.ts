/**
 * The module shape of ARCHITECTURE.md: in src/modules, SQL runs only in `*.repo.ts` files. A module file that
 * calls `.query(`, or builds a page with the paging helpers that take SQL (fetchPage, cappedCount, keysetSql),
 * is named here; its statement belongs in the module's repo (one function per statement). Test files and the
 * test kits beside them may query freely. src/platform keeps its own SQL (timers, events, audit, paging).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const MODULES = path.join(ROOT, 'src', 'modules');

const SQL_CALL = /\.query\s*(<[^;]*?>)?\s*\(|\b(fetchPage|cappedCount|keysetSql)\s*(<[^;]*?>)?\s*\(/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const exempt = (name: string) => /\.repo\.ts$|\.test\.ts$|^(test-helpers|testkit)\.ts$/.test(name);

describe('module shape (ARCHITECTURE.md)', () => {
  it('the check sees a query call in each form', () => {
    for (const line of [
      'await tx.query<Row>(`SELECT 1`)',
      "await db.query('ANALYZE customers')",
      'return fetchPage<TaskRow>(db, SORT, page, [], (k) => k.where)',
      'await cappedCount(q, `FROM x`, [])',
      'const k = keysetSql(SORT, page, params);',
    ]) {
      assert.match(line, SQL_CALL, line);
    }
    assert.doesNotMatch('const q = req.query;', SQL_CALL);
  });

  it('no file in src/modules outside *.repo.ts runs SQL', () => {
    const offences: string[] = [];
    for (const file of walk(MODULES)) {
      if (exempt(path.basename(file))) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        if (SQL_CALL.test(line)) offences.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offences, []);
  });
});
