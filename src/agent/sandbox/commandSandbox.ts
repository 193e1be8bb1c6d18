// How an agent's command is started: inside bubblewrap when it works here, else (when the
// person's settings allow it) under the watchdog supervisor with a one-time warning, else not at
// all. Owned by one runner; the Bash tool asks it for each command.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bwrapArgs } from './bwrapArgs';
import { sandboxSupport, type SandboxSupport } from './detect';
import { protectedPaths } from './protectedPaths';
import { DEFAULT_SANDBOX_SETTINGS, networkPolicy, type SandboxSettings } from './settings';
import { supervisedArgs } from './supervisor';

export interface CommandLaunch {
  file: string;
  args: string[];
  /** Inside bubblewrap (else: the supervisor, unsandboxed). */
  sandboxed: boolean;
}

export type LaunchPlan = { ok: true; launch: CommandLaunch } | { ok: false; reason: string };

export interface CommandSandboxOptions {
  settings?: SandboxSettings;
  /** Paths to keep read-only inside the sandbox besides each root's own: the runs folder, the config dir. */
  protect?: readonly (string | undefined)[];
  /** Where the one-time warnings go (the runner's log). */
  log?: (message: string) => void;
  /** The detection verdict (tests force one); default: the cached trial run. */
  support?: () => SandboxSupport;
  /** dwf's pid for the fallback watchdog (tests: a stand-in parent). */
  parentPid?: number;
}

export class CommandSandbox {
  readonly settings: SandboxSettings;
  private readonly warned = new Set<string>();
  private tmpDir: string | undefined;

  constructor(private readonly options: CommandSandboxOptions = {}) {
    this.settings = options.settings ?? DEFAULT_SANDBOX_SETTINGS;
  }

  /** How to start `command` in `cwd` with `roots` writable, or why it must not run. */
  prepare(command: string, cwd: string, roots: readonly string[]): LaunchPlan {
    const s = this.settings;
    if (!s.enabled) {
      this.warnOnce('disabled', 'Agent commands run without the OS sandbox: sandbox.enabled is false (or DWF_SANDBOX=off). They can read and write whatever this user can and reach the network.');
      return { ok: true, launch: this.supervised(command) };
    }
    const support = (this.options.support ?? sandboxSupport)();
    if (!support.available) {
      if (s.failIfUnavailable) {
        return { ok: false, reason: `the OS sandbox is required (sandbox.failIfUnavailable or DWF_SANDBOX=require) but unavailable: ${support.reason}` };
      }
      this.warnOnce('unavailable', `Agent commands run WITHOUT the OS sandbox: ${support.reason} Until then they can read and write whatever this user can and reach the network; set sandbox.failIfUnavailable (or DWF_SANDBOX=require) to refuse them instead.`);
      return { ok: true, launch: this.supervised(command) };
    }
    const network = networkPolicy(s);
    if ('unenforcedDomains' in network) {
      this.warnOnce('domains', `sandbox.network.allowedDomains lists ${network.unenforcedDomains.join(', ')}, but this build cannot filter by domain: agent commands get no network. Use ["*"] to allow all network access.`);
    }
    const writable = [...roots, cwd].map(realOrSelf);
    const args = bwrapArgs({
      writable,
      readOnly: protectedPaths(writable, (this.options.protect ?? []).map((p) => (p ? realOrSelf(p) : undefined))),
      tmpDir: this.ensureTmpDir(),
      network: network.kind === 'all',
      resolvConf: resolvConfUnderRun(),
      cwd: realOrSelf(cwd),
    });
    return { ok: true, launch: { file: support.bwrap, args: [...args, '--', 'bash', '-c', command], sandboxed: true } };
  }

  /** Removes the private /tmp (the runner calls it when the host closes; process exit does too). */
  dispose(): void {
    if (!this.tmpDir) return;
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
    this.tmpDir = undefined;
  }

  private supervised(command: string): CommandLaunch {
    return { file: 'bash', args: supervisedArgs(command, this.options.parentPid ?? process.pid), sandboxed: false };
  }

  private ensureTmpDir(): string {
    if (this.tmpDir && fs.existsSync(this.tmpDir)) return this.tmpDir;
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-sandbox-tmp-'));
    fs.chmodSync(this.tmpDir, 0o700);
    const dir = this.tmpDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log?.(`warning: ${message}`);
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function resolvConfUnderRun(): string | undefined {
  try {
    const real = fs.realpathSync('/etc/resolv.conf');
    return real.startsWith('/run/') ? real : undefined;
  } catch {
    return undefined;
  }
}

let fallback: CommandSandbox | undefined;

/** For tool contexts that bring no sandbox of their own: default settings, warnings to stderr. */
export function defaultCommandSandbox(): CommandSandbox {
  fallback ??= new CommandSandbox({ log: (m) => process.stderr.write(`${m}\n`) });
  return fallback;
}
