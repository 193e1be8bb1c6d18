// The filtering proxy against real servers on 127.0.0.1, spoken to over its real unix socket with
// raw HTTP: allowed and refused hosts, CONNECT tunnels, the header cap, addresses on this machine,
// redirects (never followed) and what the warnings say (the agent and host, never the path).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainRulesFrom, FilteringProxy, HEADER_LIMIT_BYTES } from '../../../src/agent/sandbox';

const LOOPBACK = [{ address: '127.0.0.1', family: 4 as const }];
const NAMES: Record<string, { address: string; family: 4 | 6 }[]> = {
  'api.example.com': LOOPBACK,
  'denied.example.org': LOOPBACK,
  'mixed.example.com': [{ address: '93.184.216.34', family: 4 }, ...LOOPBACK],
};
const lookup = async (host: string) => {
  const found = NAMES[host];
  if (!found) throw Object.assign(new Error(`no test name ${host}`), { code: 'ENOTFOUND' });
  return found;
};

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

async function httpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (req, res) => res.end(`hello ${req.url}\n`),
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, seen, port: (server.address() as net.AddressInfo).port };
}

/** Sends `raw` to the proxy and collects everything until the proxy closes (or `until` matches). */
function exchange(socket: string, raw: string | Buffer, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let got = '';
    c.on('data', (d) => {
      got += d.toString('latin1');
      if (until?.test(got)) {
        c.destroy();
        resolve(got);
      }
    });
    c.on('error', reject);
    c.on('close', () => resolve(got));
    c.write(raw);
  });
}

