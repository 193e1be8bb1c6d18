// Real commands in bubblewrap with sandbox.network.allowedDomains: curl and node inside the sandbox
// reach a test server on the host's 127.0.0.1 only by a name the rules allow, only through the
// proxy (the variables are set for them), and nothing else: not another host, not the same server
// by its address, not directly around the proxy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import type { CommandSandbox } from '../../../src/agent/sandbox';
import { DEFAULT_SANDBOX_SETTINGS, type CommandSandboxOptions } from '../../../src/agent/sandbox';
import { resolveHost, type ResolvedAddress } from '../../../src/agent/permissions/addresses';
import type { ToolContext } from '../../../src/agent/tools/context';
import { bash, contextFor, requireBwrap, tempRepo } from './helpers';

/** api.example.com stands for a real name: it resolves to the test server's 127.0.0.1. */
const lookup = async (host: string): Promise<ResolvedAddress[]> =>
  host === 'api.example.com' ? [{ address: '127.0.0.1', family: 4 }] : resolveHost(host);

describe('sandbox-os: network only to allowed domains (real bwrap)', function () {
  this.timeout(30_000);
  let root: string;
  let server: http.Server;
  let port: number;
  let hits: string[];
  let logs: string[];
  let sandbox: CommandSandbox | undefined;
  before(function () {
    requireBwrap(this);
  });
  beforeEach(async () => {
    root = tempRepo();
    hits = [];
    logs = [];
    server = http.createServer((req, res) => {
      hits.push(`${req.headers.host} ${req.url}`);
      res.end(`hello ${req.url}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterEach(() => {
    sandbox?.dispose();
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A tool context whose commands run for agent "net-agent" with these domain lists. */
  function agentContext(
    allowedDomains: string[],
    deniedDomains: string[] = [],
    extra: CommandSandboxOptions = {},
  ): ToolContext {
    const ctx = contextFor(root, {
      settings: { ...DEFAULT_SANDBOX_SETTINGS, allowedDomains, deniedDomains },
      log: (m) => logs.push(m),
      lookup,
      ...extra,
    });
    sandbox = ctx.sandbox;
    return { ...ctx, sandbox: ctx.sandbox.forAgent({ key: 'run-1/a1/1', label: 'net-agent' }) };
  }

  it('curl reaches an allowed name, through a CONNECT tunnel too; the same server by address and other names get 403', async () => {
    const ctx = agentContext(['api.example.com']);
    const r = await bash(
      ctx,
      [
        `curl -sS -m 10 http://api.example.com:${port}/plain`,
        `curl -sS -m 10 --proxytunnel http://api.example.com:${port}/tunnel`,
        `curl -sS -m 10 -o /dev/null -w 'by-address %{http_code}\\n' http://127.0.0.1:${port}/by-address`,
        `curl -sS -m 10 -o /dev/null -w 'other %{http_code}\\n' http://other.example.net:${port}/other`,
      ].join('; '),
    );
    assert.equal(r.isError, undefined, r.content);
    assert.match(r.content, /^hello \/plain\nhello \/tunnel\nby-address 403\nother 403\n/);
    assert.deepEqual(hits, [`api.example.com:${port} /plain`, `api.example.com:${port} /tunnel`]);
    assert.match(
      logs.join('\n'),
      new RegExp(
        `agent "net-agent" was refused 127\\.0\\.0\\.1:${port}: no sandbox\\.network\\.allowedDomains entry matches it`,
      ),
    );
    assert.match(logs.join('\n'), /agent "net-agent" was refused other\.example\.net:/);
  });

  it('nothing goes around the proxy: direct TCP, curl --noproxy, node without the proxy', async () => {
    const ctx = agentContext(['api.example.com', 'localhost']);
    const r = await bash(
      ctx,
      [
        `(exec 3<>/dev/tcp/127.0.0.1/${port} && echo tcp-open) 2>/dev/null || echo tcp-unreachable`,
        `curl -sS -m 5 --noproxy '*' http://localhost:${port}/around >/dev/null 2>&1 && echo noproxy-open || echo noproxy-unreachable`,
        `node -e "require('http').get('http://127.0.0.1:${port}/node', () => console.log('node-open')).on('error', (e) => console.log('node-' + e.code))"`,
        'echo "proxy=$HTTPS_PROXY"',
      ].join('; '),
    );
    assert.match(
      r.content,
      /^tcp-unreachable\nnoproxy-unreachable\nnode-ECONNREFUSED\nproxy=http:\/\/127\.0\.0\.1:3128\n/,
    );
    assert.deepEqual(hits, []);
  });

  it('node through HTTPS_PROXY (CONNECT) reaches an exact "localhost" entry', async () => {
    const ctx = agentContext(['localhost']);
    const script = [
      "const net = require('net'); const u = new URL(process.env.HTTPS_PROXY);",
      'const s = net.connect(Number(u.port), u.hostname, () => s.write(',
      `  'CONNECT localhost:${port} HTTP/1.1\\r\\n\\r\\nGET /from-node HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n'));`,
      "let out = ''; s.on('data', (d) => (out += d)); s.on('close', () => console.log(out.split('\\r\\n').filter(Boolean).pop()));",
    ].join('\n');
    fs.writeFileSync(`${root}/client.js`, script);
    const r = await bash(ctx, 'node client.js');
    assert.match(r.content, /^hello \/from-node\n/);
    assert.deepEqual(hits, [`localhost /from-node`]);
  });

  it("a wildcard does not open a name that resolves to this machine; deniedDomains wins; the agent's proxy closes with it", async () => {
    const ctx = agentContext(['*.example.com'], ['blocked.example.com']);
    const r = await bash(
      ctx,
      [`curl -sS -m 10 http://api.example.com:${port}/w`, `curl -sS -m 10 http://blocked.example.com:${port}/d`].join(
        '; ',
      ),
    );
    assert.match(r.content, /api\.example\.com:\d+ is not allowed: it resolves to 127\.0\.0\.1, a loopback address/);
    assert.match(
      r.content,
      /blocked\.example\.com:\d+ is not allowed: sandbox\.network\.deniedDomains has "blocked\.example\.com"/,
    );
    assert.deepEqual(hits, []);
    const sockets = () =>
      fs
        .readdirSync('/tmp')
        .filter((d) => d.startsWith('dwf-net-'))
        .flatMap((d) => {
          try {
            return fs.readdirSync(`/tmp/${d}`).map((f) => `${d}/${f}`);
          } catch {
            return [];
          }
        });
    const before = sockets();
    sandbox!.release('run-1/a1/1');
    await new Promise((res) => setTimeout(res, 200));
    assert.ok(before.length > sockets().length, `the released agent's socket is removed (${before.join(', ')})`);
  });

  it('without a domain list there is no proxy and no network', async () => {
    const ctx = agentContext([]);
    const r = await bash(
      ctx,
      `echo "proxy=[$HTTP_PROXY]"; curl -sS -m 5 http://localhost:${port}/ >/dev/null 2>&1 || echo unreachable`,
    );
    assert.match(r.content, /^proxy=\[\]\nunreachable\n/);
    assert.deepEqual(hits, []);
  });
});
