import fs from 'node:fs';
import pg from 'pg';
import { benchImport } from '../bench/import.ts';
const stats = new Map<string, { n: number; ms: number }>();
const orig = pg.Client.prototype.query as (...args: unknown[]) => Promise<unknown>;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  const q = args[0];
  const text = (typeof q === 'string' ? q : (q as { text: string })?.text ?? '').replace(/\s+/g, ' ').slice(0, 60);
  const t0 = performance.now();
  const p = orig.apply(this, args) as Promise<unknown>;
  if (p && typeof (p as Promise<unknown>).then === 'function') {
    return p.then((r) => {
      const s = stats.get(text) ?? { n: 0, ms: 0 };
      s.n++; s.ms += performance.now() - t0; stats.set(text, s);
      return r;
    });
  }
  return p;
};
const r = await benchImport({ rows: Number(process.argv[2] ?? 10000), databaseUrl: 'postgres://postgres@127.0.0.1:5432/test' } as never);
console.log(r);
for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(v.ms.toFixed(0).padStart(7), 'ms', String(v.n).padStart(6), k);
