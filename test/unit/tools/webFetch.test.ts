// WebFetch against a local HTTP server on 127.0.0.1: HTML to text, redirects, errors, caps, and
// the schemes it refuses.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WEBFETCH_MAX_BYTES, webFetchTool } from '../../../src/agent/tools/webFetch';
import { htmlToMarkdown } from '../../../src/agent/tools/html';
import type { TestContext } from './helpers';
import { makeContext, tempDir } from './helpers';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const PAGE = `<!doctype html><html><head><title>Release &amp; notes</title><style>body{color:red}</style>
<script>var secret = "do not show";</script></head>
<body><h1>Version 2</h1><p>Fixes &lt;many&gt; bugs&nbsp;&#8212; see <a href="/docs/x?a=1&amp;b=2">the docs</a>.</p>
<ul><li>one</li><li>two</li></ul><!-- hidden comment --><div>last<br>line</div></body></html>`;

describe('tools/WebFetch', () => {
  let server: http.Server;
  let base: string;
  let root: string;
  let ctx: TestContext;
  const sockets = new Set<Socket>();

  before(async () => {
    server = http.createServer((req, res) => {
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
      switch (req.url) {
        case '/page':
          return send(200, 'text/html; charset=utf-8', PAGE);
        case '/redirect':
          res.writeHead(302, { location: '/page' });
          return res.end();
        case '/loop':
          res.writeHead(302, { location: '/loop' });
          return res.end();
        case '/json':
          return send(200, 'application/json', '{"ok":true}');
        case '/gzip': {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
          return res.end(zlib.gzipSync('squeezed text'));
        }
        case '/missing':
          return send(404, 'text/plain', 'no such page');
        case '/image':
          return send(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
        case '/latin1':
          return send(200, 'text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        case '/big': {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = 'abcdefghij'.repeat(6553) + '\n'; // 64 KiB
          let sent = 0;
          const more = () => {
            while (sent < 8 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', more);
            }
            res.end();
          };
          res.on('error', () => undefined);
          return more();
        }
        case '/slow':
          return; // never answers
        default:
          return send(500, 'text/plain', 'unexpected');
      }
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('turns HTML into Markdown (in a worker): scripts and styles gone, entities decoded, links kept as absolute URLs', async () => {
    const r = await webFetchTool.run({ url: `${base}/page`, prompt: 'what changed?' }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(
      r.content,
      [
        `URL: ${base}/page`,
        'HTTP 200 OK',
        'Content-Type: text/html',
        '',
        'Release & notes',
        '',
        '# Version 2',
        '',
        `Fixes <many> bugs — see [the docs](${base}/docs/x?a=1&b=2).`,
        '',
        '- one',
        '- two',
        '',
        'last',
        'line',
      ].join('\n'),
    );
    assert.ok(
      !r.content.includes('secret') && !r.content.includes('color:red') && !r.content.includes('hidden comment'),
    );
  });

  it('follows redirects and shows the final URL', async () => {
    const r = await webFetchTool.run({ url: `${base}/redirect` }, ctx);
    assert.ok(r.content.startsWith(`URL: ${base}/page (redirected from ${base}/redirect)\nHTTP 200 OK`), r.content);
    const loop = await webFetchTool.run({ url: `${base}/loop` }, ctx);
    assert.equal(loop.isError, true);
    assert.equal(loop.content, `Fetching ${base}/loop failed: more than 10 redirects (last to ${base}/loop).`);
  });

  it('returns JSON and other text as is, decoding the declared charset', async () => {
    assert.equal(
      (await webFetchTool.run({ url: `${base}/json` }, ctx)).content,
      `URL: ${base}/json\nHTTP 200 OK\nContent-Type: application/json\n\n{"ok":true}`,
    );
    assert.match((await webFetchTool.run({ url: `${base}/latin1` }, ctx)).content, /\n\ncafé$/);
  });

  it('decompresses a gzip body', async () => {
    assert.match((await webFetchTool.run({ url: `${base}/gzip` }, ctx)).content, /\n\nsqueezed text$/);
  });

  it('an HTTP error status is a tool error with the body', async () => {
    const r = await webFetchTool.run({ url: `${base}/missing` }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: `URL: ${base}/missing\nHTTP 404 Not Found\nContent-Type: text/plain\n\nno such page`,
    });
  });

  it('refuses binary content', async () => {
    const r = await webFetchTool.run({ url: `${base}/image` }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: `${base}/image returned image/png, which WebFetch cannot show as text (HTTP 200).`,
    });
  });

  it('reads at most the byte cap and cuts the text to limits.outputChars, saying both', async () => {
    ctx.limits.outputChars = 5000;
    const r = await webFetchTool.run({ url: `${base}/big` }, ctx);
    assert.equal(r.isError, undefined);
    assert.ok(r.content.includes(`[Only the first ${WEBFETCH_MAX_BYTES} bytes of the response were read.]`));
    assert.match(
      r.content,
      new RegExp(
        `\\n\\[Output cut: showing \\d+ of ${WEBFETCH_MAX_BYTES} characters\\. The rest of the page was left out\\.\\]$`,
      ),
    );
    assert.ok(r.content.length < 5400);
  });

  it('refuses schemes other than http(s) and invalid URLs', async () => {
    assert.deepEqual(await webFetchTool.run({ url: 'file:///etc/passwd' }, ctx), {
      isError: true,
      content: 'WebFetch only fetches http and https URLs, not file:. Use Read for workspace files.',
    });
    assert.deepEqual(await webFetchTool.run({ url: 'ftp://127.0.0.1/x' }, ctx), {
      isError: true,
      content: 'WebFetch only fetches http and https URLs, not ftp:. Use Read for workspace files.',
    });
    assert.deepEqual(await webFetchTool.run({ url: 'data:text/plain,hi' }, ctx), {
      isError: true,
      content: 'WebFetch only fetches http and https URLs, not data:. Use Read for workspace files.',
    });
    assert.deepEqual(await webFetchTool.run({ url: 'not a url' }, ctx), {
      isError: true,
      content: 'Invalid URL: not a url',
    });
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await webFetchTool.run({ url: `http://127.0.0.1:${port}/` }, ctx);
    assert.equal(r.isError, true);
    assert.match(r.content, /failed: connect ECONNREFUSED/);
  });

  it('stops when the agent is aborted', async () => {
    const ac = new AbortController();
    ctx.signal = ac.signal;
    const pending = webFetchTool.run({ url: `${base}/slow` }, ctx);
    setTimeout(() => ac.abort(), 100);
    assert.deepEqual(await pending, { isError: true, content: 'The fetch was aborted.' });
  });

  it('htmlToMarkdown leaves fragment and javascript links as plain text', () => {
    assert.equal(
      htmlToMarkdown('<p><a href="#top">Top</a> <a href="javascript:void(0)">Go</a> &#x41;&unknown;</p>'),
      'Top Go A&unknown;',
    );
  });
});
