// Webhook targets are typed by marketers, so a URL must not reach into the network the runtime
// sits in (SSRF): the host is resolved and every address it resolves to is checked, in the same
// lookup the connection then uses, so a DNS answer cannot change between the check and the call.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** What the operator allows besides public addresses. */
export interface TargetPolicy {
  /** WEBHOOK_ALLOW_PRIVATE=true: private, loopback, link-local and unique-local targets are allowed. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOW_HOSTS: host names or addresses allowed whatever they resolve to (an internal CRM). */
  allowHosts: readonly string[];
}

/** A target the policy forbids; nothing was sent to it. */
export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

const RANGES: readonly (readonly [label: string, net: string, prefix: number, family: 'ipv4' | 'ipv6'])[] = [
  ['an unspecified', '0.0.0.0', 8, 'ipv4'],
  ['a private', '10.0.0.0', 8, 'ipv4'],
  ['a shared (carrier-grade NAT)', '100.64.0.0', 10, 'ipv4'],
  ['a loopback', '127.0.0.0', 8, 'ipv4'],
  ['a link-local', '169.254.0.0', 16, 'ipv4'],
  ['a private', '172.16.0.0', 12, 'ipv4'],
  ['a reserved', '192.0.0.0', 24, 'ipv4'],
  ['a documentation', '192.0.2.0', 24, 'ipv4'],
  ['a private', '192.168.0.0', 16, 'ipv4'],
  ['a benchmarking', '198.18.0.0', 15, 'ipv4'],
  ['a documentation', '198.51.100.0', 24, 'ipv4'],
  ['a documentation', '203.0.113.0', 24, 'ipv4'],
  ['a multicast', '224.0.0.0', 4, 'ipv4'],
  ['a reserved', '240.0.0.0', 4, 'ipv4'],
  ['an unspecified', '::', 128, 'ipv6'],
  ['a loopback', '::1', 128, 'ipv6'],
  ['a discard-only', '100::', 64, 'ipv6'],
  ['a tunnelled (Teredo)', '2001::', 32, 'ipv6'],
  ['a documentation', '2001:db8::', 32, 'ipv6'],
  ['a tunnelled (6to4)', '2002::', 16, 'ipv6'],
  ['a unique-local', 'fc00::', 7, 'ipv6'],
  ['a link-local', 'fe80::', 10, 'ipv6'],
  ['a site-local', 'fec0::', 10, 'ipv6'],
  ['a multicast', 'ff00::', 8, 'ipv6'],
];

// One block list per range, so the refusal can say which kind of address it was. Node's BlockList
// also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const LISTS = RANGES.map(([label, net, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { label, list };
});

/** Why an address may not be a webhook target ("a loopback"), or null for a public address. */
export function forbiddenRange(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judge that address.
  if (type === 'ipv6' && /^64:ff9b::/i.test(address)) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return forbiddenRange(v4);
  }
  for (const { label, list } of LISTS) if (list.check(address, type)) return label;
  return null;
}

/** The policy from the environment: WEBHOOK_ALLOW_PRIVATE and WEBHOOK_ALLOW_HOSTS (comma-separated). */
export function targetPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): TargetPolicy {
  return {
    allowPrivate: /^(1|true|yes)$/i.test(env['WEBHOOK_ALLOW_PRIVATE'] ?? ''),
    allowHosts: (env['WEBHOOK_ALLOW_HOSTS'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
}

/**
 * Checks a URL before anything is sent: only http(s), and an address literal must be public unless
 * allowed. Returns the DNS lookup the request must use, which refuses forbidden addresses a host
 * name resolves to; throws TargetRefused for a URL refused outright.
 */
export function guardTarget(url: URL, policy: TargetPolicy): LookupFunction | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefused(`refused ${url.protocol}// target: only http and https are allowed`);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowPrivate || policy.allowHosts.includes(host)) return undefined;
  if (isIP(host) !== 0) {
    const range = forbiddenRange(host);
    if (range !== null) throw new TargetRefused(refusal(host, host, range));
    return undefined;
  }
  return guardedLookup(host);
}

function guardedLookup(host: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const range = forbiddenRange(a.address);
        if (range !== null) return callback(new TargetRefused(refusal(host, a.address, range)), '', 0);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${host} resolves to no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function refusal(host: string, address: string, range: string): string {
  const where = host === address ? address : `${host} (${address})`;
  return `refused target ${where}: ${range} address; allow it with WEBHOOK_ALLOW_PRIVATE=true or WEBHOOK_ALLOW_HOSTS=${host}`;
}

function embeddedIpv4(v6: string): string | null {
  const tail = v6.split(':').slice(-2);
  if (tail.length !== 2) return null;
  if (tail[1]!.includes('.')) return tail[1]!;
  const hi = parseInt(tail[0]!, 16);
  const lo = parseInt(tail[1]!, 16);
  if (Number.isNaN(hi) || Number.isNaN(lo)) return null;
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}
