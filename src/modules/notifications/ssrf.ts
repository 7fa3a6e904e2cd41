import dns from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard for outbound webhooks: a target that is (or resolves to) a loopback, private, link-local,
 * unspecified, multicast or broadcast address is refused unless the org allows private targets. The check
 * runs inside the HTTP client's own DNS lookup, so the address that is checked is the address connected to
 * (no window for DNS rebinding between check and connect). IPv4-mapped IPv6 addresses count as their IPv4.
 */
const RANGES: Array<[reason: string, ranges: Array<[string, number, 'ipv4' | 'ipv6']>]> = [
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
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
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
];

const LISTS = RANGES.map(([reason, ranges]) => {
  const list = new net.BlockList();
  for (const [addr, prefix, type] of ranges) list.addSubnet(addr, prefix, type);
  return { reason, list };
});

/** Why an IP address is not a public target ('loopback', 'private'…), or null for a public address. */
export function restrictedReason(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  if (!family) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { reason, list } of LISTS) if (list.check(bare, type)) return reason;
  return null;
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

/** Checks a literal-IP host before connecting (Node skips the lookup for literal IPs). */
export function checkLiteralHost(hostname: string, allowPrivate: boolean): TargetRefused | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(host) || allowPrivate) return null;
  const reason = restrictedReason(host);
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
