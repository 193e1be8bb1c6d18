// Shared by the OS sandbox tests: a temp git repository as the workspace, a tool context whose
// Bash goes through a given CommandSandbox, and whether bubblewrap works on this machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bashTool } from '../../../src/agent/tools/bash';
import { DEFAULT_LIMITS, type ToolContext, type ToolResult } from '../../../src/agent/tools/context';
import { CommandSandbox, probeSandbox, type CommandSandboxOptions } from '../../../src/agent/sandbox';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';

export const support = probeSandbox();

/** Real-process sandbox tests need bwrap; CI installs it (apt-get install bubblewrap). */
export function requireBwrap(ctx: Mocha.Context): void {
  if (!support.available) {
    console.warn(`    (skipped: ${support.reason})`);
    ctx.skip();
  }
}

export function tempRepo(prefix = 'dwf-sbx-'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const git = spawnSync('git', ['init', '-q', root], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git init failed: ${git.stderr}`);
  return root;
}

export function contextFor(
  root: string,
  options: CommandSandboxOptions = {},
): ToolContext & { sandbox: CommandSandbox } {
  return {
    workspace: new FsWorkspace([root]),
    paths: { resolve: (p) => ({ ok: true, real: path.resolve(root, p) }) },
    commands: { check: async () => ({ allowed: true }) },
    access: {
      readable: () => ({ allowed: true }),
      authorizeRead: async () => ({ allowed: true }),
      authorizeWrite: async () => ({ allowed: true }),
      authorizeFetch: async () => ({ allowed: true }),
    },
    cwd: root,
    signal: new AbortController().signal,
    limits: { ...DEFAULT_LIMITS, bashTimeoutMs: 20_000 },
    sandbox: new CommandSandbox(options),
  };
}

export function bash(ctx: ToolContext, command: string): Promise<ToolResult> {
  return bashTool.run({ command }, ctx);
}

/** Host pids of `sleep <marker…>` processes (the test commands' unique sleeps). */
export function pidsWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const state = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const argv = cmd.split('\0');
      if (path.basename(argv[0]) === 'sleep' && argv[1]?.startsWith(marker) && !/^\d+ \(.*\) Z/.test(state))
        out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
