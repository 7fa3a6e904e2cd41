/** The SSRF guard's address classes, and the signature header format (pure functions, no network). */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkLiteralHost, restrictedReason } from './ssrf.ts';
import { signatureHeader } from './webhooks.send.ts';

describe('restrictedReason', () => {
  const cases: Array<[string, string | null]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['172.32.0.1', null],
    ['8.8.8.8', null],
    ['2001:4860:4860::8888', null],
    ['example.com', null],
  ];
  for (const [ip, want] of cases) it(`${ip} → ${want}`, () => assert.equal(restrictedReason(ip), want));
});

describe('checkLiteralHost', () => {
  it('refuses a private literal unless allowed; host names are left to the guarded lookup', () => {
    assert.match(checkLiteralHost('10.1.2.3', false)?.message ?? '', /private/);
    assert.equal(checkLiteralHost('10.1.2.3', true), null);
    assert.match(checkLiteralHost('[::1]', false)?.message ?? '', /loopback/);
    assert.equal(checkLiteralHost('example.com', false), null);
  });
});

describe('signatureHeader', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>', () => {
    const body = '{"a":1}';
    const want = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    assert.equal(signatureHeader('s3cret', body, 1700000000), `t=1700000000,v1=${want}`);
  });
});
