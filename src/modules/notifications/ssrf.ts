import dns from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard for outbound webhooks: a target that is (or resolves to) an internal address — loopback, private,
 * link-local, unspecified, multicast, reserved, or an IPv6 form that embeds such an IPv4 — is refused unless the
 * org allows private targets. One range table serves both checks: at save (the literal host of the URL, see
 * webhooks.service.ts) and at send, inside the HTTP client's own DNS lookup, so the address that is checked is
 * the address connected to (no window for DNS rebinding between check and connect).
 *
 * Spellings are left to the WHATWG URL parser: it turns decimal, hex, octal and short IPv4 (2130706433,
 * 0x7f000001, 0177.0.0.1, 127.1), trailing dots and full-width letters into one canonical host, and writes
 * IPv6 in canonical hex; net.BlockList then checks the ranges.
 */
type Cidr = readonly [address: string, prefix: number, family: 'ipv4' | 'ipv6'];

export const RESTRICTED_RANGES: ReadonlyArray<readonly [reason: string, ranges: readonly Cidr[]]> = [
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
      ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
      ['fc00::', 7, 'ipv6'], // unique local
      ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed inward by some stacks)
      ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
    ],
  ],
  [
    'link-local',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  [
    'multicast',
    [
      ['224.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
  ['broadcast', [['255.255.255.255', 32, 'ipv4']]],
  [
    'reserved',
    [
      ['240.0.0.0', 4, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'], // benchmarking
      ['192.0.2.0', 24, 'ipv4'], // documentation
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['2001:db8::', 32, 'ipv6'],
      ['2001::', 32, 'ipv6'], // Teredo (embeds an obfuscated IPv4)
      ['100::', 64, 'ipv6'], // discard-only
    ],
  ],
];

/**
 * IPv6 prefixes that carry an IPv4 address: the IPv6 address is internal when the IPv4 it embeds is.
 * `at` is the index of the first of the two 16-bit words holding the IPv4.
 */
export const IPV4_EMBEDDINGS: ReadonlyArray<{ name: string; cidr: Cidr; at: number }> = [
  { name: 'IPv4-mapped', cidr: ['::ffff:0:0', 96, 'ipv6'], at: 6 },
  { name: 'IPv4-compatible', cidr: ['::', 96, 'ipv6'], at: 6 },
  { name: 'NAT64', cidr: ['64:ff9b::', 96, 'ipv6'], at: 6 },
  { name: '6to4', cidr: ['2002::', 16, 'ipv6'], at: 1 },
];

/** Host names that always mean this machine (besides *.localhost). */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

const LISTS = RESTRICTED_RANGES.map(([reason, ranges]) => {
  const list = new net.BlockList();
  for (const [addr, prefix, type] of ranges) list.addSubnet(addr, prefix, type);
  return { reason, list };
});
const EMBEDDINGS = IPV4_EMBEDDINGS.map((e) => {
  const list = new net.BlockList();
  list.addSubnet(e.cidr[0], e.cidr[1], e.cidr[2]);
  return { ...e, list };
});

/** The eight 16-bit words of an IPv6 address (canonicalised by the URL parser, so no dotted tail), or null. */
function ipv6Words(ip: string): number[] | null {
  let canonical: string;
  try {
    canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head, tail] = canonical.split('::');
  const words = (part: string | undefined) =>
    part ? part.split(':').map((w) => Number.parseInt(w, 16)) : [];
  const h = words(head);
  const t = words(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

function directReason(ip: string, type: 'ipv4' | 'ipv6'): string | null {
  for (const { reason, list } of LISTS) if (list.check(ip, type)) return reason;
  return null;
}

/** Why an IP address is not a public target ('loopback', 'private'…), or null for a public address. */
export function restrictedReason(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  if (!family) return null;
  if (family === 4) return directReason(bare, 'ipv4');
  const direct = directReason(bare, 'ipv6');
  if (direct) return direct;
  for (const e of EMBEDDINGS) {
    if (!e.list.check(bare, 'ipv6')) continue;
    const w = ipv6Words(bare);
    if (!w) return 'reserved';
    const v4 = [w[e.at] >> 8, w[e.at] & 255, w[e.at + 1] >> 8, w[e.at + 1] & 255].join('.');
    const inner = directReason(v4, 'ipv4');
    if (inner) return `${inner} (${e.name} ${v4})`;
  }
  return null;
}

/**
 * Why a URL's host is not a public target, or null: `localhost` and its kin in any spelling, or a literal
 * internal address. Host names are left to the guarded lookup at send time (a name may resolve inward later).
 * Pass `URL.hostname` (already normalised by the URL parser).
 */
export function hostReason(hostname: string): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (LOCAL_NAMES.has(host) || host.endsWith('.localhost')) return 'loopback';
  return restrictedReason(host);
}

export class TargetRefused extends Error {
  readonly code = 'KEPT_TARGET_REFUSED';
}

export function refusal(host: string, ip: string, reason: string): TargetRefused {
  const via = host === ip ? ip : `${host} resolves to ${ip}`;
  return new TargetRefused(
    `refused: ${via} is a ${reason} address; an administrator can allow private webhook targets in the webhook settings`,
  );
}

/** Checks the URL's host before connecting: `localhost` names and literal IPs (Node skips the lookup for those). */
export function checkHost(hostname: string, allowPrivate: boolean): TargetRefused | null {
  if (allowPrivate) return null;
  const reason = hostReason(hostname);
  const host = hostname.replace(/^\[|\]$/g, '');
  return reason ? refusal(host, host, reason) : null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that resolves every address of the host and refuses restricted ones. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!addresses.length)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      if (!allowPrivate) {
        for (const a of addresses) {
          const reason = restrictedReason(a.address);
          if (reason) return callback(refusal(hostname, a.address, reason) as NodeJS.ErrnoException, []);
        }
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
