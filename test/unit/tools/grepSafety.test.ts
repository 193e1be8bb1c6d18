// Grep on ripgrep, as an attacker would use it: patterns that backtrack catastrophically in a
// JavaScript RegExp, patterns that look like options, FIFOs, symlinks out of the workspace, files
// hidden by Read rules or .gitignore, and a machine without ripgrep.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { grepTool } from '../../../src/agent/tools/grep';
import { RIPGREP_MISSING, ripgrepCommand, ripgrepInVsCode, useBundledRipgrep } from '../../../src/agent/tools/ripgrep';
import type { ToolGate } from '../../../src/agent/tools/context';
import type { TestContext } from './helpers';
import { makeContext, openAccess, tempDir, write } from './helpers';

describe('tools/Grep on ripgrep: hostile input', () => {
  let root: string;
  let outside: string;
  let ctx: TestContext;
  beforeEach(() => {
    root = tempDir();
    outside = tempDir('dwf-outside-');
    ctx = makeContext(root);
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });
  const grep = (input: Record<string, unknown>) => grepTool.run(input, ctx);

  it('a catastrophically backtracking pattern returns at once and leaves the event loop free', async function () {
    this.timeout(15_000);
    // 40 characters and no "!": a backtracking engine tries ~2^40 ways to split them.
    const file = write(root, 'ids.txt', `${'a'.repeat(40)}\n${'x-0'.repeat(20)}\n${'ab0-'.repeat(10)}!\n`);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const started = Date.now();
    try {
      const r = await grep({ pattern: '^([a-z0-9x-]+)+!$', output_mode: 'content' });
      assert.equal(r.content, `${file}:3:${'ab0-'.repeat(10)}!`);
      const nested = await grep({ pattern: '(a|aa)+(b|bb)*\\1$', path: file });
      assert.equal(nested.isError, true, 'backreferences are not ripgrep syntax: refused, not run');
      assert.match(nested.content, /^Invalid regular expression \(ripgrep syntax\): .*backreferences/);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.ok(ticks > 0, 'the timer kept ticking while ripgrep searched');
  });

  it('a pattern that looks like an option is searched for as text', async () => {
    const file = write(root, 'flags.txt', 'run with --files or -e\n');
    assert.equal((await grep({ pattern: '--files' })).content, `Found 1 file\n${file}`);
    assert.equal(
      (await grep({ pattern: '-e', output_mode: 'count' })).content,
      `${file}:1\n\nFound 1 matching line(s) across 1 file(s).`,
    );
  });

  it('honours .gitignore in a git repository and searches hidden files', async () => {
    fs.mkdirSync(path.join(root, '.git'));
    write(root, '.gitignore', 'build/\n*.log\n');
    write(root, 'build/out.js', 'needle\n');
    write(root, 'debug.log', 'needle\n');
    const kept = write(root, 'src/keep.ts', 'needle\n');
    const hidden = write(root, '.config/settings.json', 'needle\n');
    assert.equal((await grep({ pattern: 'needle' })).content, `Found 2 files\n${hidden}\n${kept}`);
  });

  it('follows no symlink out of the workspace, file or folder', async () => {
    write(outside, 'secret.txt', 'needle\n');
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked.txt'));
    const own = write(root, 'own.txt', 'needle\n');
    assert.equal((await grep({ pattern: 'needle' })).content, `Found 1 file\n${own}`);
    const direct = await grep({ pattern: 'needle', path: path.join(root, 'linked.txt') });
    assert.equal(direct.isError, true, 'the path guard refuses a link that resolves outside');
  });

  it('drops files a Read rule hides, without saying whether they matched', async () => {
    const env = write(root, '.env', 'API_KEY=sk-live-123\n');
    const app = write(root, 'app.ts', 'const API_KEY = process.env.API_KEY;\n');
    const deny: ToolGate = {
      ...openAccess(),
      readable: (p) =>
        p === env ? { allowed: false, reason: `Read(${env}) is denied by a permission rule` } : { allowed: true },
    };
    ctx.access = deny;
    assert.equal((await grep({ pattern: 'API_KEY' })).content, `Found 1 file\n${app}`);
    // The answer for a pattern only the hidden file matches is the one for a pattern nothing matches.
    assert.deepEqual(await grep({ pattern: 'sk-live-1' }), await grep({ pattern: 'no-such-text-anywhere' }));
    assert.deepEqual(await grep({ pattern: 'sk-live-1', output_mode: 'content' }), { content: 'No matches found' });
    assert.deepEqual(await grep({ pattern: 'API', path: env }), {
      isError: true,
      content: `Read(${env}) is denied by a permission rule`,
    });
  });

  it('refuses a FIFO given as path and skips one inside a folder, without blocking', async function () {
    this.timeout(10_000);
    const fifo = path.join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const file = write(root, 'a.txt', 'needle\n');
    const r = await grep({ pattern: 'needle', path: fifo });
    assert.equal(r.isError, true);
    assert.match(r.content, /pipe is a FIFO \(named pipe\), not a regular file/);
    assert.equal((await grep({ pattern: 'needle' })).content, `Found 1 file\n${file}`);
  });

  it('stops ripgrep once head_limit is reached on a large tree', async function () {
    this.timeout(15_000);
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i} needle`).join('\n');
    for (let i = 0; i < 5; i++) write(root, `big${i}.txt`, big);
    const r = await grep({ pattern: 'needle', output_mode: 'content', head_limit: 3 });
    assert.equal(r.content.split('\n').length, 4);
    assert.match(r.content, /more exist: continue with offset=3/);
  });

  it('says how to install ripgrep when there is none', async () => {
    write(root, 'a.txt', 'needle\n');
    const saved = { rg: process.env.DWF_RG, path: process.env.PATH };
    try {
      process.env.DWF_RG = path.join(root, 'no-rg-here');
      const named = await grep({ pattern: 'needle' });
      assert.equal(named.isError, true);
      assert.match(
        named.content,
        /^DWF_RG is .*no-rg-here, which does not exist\. Grep needs ripgrep .*apt-get install ripgrep/,
      );
      delete process.env.DWF_RG;
      process.env.PATH = root; // no rg on this PATH
      assert.deepEqual(await grep({ pattern: 'needle' }), { isError: true, content: RIPGREP_MISSING });
    } finally {
      if (saved.rg === undefined) delete process.env.DWF_RG;
      else process.env.DWF_RG = saved.rg;
      process.env.PATH = saved.path;
    }
  });

  it("finds VS Code's own ripgrep under appRoot; DWF_RG comes first, PATH last", () => {
    const appRoot = path.join(root, 'app');
    assert.equal(ripgrepInVsCode(appRoot), undefined);
    const rg = write(appRoot, 'node_modules/@vscode/ripgrep/bin/rg', '');
    assert.equal(ripgrepInVsCode(appRoot), rg);
    assert.equal(ripgrepInVsCode(appRoot, 'win32'), undefined, 'rg.exe on Windows');
    const universal = write(root, 'app2/node_modules/@vscode/ripgrep-universal/bin/linux-arm64/rg', '');
    assert.equal(ripgrepInVsCode(path.join(root, 'app2'), 'linux', 'arm64'), universal);
    assert.equal(ripgrepInVsCode(path.join(root, 'app2'), 'linux', 'x64'), undefined);
    try {
      useBundledRipgrep(rg);
      assert.deepEqual(ripgrepCommand({}), { ok: true, file: rg });
      const mine = write(root, 'my-rg', '');
      assert.deepEqual(ripgrepCommand({ DWF_RG: mine }), { ok: true, file: mine });
      useBundledRipgrep(path.join(root, 'gone'));
      assert.deepEqual(ripgrepCommand({}), { ok: true, file: 'rg' });
    } finally {
      useBundledRipgrep(undefined);
    }
  });
});
