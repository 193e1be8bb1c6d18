// Bash with real processes: the gate decides before anything is spawned; output, exit code, caps;
// a timeout or an abort stops the whole process group, background children included.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bashTool } from '../../../src/agent/tools/bash';
import type { CommandGate } from '../../../src/agent/tools/context';
import type { TestContext } from './helpers';
import { makeContext, ScriptedGate, tempDir } from './helpers';
import { CommandSandbox, DEFAULT_SANDBOX_SETTINGS } from '../../../src/agent/sandbox';

/** Alive and not a zombie waiting to be reaped (the container's init may be slow to reap). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tools/Bash', function () {
  this.timeout(10_000); // real processes; the SIGTERM grace alone is 2 s
  let root: string;
  let ctx: TestContext;
  const pids: number[] = [];
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
    // Host pids and process groups are observed here: the unsandboxed (supervised) path. The
    // same behaviours inside bubblewrap: test/unit/sandbox-os.
    ctx.sandbox = new CommandSandbox({ settings: { ...DEFAULT_SANDBOX_SETTINGS, enabled: false } });
  });
  afterEach(() => {
    for (const pid of pids.splice(0))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    fs.rmSync(root, { recursive: true, force: true });
  });
  const readPid = (file: string) => {
    const pid = Number(fs.readFileSync(path.join(root, file), 'utf8').trim());
    pids.push(pid);
    return pid;
  };

  it('runs an allowed command in the working directory and returns its output and exit code', async () => {
    const r = await bashTool.run({ command: 'pwd; echo to-stderr >&2', description: 'where am I' }, ctx);
    assert.deepEqual(r, { content: `${root}\nto-stderr\nExit code: 0` });
    assert.deepEqual(ctx.commands.asked, ['pwd; echo to-stderr >&2']);
  });

  it('a non-zero exit is a tool error that still shows the output', async () => {
    const r = await bashTool.run({ command: 'echo partial; exit 3' }, ctx);
    assert.deepEqual(r, { isError: true, content: 'partial\nExit code: 3' });
    assert.deepEqual(await bashTool.run({ command: 'true' }, ctx), { content: '(no output)\nExit code: 0' });
  });

  it('a refused command is never spawned and the model is told why', async () => {
    ctx.commands = new ScriptedGate(() => ({
      allowed: false,
      reason: 'touch is not in the allowed commands (headless: pass --allow or --yes)',
    }));
    const r = await bashTool.run({ command: 'touch proof.txt' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: 'The command was not run: touch is not in the allowed commands (headless: pass --allow or --yes)',
    });
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(fs.existsSync(path.join(root, 'proof.txt')), false);
  });

  it('the gate sees the command, the working directory and the agent signal', async () => {
    const seen: unknown[] = [];
    const gate: CommandGate = {
      check: async (command, cwd, signal) => {
        seen.push(command, cwd, signal);
        return { allowed: true };
      },
    };
    ctx.commands = gate as ScriptedGate;
    await bashTool.run({ command: 'true' }, ctx);
    assert.deepEqual(seen, ['true', root, ctx.signal]);
  });

  it('does not ask or run once the agent is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    ctx.signal = ac.signal;
    const r = await bashTool.run({ command: 'touch proof.txt' }, ctx);
    assert.deepEqual(r, { isError: true, content: 'The command was not run: the agent was stopped.' });
    assert.deepEqual(ctx.commands.asked, []);
    assert.equal(fs.existsSync(path.join(root, 'proof.txt')), false);
  });

  it('a timeout stops the command and its children', async () => {
    const started = Date.now();
    const r = await bashTool.run({ command: 'sleep 30 & echo $! > bg.pid; echo before; sleep 30', timeout: 500 }, ctx);
    assert.ok(Date.now() - started < 5000, 'returned promptly');
    assert.equal(r.isError, true);
    assert.equal(r.content, 'before\n[Command timed out after 500 ms; it and the processes it started were stopped.]');
    const bg = readPid('bg.pid');
    await until(() => !alive(bg));
  });

  it('a command that ignores SIGTERM is killed after the grace period', async () => {
    const started = Date.now();
    const r = await bashTool.run({ command: "trap '' TERM; sleep 30", timeout: 200 }, ctx);
    const took = Date.now() - started;
    assert.ok(took >= 2000 && took < 5000, `took ${took} ms`);
    assert.equal(
      r.content,
      '(no output)\n[Command timed out after 200 ms; it and the processes it started were stopped.]',
    );
  });

  it('uses limits.bashTimeoutMs when the model gives no timeout', async () => {
    ctx.limits.bashTimeoutMs = 300;
    const r = await bashTool.run({ command: 'sleep 30' }, ctx);
    assert.equal(
      r.content,
      '(no output)\n[Command timed out after 300 ms; it and the processes it started were stopped.]',
    );
  });

  it('an abort kills the whole process group (a `sleep 30 & sleep 30` child dies)', async () => {
    const ac = new AbortController();
    ctx.signal = ac.signal;
    const pending = bashTool.run({ command: 'sleep 30 & echo $! > bg.pid; sleep 30' }, ctx);
    await until(
      () =>
        fs.existsSync(path.join(root, 'bg.pid')) && fs.readFileSync(path.join(root, 'bg.pid'), 'utf8').endsWith('\n'),
    );
    const bg = readPid('bg.pid');
    assert.ok(alive(bg), 'the background child runs before the abort');
    const started = Date.now();
    ac.abort();
    const r = await pending;
    assert.ok(Date.now() - started < 3000, 'returned promptly');
    assert.deepEqual(r, { isError: true, content: '(no output)\n[Command stopped: the agent was aborted.]' });
    await until(() => !alive(bg));
  });

  it('a background child still holding the output is stopped when the command ends', async () => {
    const started = Date.now();
    const r = await bashTool.run({ command: 'sleep 30 & echo $! > bg.pid; echo done' }, ctx);
    assert.ok(Date.now() - started < 3000, 'did not wait for the background child');
    assert.deepEqual(r, {
      content:
        'done\n[Background processes still holding the output when the command ended were stopped.]\nExit code: 0',
    });
    const bg = readPid('bg.pid');
    await until(() => !alive(bg));
  });

  it('caps output, keeping the start and the end, and says so', async () => {
    ctx.limits.outputChars = 1000;
    const r = await bashTool.run({ command: 'echo FIRST; seq 1 100000; echo LAST' }, ctx);
    const [head, note, tail] = r.content.split(/\n(\[Output cut:[^\]]*\])\n/);
    assert.ok(head.startsWith('FIRST\n1\n2\n'));
    assert.equal(head.length, 500);
    assert.ok(tail.endsWith('100000\nLAST\nExit code: 0'));
    assert.match(
      note,
      /^\[Output cut: \d+ of 588906 characters left out here; the start and the end are shown\. Redirect to a file and use Read or Grep to see all of it\.\]$/,
    );
    assert.equal(r.isError, undefined);
  });

  it('keeps multi-byte characters whole across chunks', async () => {
    ctx.limits.outputChars = 100_000;
    const r = await bashTool.run({ command: "for i in $(seq 1 20000); do printf 'é€'; done" }, ctx);
    const text = r.content.replace(/\nExit code: 0$/, '');
    assert.equal(text.length, 40000);
    assert.ok(/^(é€)+$/.test(text));
  });

  it('does not pass the API key to commands', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test';
    try {
      const r = await bashTool.run({ command: 'echo "[${ANTHROPIC_API_KEY:-}]"' }, ctx);
      assert.equal(r.content, '[]\nExit code: 0');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('reports a command that cannot start, an empty command and a bad timeout', async () => {
    ctx.cwd = path.join(root, 'gone');
    const r = await bashTool.run({ command: 'true' }, ctx);
    assert.equal(r.isError, true);
    assert.match(r.content, /^The command could not be started: spawn bash ENOENT/);
    assert.deepEqual(await bashTool.run({ command: '  ' }, ctx), { isError: true, content: 'The command is empty.' });
    assert.deepEqual(await bashTool.run({ command: 'true', timeout: 0 }, ctx), {
      isError: true,
      content: 'Invalid input for Bash: `timeout` must be at least 1, got 0',
    });
  });
});
