// The HTTP proxy an agent's sandboxed commands reach the network through. It listens on a unix
// socket (bound into the sandbox, whose own network has nothing else), takes CONNECT (https and
// any TLS) and absolute-URI http requests, and connects only where the domain rules allow, to
// the very addresses it checked (no second lookup for DNS rebinding to slip into). Loopback,
// private and link-local addresses need an exact allowedDomains entry. It follows no redirects:
// each request the client makes is judged on its own. Refusals answer 403 and are logged once
// per host with the agent's name, never with a path or query (they can carry secrets).
import * as fs from 'node:fs';
import * as net from 'node:net';
import { nonPublicReason, resolveHost, type ResolvedAddress } from '../../permissions/addresses';
import { normalizeHost, type DomainRules } from './domainRules';

/** Bigger request heads are refused (431): enough for any real client, small enough to hold in memory. */
export const HEADER_LIMIT_BYTES = 16 * 1024;
const CONNECT_TIMEOUT_MS = 15_000;
/** Hop-by-hop headers a proxy must not forward (RFC 9110 §7.6.1), plus proxy credentials. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
]);

export interface FilteringProxyOptions {
  rules: DomainRules;
  /** Names the agent in refusal warnings. */
  agent: string;
  log?: (message: string) => void;
  /** Host name → addresses (default: the system resolver; tests map names to 127.0.0.1). */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
}

interface Target {
  host: string;
  port: number;
}

export class FilteringProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly warned = new Set<string>();

  private constructor(
    private readonly server: net.Server,
    readonly socketPath: string,
    private readonly options: FilteringProxyOptions,
  ) {}

  /** Starts a proxy on a new unix socket at `socketPath` (its directory should be private). */
  static async listen(socketPath: string, options: FilteringProxyOptions): Promise<FilteringProxy> {
    const server = net.createServer();
    const proxy = new FilteringProxy(server, socketPath, options);
    server.on('connection', (s) => proxy.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(socketPath, 0o600);
    server.unref(); // an idle proxy does not keep dwf alive; running commands and open tunnels do
    return proxy;
  }

  /** Stops listening and cuts every open connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private accept(client: net.Socket): void {
    this.track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > HEADER_LIMIT_BYTES) {
          client.off('data', onData);
          answer(
            client,
            431,
            'Request Header Fields Too Large',
            `the request head is larger than ${HEADER_LIMIT_BYTES} bytes`,
          );
        }
        return;
      }
      client.off('data', onData);
      client.pause();
      if (end > HEADER_LIMIT_BYTES)
        return answer(
          client,
          431,
          'Request Header Fields Too Large',
          `the request head is larger than ${HEADER_LIMIT_BYTES} bytes`,
        );
      void this.handle(client, head.subarray(0, end).toString('latin1'), head.subarray(end + 4));
    };
    client.on('data', onData);
  }

  private async handle(client: net.Socket, headText: string, rest: Buffer): Promise<void> {
    const [requestLine, ...headerLines] = headText.split('\r\n');
    const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
    if (!m) return answer(client, 400, 'Bad Request', 'not an HTTP/1.x proxy request');
    const [, method, target] = m;
    if (method === 'CONNECT') {
      const t = parseAuthority(target);
      if (!t) return answer(client, 400, 'Bad Request', 'CONNECT needs host:port');
      const upstream = await this.open(client, t);
      if (!upstream) return;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      splice(client, upstream, rest);
      return;
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return answer(client, 400, 'Bad Request', 'this is a proxy: send absolute http:// URLs, or CONNECT for https');
    }
    if (url.protocol !== 'http:')
      return answer(
        client,
        400,
        'Bad Request',
        `only http:// URLs go as plain requests (use CONNECT for ${url.protocol})`,
      );
    const t = { host: normalizeHost(url.hostname), port: url.port ? Number(url.port) : 80 };
    const upstream = await this.open(client, t);
    if (!upstream) return;
    // The Host header names the host that was judged: a different one would pick another site on a shared server.
    const headers = headerLines.filter((l) => {
      const name = l.slice(0, l.indexOf(':')).trim().toLowerCase();
      return name !== 'host' && !HOP_BY_HOP.has(name);
    });
    headers.unshift(`Host: ${url.host}`);
    // One request per connection: the next one (perhaps to another host) comes through the proxy again.
    const out = [`${method} ${url.pathname}${url.search} HTTP/1.1`, ...headers, 'Connection: close', '', ''].join(
      '\r\n',
    );
    upstream.write(Buffer.from(out, 'latin1'));
    splice(client, upstream, rest);
  }

  /** Decides, resolves, checks every address and connects; on refusal answers the client and returns undefined. */
  private async open(client: net.Socket, t: Target): Promise<net.Socket | undefined> {
    const where = `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
    const decision = this.options.rules.decide(t.host, t.port);
    if (!decision.allowed) return this.refuse(client, where, decision.reason);
    let addresses: ResolvedAddress[];
    try {
      addresses = await (this.options.lookup ?? resolveHost)(t.host);
    } catch (e) {
      answer(
        client,
        502,
        'Bad Gateway',
        `${where} could not be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
      return undefined;
    }
    if (!addresses.length) {
      answer(client, 502, 'Bad Gateway', `${where} has no address`);
      return undefined;
    }
    if (!decision.explicit) {
      for (const a of addresses) {
        const why = nonPublicReason(a.address);
        if (why)
          return this.refuse(
            client,
            where,
            `it resolves to ${a.address}, ${why}; only an exact sandbox.network.allowedDomains entry (not "${decision.entry}") opens such an address`,
          );
      }
    }
    for (const a of addresses) {
      const upstream = await connect(a, t.port);
      if (client.destroyed) {
        upstream?.destroy();
        return undefined;
      }
      if (upstream) {
        this.track(upstream);
        return upstream;
      }
    }
    answer(client, 502, 'Bad Gateway', `${where} did not accept a connection`);
    return undefined;
  }

  private refuse(client: net.Socket, where: string, reason: string): undefined {
    const key = `${where} ${reason}`;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.options.log?.(
        `warning: sandbox network: agent "${this.options.agent}" was refused ${where}: ${reason}. Allowed domains are set in ~/.claude/settings.json (sandbox.network.allowedDomains).`,
      );
    }
    answer(client, 403, 'Forbidden', `dwf sandbox: ${where} is not allowed: ${reason}`);
    return undefined;
  }
}

function connect(a: ResolvedAddress, port: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ host: a.address, port, family: a.family });
    const done = (ok: boolean) => {
      s.setTimeout(0);
      s.removeAllListeners('connect');
      s.removeAllListeners('timeout');
      if (!ok) s.destroy();
      resolve(ok ? s : undefined);
    };
    s.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Both directions until either side ends; `rest` is what the client sent after the head. */
function splice(client: net.Socket, upstream: net.Socket, rest: Buffer): void {
  if (rest.length) upstream.write(rest);
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
  // The client gone: nothing more to send for. Upstream gone: pipe() ends the client after the
  // last bytes (destroying it here could drop them).
  client.once('close', () => upstream.destroy());
  upstream.once('close', () => client.end());
}

function answer(client: net.Socket, status: number, text: string, message: string): void {
  const body = `${message}\n`;
  client.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function parseAuthority(target: string): Target | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: normalizeHost(m[1]), port };
}
