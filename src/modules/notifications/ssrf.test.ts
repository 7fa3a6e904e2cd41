/** The SSRF guard's address classes, and the signature header format (pure functions, no network). */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { checkHost, guardedLookup, hostReason, RESTRICTED_RANGES, restrictedReason } from './ssrf.ts';
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
    // Ranges added for issue 7: IPv4 inside IPv6, site-local, benchmarking, class E.
    ['::127.0.0.1', 'loopback (IPv4-compatible 127.0.0.1)'],
    ['::7f00:1', 'loopback (IPv4-compatible 127.0.0.1)'],
    ['::10.0.0.1', 'private (IPv4-compatible 10.0.0.1)'],
    ['64:ff9b::127.0.0.1', 'loopback (NAT64 127.0.0.1)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (NAT64 169.254.169.254)'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback (6to4 127.0.0.1)'],
    ['2002:c0a8:101::1', 'private (6to4 192.168.1.1)'],
    ['2002:a9fe:a9fe::', 'link-local (6to4 169.254.169.254)'],
    ['fec0::1', 'private'],
    ['feff::1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['254.1.2.3', 'reserved'],
    ['0.1.2.3', 'unspecified'],
    ['100.64.0.1', 'private'],
    ['2001:db8::1', 'reserved'],
    // Public addresses, also when embedded.
    ['198.20.0.1', null],
    ['64:ff9b::808:808', null],
    ['2002:808:808::1', null],
    ['::ffff:8.8.8.8', null],
    ['172.32.0.1', null],
    ['8.8.8.8', null],
    ['2001:4860:4860::8888', null],
    ['example.com', null],
  ];
  for (const [ip, want] of cases) it(`${ip} → ${want}`, () => assert.equal(restrictedReason(ip), want));
});

describe('the range table', () => {
  it('every range parses, and the first and last address of each is classified under its own reason', () => {
    for (const [reason, ranges] of RESTRICTED_RANGES) {
      for (const [addr, prefix, family] of ranges) {
        assert.equal(net.isIP(addr), family === 'ipv4' ? 4 : 6, addr);
        const block = new net.BlockList();
        block.addSubnet(addr, prefix, family);
        assert.ok(block.check(addr, family), `${addr}/${prefix}`);
        // The first address may fall in an earlier, narrower class (255.255.255.255, ::): either is refused.
        assert.ok(restrictedReason(addr), `${addr}/${prefix} (${reason}) is refused`);
      }
    }
  });
});

describe('hostReason: every spelling of an internal host, as the URL parser hands it over', () => {
  const refused = [
    'http://localhost/',
    'http://LOCALHOST./',
    'http://localhost%2e/',
    'http://api.localhost/',
    'http://ｌｏｃａｌｈｏｓｔ/',
    'http://ip6-localhost/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f.1/',
    'http://127.0.0.1./',
    'http://0/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://[64:ff9b::10.0.0.1]/',
    'http://[2002:c0a8:101::]/',
    'http://[fec0::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://198.18.0.1/',
    'http://240.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/',
  ];
  for (const u of refused)
    it(`refuses ${u}`, () => assert.ok(hostReason(new URL(u).hostname), new URL(u).hostname));
  for (const u of [
    'https://example.com/hook',
    'http://8.8.8.8/',
    'http://[2001:4860:4860::8888]/',
    'http://localhost.example.com/',
  ])
    it(`accepts ${u}`, () => assert.equal(hostReason(new URL(u).hostname), null));
});

describe('checkHost', () => {
  it('refuses localhost and private literals unless allowed; other host names are left to the guarded lookup', () => {
    assert.match(checkHost('10.1.2.3', false)?.message ?? '', /private/);
    assert.equal(checkHost('10.1.2.3', true), null);
    assert.match(checkHost('[::1]', false)?.message ?? '', /loopback/);
    assert.match(checkHost('localhost', false)?.message ?? '', /loopback/);
    assert.equal(checkHost('localhost', true), null);
    assert.equal(checkHost('example.com', false), null);
  });
});

describe('guardedLookup (send time: the address resolved is the address checked)', () => {
  const lookup = (allowPrivate: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(allowPrivate)('localhost', {}, (err, address) => resolve({ err, address })),
    );
  it('refuses a host name that resolves to a loopback address, naming both', async () => {
    const { err } = await lookup(false);
    assert.match(err?.message ?? '', /localhost resolves to .* loopback address/);
  });
  it('lets it through when private targets are allowed', async () => {
    const { err, address } = await lookup(true);
    assert.equal(err, null);
    assert.ok(restrictedReason(String(address)));
  });
});

describe('signatureHeader', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>', () => {
    const body = '{"a":1}';
    const want = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    assert.equal(signatureHeader('s3cret', body, 1700000000), `t=1700000000,v1=${want}`);
  });
});