describe('sandbox-os: the filtering proxy', function () {
  this.timeout(15_000);
  let dir: string;
  let proxy: FilteringProxy;
  let logs: string[];
  const start = async (allowed: string[], denied: string[] = []) => {
    proxy = await FilteringProxy.listen(path.join(dir, 'p.sock'), {
      rules: domainRulesFrom(allowed, denied).rules,
      agent: 'fetcher',
      log: (m) => logs.push(m),
      lookup,
    });
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-proxy-test-'));
    logs = [];
  });
  afterEach(async () => {
    await proxy?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forwards an allowed http request in origin form, for the judged host, without proxy credentials, one request per connection', async () => {
    const s = await httpServer();
    try {
      await start(['api.example.com']);
      assert.equal(fs.statSync(proxy.socketPath).mode & 0o777, 0o600);
      const res = await exchange(
        proxy.socketPath,
        `GET http://api.example.com:${s.port}/x?q=1 HTTP/1.1\r\nHost: other-site.example.net\r\nProxy-Authorization: Basic c2VjcmV0\r\nProxy-Connection: keep-alive\r\n\r\n`,
      );
      assert.match(res, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(res, /hello \/x\?q=1\n$/);
      assert.equal(s.seen.length, 1);
      assert.equal(s.seen[0].url, '/x?q=1');
      assert.equal(s.seen[0].headers.host, `api.example.com:${s.port}`);
      assert.equal(s.seen[0].headers['proxy-authorization'], undefined);
      assert.equal(s.seen[0].headers.connection, 'close');
      assert.deepEqual(logs, []);
    } finally {
      s.server.close();
    }
  });

  it('refuses a host no entry allows with 403, warns once naming the agent and host (never the path)', async () => {
    const s = await httpServer();
    try {
      await start(['api.example.com']);
      for (let i = 0; i < 2; i++) {
        const res = await exchange(
          proxy.socketPath,
          `GET http://denied.example.org:${s.port}/secret-token-123 HTTP/1.1\r\nHost: x\r\n\r\n`,
        );
        assert.match(res, /^HTTP\/1\.1 403 Forbidden\r\n/);
        assert.match(
          res,
          new RegExp(
            `denied\\.example\\.org:${s.port} is not allowed: no sandbox\\.network\\.allowedDomains entry matches it`,
          ),
        );
      }
      assert.equal(s.seen.length, 0, 'nothing reached the server');
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(
        logs[0],
        new RegExp(
          `^warning: sandbox network: agent "fetcher" was refused denied\\.example\\.org:${s.port}: .*~/\\.claude/settings\\.json`,
        ),
      );
      assert.doesNotMatch(logs[0], /secret-token/);
    } finally {
      s.server.close();
    }
  });

  it('deniedDomains wins over an allowing wildcard', async () => {
    const s = await httpServer();
    try {
      await start(['api.example.com', '*.example.org'], ['denied.example.org']);
      const res = await exchange(proxy.socketPath, `GET http://denied.example.org:${s.port}/ HTTP/1.1\r\n\r\n`);
      assert.match(res, /^HTTP\/1\.1 403 .*\r\n[\s\S]*deniedDomains has "denied\.example\.org"/);
      assert.equal(s.seen.length, 0);
    } finally {
      s.server.close();
    }
  });

  it('CONNECT to an allowed host tunnels bytes both ways (bytes sent early included); a refused one connects nowhere', async () => {
    let connections = 0;
    const echo = net.createServer((c) => {
      connections++;
      c.pipe(c);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const port = (echo.address() as net.AddressInfo).port;
    try {
      await start(['api.example.com']);
      const res = await exchange(
        proxy.socketPath,
        `CONNECT api.example.com:${port} HTTP/1.1\r\nHost: api.example.com:${port}\r\n\r\nping-through-tunnel`,
        /ping-through-tunnel$/,
      );
      assert.match(res, /^HTTP\/1\.1 200 Connection Established\r\n\r\nping-through-tunnel$/);
      assert.equal(connections, 1);
      const refused = await exchange(proxy.socketPath, `CONNECT denied.example.org:${port} HTTP/1.1\r\n\r\n`);
      assert.match(refused, /^HTTP\/1\.1 403 Forbidden/);
      assert.equal(connections, 1, 'the refused CONNECT opened no connection');
      assert.match(
        await exchange(proxy.socketPath, 'CONNECT api.example.com HTTP/1.1\r\n\r\n'),
        /^HTTP\/1\.1 400 .*[\s\S]*host:port/,
      );
    } finally {
      echo.close();
    }
  });

  it(`refuses a request head over ${HEADER_LIMIT_BYTES} bytes with 431, finished or not`, async () => {
    const s = await httpServer();
    try {
      await start(['api.example.com']);
      const big = `X-Fill: ${'a'.repeat(HEADER_LIMIT_BYTES)}\r\n`;
      const unfinished = await exchange(proxy.socketPath, `GET http://api.example.com:${s.port}/ HTTP/1.1\r\n${big}`);
      assert.match(unfinished, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      const finished = await exchange(proxy.socketPath, `GET http://api.example.com:${s.port}/ HTTP/1.1\r\n${big}\r\n`);
      assert.match(finished, /^HTTP\/1\.1 431 /);
      assert.equal(s.seen.length, 0);
    } finally {
      s.server.close();
    }
  });

  it('a name on a wildcard that resolves to loopback (even among public addresses) is refused; an exact entry opens it', async () => {
    const s = await httpServer();
    try {
      await start(['*.example.com']);
      for (const host of ['api.example.com', 'mixed.example.com']) {
        const res = await exchange(proxy.socketPath, `GET http://${host}:${s.port}/ HTTP/1.1\r\n\r\n`);
        assert.match(res, /^HTTP\/1\.1 403 /, host);
        assert.match(
          res,
          /resolves to 127\.0\.0\.1, a loopback address \(this machine\); only an exact sandbox\.network\.allowedDomains entry \(not "\*\.example\.com"\)/,
        );
      }
      assert.equal(s.seen.length, 0);
      await proxy.close();
      await start(['*.example.com', 'api.example.com']);
      assert.match(
        await exchange(proxy.socketPath, `GET http://api.example.com:${s.port}/ok HTTP/1.1\r\n\r\n`),
        /^HTTP\/1\.1 200 [\s\S]*hello \/ok/,
      );
      assert.equal(s.seen.length, 1);
    } finally {
      s.server.close();
    }
  });

  it('follows no redirect: the 302 goes back to the client, the target it names is not contacted', async () => {
    const target = await httpServer();
    const s = await httpServer((_req, res) => {
      res.writeHead(302, { Location: `http://denied.example.org:${target.port}/` });
      res.end();
    });
    try {
      await start(['api.example.com']);
      const res = await exchange(proxy.socketPath, `GET http://api.example.com:${s.port}/go HTTP/1.1\r\n\r\n`);
      assert.match(
        res,
        new RegExp(`^HTTP/1\\.1 302 Found\\r\\n[\\s\\S]*location: http://denied\\.example\\.org:${target.port}/`, 'i'),
      );
      assert.equal(target.seen.length, 0);
      assert.match(
        await exchange(proxy.socketPath, `GET http://denied.example.org:${target.port}/ HTTP/1.1\r\n\r\n`),
        /^HTTP\/1\.1 403 /,
        'following it by hand is judged again',
      );
    } finally {
      s.server.close();
      target.server.close();
    }
  });

  it('answers 400 to what is not a proxy request and 502 to a name that does not resolve', async () => {
    await start(['api.example.com', 'nowhere.example.com']);
    assert.match(
      await exchange(proxy.socketPath, 'GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n'),
      /^HTTP\/1\.1 400 [\s\S]*send absolute http:\/\/ URLs/,
    );
    assert.match(
      await exchange(proxy.socketPath, 'GET https://api.example.com/ HTTP/1.1\r\n\r\n'),
      /^HTTP\/1\.1 400 [\s\S]*use CONNECT/,
    );
    assert.match(await exchange(proxy.socketPath, 'garbage\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(
      await exchange(proxy.socketPath, 'GET http://nowhere.example.com/ HTTP/1.1\r\n\r\n'),
      /^HTTP\/1\.1 502 [\s\S]*could not be resolved \(ENOTFOUND\)/,
    );
  });

  it('close() cuts open tunnels', async () => {
    const echo = net.createServer((c) => c.pipe(c));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const port = (echo.address() as net.AddressInfo).port;
    try {
      await start(['api.example.com']);
      const c = net.connect(proxy.socketPath);
      const closed = new Promise<void>((r) => c.on('close', () => r()));
      c.on('error', () => undefined);
      await new Promise<void>((r) => {
        c.once('data', () => r());
        c.write(`CONNECT api.example.com:${port} HTTP/1.1\r\n\r\n`);
      });
      await proxy.close();
      await closed;
      assert.equal(fs.existsSync(proxy.socketPath), false, 'the socket file is gone');
    } finally {
      echo.close();
    }
  });
});
