/**
 * Language negotiation (Accept-Language → zh-CN, en or es) and the server catalogs: every message exists,
 * non-empty, in all three languages, and every error code has a message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_STATUS } from '../http/errors.ts';
import { LOCALES, negotiateLocale, t } from './i18n.ts';
import en from './locales/en.ts';
import es from './locales/es.ts';
import zhCN from './locales/zh-CN.ts';

function leaves(obj: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

describe('negotiateLocale', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['zh-CN,zh;q=0.9', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['es-MX', 'es'],
    ['fr-FR', 'zh-CN'],
    ['fr-FR, es;q=0.8, en;q=0.5', 'es'],
    ['en;q=0.2, es;q=0.9', 'es'],
    ['*', 'zh-CN'],
    ['EN-gb', 'en'],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${want}`, () => assert.equal(negotiateLocale(header), want));
  }
});

describe('server message catalogs', () => {
  it('zh-CN, en and es have the same keys, none empty', () => {
    const z = leaves(zhCN);
    for (const [name, cat] of [
      ['en', leaves(en)],
      ['es', leaves(es)],
    ] as const) {
      assert.deepEqual([...cat.keys()].sort(), [...z.keys()].sort(), `${name} keys match zh-CN`);
    }
    for (const cat of [z, leaves(en), leaves(es)]) {
      for (const [k, v] of cat) assert.ok(typeof v === 'string' && v.trim().length > 0, k);
    }
  });

  it('every error code has a translated message in every language', () => {
    for (const code of Object.keys(ERROR_STATUS)) {
      for (const locale of LOCALES) {
        const msg = t(locale, `errors.${code}`);
        assert.notEqual(msg, `errors.${code}`, `${locale}: errors.${code} is missing`);
      }
    }
  });
});
