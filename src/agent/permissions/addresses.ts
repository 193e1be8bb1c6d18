// Which network addresses WebFetch may not reach on a domain rule alone: this machine (loopback,
// where the editor's own server listens), the local network (private ranges), link-local (cloud
// metadata at 169.254.169.254), and addresses that are not one host at all. A hostname is judged
// by every address it resolves to, and the fetch then connects to exactly those addresses, so a
// name that resolves differently a moment later (DNS rebinding) cannot slip in between.
import { promises as dns } from 'node:dns';
import * as net from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

const v4 = new net.BlockList();
const v6 = new net.BlockList();
const RANGES_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this host ("0.0.0.0")'],
  ['10.0.0.0', 8, 'a private network address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address (this machine)'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private network address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private network address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['224.0.0.0', 3, 'a multicast or reserved address'],
];
const RANGES_V6: [string, number, string][] = [
  ['::', 128, 'the unspecified address (this host)'],
  ['::1', 128, 'a loopback address (this machine)'],
  ['fc00::', 7, 'a private network (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];
for (const [a, bits] of RANGES_V4) v4.addSubnet(a, bits, 'ipv4');
for (const [a, bits] of RANGES_V6) v6.addSubnet(a, bits, 'ipv6');

/** Why `address` is not a public internet address, or undefined when it is one. */
export function nonPublicReason(address: string): string | undefined {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const embedded = embeddedV4(ip);
  if (embedded) return nonPublicReason(embedded);
  if (net.isIPv4(ip))
    return v4.check(ip, 'ipv4') ? RANGES_V4.find(([a, bits]) => inSubnet(ip, a, bits, 'ipv4'))?.[2] : undefined;
  if (net.isIPv6(ip))
    return v6.check(ip, 'ipv6') ? RANGES_V6.find(([a, bits]) => inSubnet(ip, a, bits, 'ipv6'))?.[2] : undefined;
  return 'not an IP address';
}

function inSubnet(ip: string, net0: string, bits: number, type: 'ipv4' | 'ipv6'): boolean {
  const one = new net.BlockList();
  one.addSubnet(net0, bits, type);
  return one.check(ip, type);
}

/** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 or 6to4 IPv6 address. */
function embeddedV4(ip: string): string | undefined {
  if (!net.isIPv6(ip)) return undefined;
  const dotted = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (dotted) return dotted[1];
  const words = expandV6(ip);
  if (!words) return undefined;
  const hex = (w: number[]) =>
    w
      .map((x) => [x >> 8, x & 255])
      .flat()
      .join('.');
  const zeros = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zeros(0, 5) && words[5] === 0xffff) return hex(words.slice(6)); // ::ffff:a.b.c.d
  if (zeros(0, 6) && (words[6] !== 0 || words[7] > 1)) return hex(words.slice(6)); // ::a.b.c.d
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6)) return hex(words.slice(6)); // NAT64
  if (words[0] === 0x2002) return hex(words.slice(1, 3)); // 6to4
  return undefined;
}

function expandV6(ip: string): number[] | undefined {
  const [head, tail] = ip.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  if (ip.includes('.')) return undefined;
  const words = tail === undefined ? a : [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761), whatever DNS says. */
export function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Every address `host` resolves to (an IP literal is its own address). */
export async function resolveHost(host: string): Promise<ResolvedAddress[]> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const family = net.isIP(bare);
  if (family) return [{ address: bare, family: family as 4 | 6 }];
  if (isLocalhostName(bare))
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  const found = await dns.lookup(bare, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}
