// How an agent's command is started: inside bubblewrap when it works here, else (when the
// person's settings allow it) under the watchdog supervisor with a one-time warning, else not at
// all. Owned by one runner; the Bash tool asks it for each command.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedAddress } from '../permissions/addresses';
import { bwrapArgs } from './bwrapArgs';
import { sandboxSupport, type SandboxSupport } from './detect';
import { removeAtExit, removeNow } from './exitCleanup';
import { AgentProxies, type AgentIdentity } from './network/agentProxies';
import { bridgeBwrapArgs, bridgedCommand } from './network/bridgeLaunch';
import { gitDirsIn, type GitDirs } from './gitDirs';
import { gitRedirectGuard } from './gitRedirects';
import { QUARANTINE_SUFFIX, quarantineNewRepositories } from './newRepositories';
import { protectedMounts } from './protectedPaths';
import { DEFAULT_SANDBOX_SETTINGS, networkPolicy, type NetworkPolicy, type SandboxSettings } from './settings';
import { supervisedArgs } from './supervisor';

export interface CommandLaunch {
  file: string;
  args: string[];
  /** Inside bubblewrap (else: the supervisor, unsandboxed). */
  sandboxed: boolean;
}

export type LaunchPlan =
  | {
      ok: true;
      launch: CommandLaunch;
      /** Called when the command has ended: undoes what bind mounts cannot forbid, and says what it undid. */
      after?: () => string | undefined;
    }
  | { ok: false; reason: string };

/** What the Bash tool needs: how to start one command (for one agent, when it is bound to one). */
export interface CommandLauncher {
  prepare(command: string, cwd: string, roots: readonly string[]): Promise<LaunchPlan>;
}

/** Commands run outside any agent (tests, tool contexts without a runner). */
const NO_AGENT: AgentIdentity = { key: '', label: '(no agent)' };

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
  /** How the network proxy resolves names (tests map names to 127.0.0.1); default: the system resolver. */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
}

export class CommandSandbox implements CommandLauncher {
  readonly settings: SandboxSettings;
  private readonly network: NetworkPolicy;
  private readonly proxies: AgentProxies | undefined;
  private readonly warned = new Set<string>();
  private tmpDir: string | undefined;

  constructor(private readonly options: CommandSandboxOptions = {}) {
    this.settings = options.settings ?? DEFAULT_SANDBOX_SETTINGS;
    this.network = networkPolicy(this.settings);
    this.proxies =
      this.network.kind === 'filtered' ? new AgentProxies(this.network.rules, options.log, options.lookup) : undefined;
  }

  /** This sandbox for one agent: its commands' network goes through that agent's own proxy. */
  forAgent(agent: AgentIdentity): CommandLauncher {
    return { prepare: (command, cwd, roots) => this.prepare(command, cwd, roots, agent) };
  }

  /** The agent has ended: its proxy closes. */
  release(agentKey: string): void {
    this.proxies?.release(agentKey);
  }

  /** How to start `command` in `cwd` with `roots` writable, or why it must not run. */
  async prepare(
    command: string,
    cwd: string,
    roots: readonly string[],
    agent: AgentIdentity = NO_AGENT,
  ): Promise<LaunchPlan> {
    const s = this.settings;
    if (!s.enabled) {
      this.warnOnce(
        'disabled',
        'Agent commands run without the OS sandbox: sandbox.enabled is false (or DWF_SANDBOX=off). They can read and write whatever this user can and reach the network.',
      );
      return { ok: true, launch: this.supervised(command) };
    }
    const support = (this.options.support ?? sandboxSupport)();
    if (!support.available) {
      if (s.failIfUnavailable) {
        return {
          ok: false,
          reason: `the OS sandbox is required (sandbox.failIfUnavailable or DWF_SANDBOX=require) but unavailable: ${support.reason}`,
        };
      }
      this.warnOnce(
        'unavailable',
        `Agent commands run WITHOUT the OS sandbox: ${support.reason} Until then they can read and write whatever this user can and reach the network; set sandbox.failIfUnavailable (or DWF_SANDBOX=require) to refuse them instead.`,
      );
      return { ok: true, launch: this.supervised(command) };
    }
    const network = this.network;
    if (network.kind === 'none' && network.closedBy)
      this.warnOnce('domains', `Agent commands get no network: ${network.closedBy}.`);
    let proxySocket: string | undefined;
    if (this.proxies) {
      try {
        proxySocket = await this.proxies.socketFor(agent);
      } catch (e) {
        return {
          ok: false,
          reason: `the network proxy for sandbox.network.allowedDomains could not start (${(e as Error).message}); the command was not run`,
        };
      }
    }
    const writable = [...roots, cwd].map(realOrSelf);
    const mounts = protectedMounts(
      writable,
      (this.options.protect ?? []).map((p) => (p ? realOrSelf(p) : undefined)),
    );
    for (const root of mounts.truncated)
      this.warnOnce(
        `truncated:${root}`,
        `Nested git repositories in ${root} were looked for in its first folders only (it has too many); a repository deeper down is not protected from agent commands.`,
      );
    const args = bwrapArgs({
      writable,
      pinned: mounts.pinned,
      readOnly: mounts.readOnly,
      tmpDir: this.ensureTmpDir(),
      network: network.kind === 'all',
      resolvConf: resolvConfUnderRun(),
      cwd: realOrSelf(cwd),
    });
    const tail = proxySocket
      ? [...bridgeBwrapArgs(proxySocket), '--', ...bridgedCommand(command)]
      : ['--', 'bash', '-c', command];
    const guard = gitRedirectGuard(mounts.gitDirs);
    return {
      ok: true,
      launch: { file: support.bwrap, args: [...args, ...tail], sandboxed: true },
      after: () => {
        const notes = [guard.restore(), newRepositoriesNote(mounts.found, mounts.walked)].filter(Boolean);
        return notes.length ? notes.join('\n') : undefined;
      },
    };
  }

  /** Removes the private /tmp and stops the network proxies (the runner calls it when the host closes; process exit does too). */
  dispose(): void {
    this.proxies?.closeAll();
    if (!this.tmpDir) return;
    removeNow(this.tmpDir);
    this.tmpDir = undefined;
  }

  private supervised(command: string): CommandLaunch {
    return { file: 'bash', args: supervisedArgs(command, this.options.parentPid ?? process.pid), sandboxed: false };
  }

  private ensureTmpDir(): string {
    if (this.tmpDir && fs.existsSync(this.tmpDir)) return this.tmpDir;
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-sandbox-tmp-'));
    fs.chmodSync(this.tmpDir, 0o700);
    removeAtExit(this.tmpDir);
    return this.tmpDir;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log?.(`warning: ${message}`);
  }
}

/** Vets the repositories that appeared during the command (a second walk of the same roots). */
function newRepositoriesNote(before: readonly GitDirs[], roots: readonly string[]): string | undefined {
  const renamed = quarantineNewRepositories(
    before,
    roots.map((root) => gitDirsIn(root)),
  );
  if (!renamed.length) return undefined;
  return `The command created or repointed a git repository whose configuration or hooks would run programs when git runs there outside the sandbox (the person's terminal, the editor): ${renamed.join(', ')} renamed aside with the suffix ${QUARANTINE_SUFFIX}. The repository still works without them; only the person may restore them.`;
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
