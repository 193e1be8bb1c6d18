// Commands die with dwf, even when dwf is SIGKILLed (no chance to clean up): a real parent
// process runs the Bash tool, the test kills it and watches the command's processes go.
// Also: the key in that parent's start-up environment is not readable from the command.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidsWith, requireBwrap, support, tempRepo, until } from './helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'dwfLike.js');
const KEY = 'sk-ant-api03-planted-KEY-9f8e7d6c5b4a3210';

function startParent(mode: 'sandbox' | 'fallback', hide: 'hide' | 'keep', root: string, command: string) {
  const env = { ...process.env, ANTHROPIC_API_KEY: KEY };
  const child = spawn(process.execPath, [FIXTURE, mode, hide, root, command], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return { child, exited, output: () => out, errors: () => err };
}

describe("sandbox-os: command lifetime and the parent's key", function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => {
    root = tempRepo();
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const mode of ['sandbox', 'fallback'] as const) {
    it(`${mode}: SIGKILL of the parent stops the command and its background children within seconds`, async function () {
      if (mode === 'sandbox') requireBwrap(this);
      const marker = `31${mode.length}.${process.pid % 1000}${Date.now() % 1000}`;
      const p = startParent(mode, 'keep', root, `sleep ${marker}1 & sleep ${marker}2`);
      await until(() => pidsWith(marker).length === 2, 10_000, `both sleeps run (${p.errors()})`);
      p.child.kill('SIGKILL');
      await p.exited;
      const killed = Date.now();
      await until(() => pidsWith(marker).length === 0, 5_000, 'the command died with its parent');
      assert.ok(Date.now() - killed < 5_000);
    });
  }

  it('sandbox: /proc/$PPID/environ and every /proc/*/environ inside show no key', async function () {
    requireBwrap(this);
    const p = startParent(
      'sandbox',
      'keep',
      root,
      'cat /proc/$PPID/environ /proc/*/environ 2>&1 | tr "\\0" "\\n"; echo END',
    );
    await p.exited;
    assert.match(p.output(), /END/);
    assert.ok(!p.output().includes(KEY) && !p.output().includes('planted'), p.output());
  });

  it('fallback: the parent wiped the key from its environ block, so /proc/$PPID/environ does not show it', async () => {
    const p = startParent('fallback', 'hide', root, 'tr "\\0" "\\n" < /proc/$PPID/environ; echo END');
    await p.exited;
    const out = p.output();
    assert.match(out, /ANTHROPIC_API_KEY=\*+\\n/, 'the variable is still there, its value overwritten');
    assert.ok(!out.includes(KEY), out);
  });

  it('fallback without the wipe: the key IS readable from /proc/$PPID/environ (why dwf wipes it)', async () => {
    const p = startParent('fallback', 'keep', root, 'tr "\\0" "\\n" < /proc/$PPID/environ; echo END');
    await p.exited;
    assert.ok(p.output().includes(KEY), 'control: the attack works on an unprotected parent');
  });

  it('detection agrees with the machine', () => {
    if (support.available) assert.ok(fs.existsSync(support.bwrap));
    else assert.match(support.reason, /bubblewrap|bwrap/);
  });
});
