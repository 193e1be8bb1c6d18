// Claude Code's sandbox domain syntax (`sandbox.network.allowedDomains` / `deniedDomains`):
// `example.com` (that host), `*.example.com` (its subdomains, not example.com itself), `localhost`,
// an IPv4 literal or a bracketed IPv6 literal, each with an optional `:port`. Too-broad wildcards
// (`*.com`, `*`) are refused in allowed entries; deniedDomains also takes `*` (deny everything).
// dwf's own `"*"` in allowedDomains (all network) is handled by the settings, not here.
// A denied entry always wins over an allowed one.
import * as net from 'node:net';

export interface DomainEntry {
  /** The entry as the person wrote it (for messages). */
  text: string;
  /** Lowercase host, or the suffix after `*.` for a wildcard; '' for a bare `*`. */
  host: string;
  kind: 'exact' | 'subdomains' | 'any';
  port?: number;
}

export type ParsedEntry = { ok: true; entry: DomainEntry } | { ok: false; reason: string };

export type DomainDecision =
  | {
      allowed: true;
      /** An exact entry names this host (needed for loopback and private addresses). */ explicit: boolean;
      entry: string;
    }
  | { allowed: false; reason: string };

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Parses one entry; `list` decides whether a bare `*` is accepted (deniedDomains only). */
export function parseDomainEntry(raw: string, list: 'allowedDomains' | 'deniedDomains'): ParsedEntry {
  const text = raw.trim();
  const fail = (why: string): ParsedEntry => ({ ok: false, reason: `${JSON.stringify(raw)}: ${why}` });
  if (!text) return fail('empty entry');
  if (/[/\s@?#]|:\/\//.test(text))
    return fail('write a host name only, like "example.com" or "*.example.com" (no scheme, path, user or spaces)');
  const split = splitPort(text);
  if (!split.ok) return fail(split.reason);
  const host = split.host.toLowerCase().replace(/\.$/, '');
  const port = split.port;
  if (host === '*') {
    if (list === 'deniedDomains') return { ok: true, entry: { text, host: '', kind: 'any', port } };
    return fail('"*" cannot be combined with a port or other entries here; use ["*"] alone for all network access');
  }
  if (split.bracketed) {
    if (!net.isIPv6(host)) return fail('brackets hold an IPv6 address, like "[::1]"');
    return { ok: true, entry: { text, host: normalizeHost(host), kind: 'exact', port } };
  }
  if (host.startsWith('*.')) {
    const suffix = host.slice(2);
    if (!isDomainName(suffix)) return fail('after "*." comes a domain name, like "*.example.com"');
    if (!suffix.includes('.'))
      return fail(`"*.${suffix}" is too broad; name a domain under it, like "*.example.${suffix}"`);
    return { ok: true, entry: { text, host: suffix, kind: 'subdomains', port } };
  }
  if (host.includes('*')) return fail('a wildcard is only allowed as a leading "*." (like "*.example.com")');
  if (net.isIPv4(host) || host === 'localhost') return { ok: true, entry: { text, host, kind: 'exact', port } };
  if (!isDomainName(host)) return fail('not a valid host name (letters, digits, "-" and "_" in dot-separated labels)');
  if (!host.includes('.'))
    return fail('a single-label name is ambiguous; write the full domain name (only "localhost" is accepted alone)');
  return { ok: true, entry: { text, host, kind: 'exact', port } };
}

/** Allowed and denied entries together; bad entries are reported by the caller, never half-used. */
export class DomainRules {
  constructor(
    readonly allowed: readonly DomainEntry[],
    readonly denied: readonly DomainEntry[],
    /** allowedDomains held "*": everything not denied is allowed (by a wildcard, so never "explicit"). */
    readonly allowAll = false,
  ) {}

  /** Whether a connection to `host:port` may be made, and why not. */
  decide(rawHost: string, port: number): DomainDecision {
    const host = normalizeHost(rawHost);
    if (!host || (!net.isIP(host) && !isDomainName(host)))
      return { allowed: false, reason: `"${rawHost}" is not a valid host name` };
    const denied = this.denied.find((e) => matches(e, host, port));
    if (denied) return { allowed: false, reason: `sandbox.network.deniedDomains has "${denied.text}"` };
    const exact = this.allowed.find((e) => e.kind === 'exact' && matches(e, host, port));
    if (exact) return { allowed: true, explicit: true, entry: exact.text };
    const wild = this.allowed.find((e) => matches(e, host, port));
    if (wild) return { allowed: true, explicit: false, entry: wild.text };
    if (this.allowAll) return { allowed: true, explicit: false, entry: '*' };
    return { allowed: false, reason: 'no sandbox.network.allowedDomains entry matches it' };
  }
}

/**
 * Builds the rules from the two lists. Bad allowed entries are left out; a bad denied entry makes
 * the rules unusable (`denyAll` with the reason), since leaving it out would open what it meant to close.
 */
export function domainRulesFrom(
  allowedDomains: readonly string[],
  deniedDomains: readonly string[],
): { rules: DomainRules; problems: string[]; denyAll?: string } {
  const problems: string[] = [];
  const allowed: DomainEntry[] = [];
  const denied: DomainEntry[] = [];
  const allowAll = allowedDomains.some((d) => d.trim() === '*');
  for (const d of allowedDomains) {
    if (d.trim() === '*') continue;
    const p = parseDomainEntry(d, 'allowedDomains');
    if (p.ok) allowed.push(p.entry);
    else problems.push(`sandbox.network.allowedDomains ${p.reason}; this entry is ignored`);
  }
  let denyAll: string | undefined;
  for (const d of deniedDomains) {
    const p = parseDomainEntry(d, 'deniedDomains');
    if (p.ok) denied.push(p.entry);
    else {
      problems.push(`sandbox.network.deniedDomains ${p.reason}; agent commands get no network until it is fixed`);
      denyAll ??= `sandbox.network.deniedDomains ${p.reason}`;
    }
  }
  return { rules: new DomainRules(allowed, denied, allowAll), problems, denyAll };
}

function matches(e: DomainEntry, host: string, port: number): boolean {
  if (e.port !== undefined && e.port !== port) return false;
  if (e.kind === 'any') return true;
  if (e.kind === 'subdomains') return host.endsWith(`.${e.host}`) && !net.isIP(host);
  return host === e.host;
}

/** Lowercase, without brackets or a trailing dot; IPv6 in its canonical short form. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  h = h.replace(/\.$/, '');
  if (net.isIPv6(h)) {
    try {
      return new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
      return h;
    }
  }
  return h;
}

function isDomainName(host: string): boolean {
  return host.length > 0 && host.length <= 253 && host.split('.').every((l) => LABEL.test(l));
}

function splitPort(
  text: string,
): { ok: true; host: string; port?: number; bracketed: boolean } | { ok: false; reason: string } {
  let host = text;
  let portText: string | undefined;
  let bracketed = false;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { ok: false, reason: 'an IPv6 address needs its closing "]"' };
    host = text.slice(1, close);
    bracketed = true;
    const rest = text.slice(close + 1);
    if (rest && !rest.startsWith(':')) return { ok: false, reason: 'only ":port" may follow "]"' };
    portText = rest ? rest.slice(1) : undefined;
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) return { ok: false, reason: 'an IPv6 address must be in brackets, like "[::1]" or "[::1]:443"' };
    if (colons === 1) [host, portText] = text.split(':');
  }
  if (portText === undefined) return { ok: true, host, bracketed };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535))
    return { ok: false, reason: `the port must be a number from 1 to 65535, not "${portText}"` };
  return { ok: true, host, port, bracketed };
}
