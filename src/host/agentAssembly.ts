// The one place that assembles the agent runner for both hosts (dwf and the editor): the
// workspace guard, the Bash and access gates over Claude Code's settings plus the host's allow
// rules, the user-scope sandbox settings, plugins, personal agents and worktree scopes. Hosts hand
// in their ports — approver, log, secrets (the API key), the editor's workspace — and show the
// returned warnings their way; a settings problem that could hide a deny rule refuses the run.
import * as path from 'node:path';
import { AnthropicRunner } from '../agent/runner';
import { FsWorkspace, type WorkspaceGuardOptions } from '../agent/fsWorkspace';
import {
  AccessGate,
  ApprovedWrites,
  PermissionGate,
  commandGateFor,
  pathGuardFor,
  persistAllowRules,
} from '../agent/permissions';
import type { CommandGate } from '../agent/tools';
import type { DurableSteps } from '../agent/durable';
import { loadUserSandboxSettings } from '../agent/sandbox';
import type { Approver, Asker, Workspace } from '../core';
import { discoverPlugins, findRepoRoot } from '../core/registry';
import { locateProblem } from './settingsProblems';
import { SettingsRefusal } from './settingsRefusal';

export { SettingsRefusal };

/** What only the host can provide. */
export interface AgentHostPorts {
  /** Asks the person (VS Code: notifications; dwf: the terminal, or a headless policy). */
  approver: Approver;
  /** Where warnings and notes go (the Workflows log; dwf's stderr). */
  log: { info(message: string): void; warn(message: string): void };
  /** The main tree's workspace (VS Code: WorkspaceEdits); default: files on disk. Worktrees are always on disk. */
  workspace?(roots: string[], guard: WorkspaceGuardOptions): Workspace;
}

export interface AgentAssemblyOptions {
  /** The workspace folders; "always allow" rules are saved in the first one's .claude/settings.local.json. */
  roots: string[];
  /** core/registry personalFolder(): the same rule in both hosts. */
  personal: { configDir: string; home: string };
  /** The runs folder (never writable by agents); transcripts go to `<runsDir>/<runId>/transcripts`. */
  runsDir: string;
  /** From the host's secret store or environment; never logged. */
  apiKey: string;
  baseURL?: string;
  model?: string;
  requestConcurrency?: number;
  worktreeBase?: string;
  /** The host's own allow rules (`--allow`, `dynamicWorkflows.allow`); `strict`: a broken one refuses the run. */
  allow: { source: string; rules: readonly string[]; strict: boolean };
  /** Plugin folders named explicitly (`--plugin-dir`), besides the installed plugins. */
  pluginDirs?: readonly string[];
  /** Nobody can answer (dwf without a terminal): questions are refused with `hint`, or approved with `yes`. */
  headless?: { yes: boolean; hint: string };
  /** Waits past this (ms) are a usage limit that pauses the run; default one minute (src/agent/usageLimit.ts). */
  usageLimitMs?: number;
  /** Environment for DWF_SANDBOX. */
  env: Readonly<Record<string, string | undefined>>;
  /** Each model turn and tool call a recorded step (remote workers). */
  durable?: DurableSteps;
}

export interface AssembledRunner {
  runner: AnthropicRunner;
  /**
   * Every problem with the settings and agent files that did not stop the run, each once and
   * prefixed `file:line:column:` where known; the host shows them before the run starts.
   */
  warnings: string[];
}

export async function assembleAgentRunner(
  options: AgentAssemblyOptions,
  ports: AgentHostPorts,
): Promise<AssembledRunner> {
  const { configDir, home } = options.personal;
  // Shared by the access gate (grants after approval) and the workspace's backstop (refuses without).
  const approvedWrites = new ApprovedWrites();
  const runsDirs = [options.runsDir];
  const onDisk = (roots: string[], guard: WorkspaceGuardOptions) => new FsWorkspace(roots, guard);
  const workspace = (ports.workspace ?? onDisk)(options.roots, { approvedWrites, runsDirs });
  const roots = workspace.roots;
  const warnings: string[] = [];
  const warn = (problem: string) => {
    const located = locateProblem(problem);
    if (!warnings.includes(located)) warnings.push(located);
  };

  const persist = (rules: string[]) => {
    try {
      persistAllowRules(roots[0], rules);
      ports.log.info(`always allowed in this workspace (saved to .claude/settings.local.json): ${rules.join(', ')}`);
    } catch (e) {
      // The rule still holds for this run (the gate remembered it); only later runs will ask again.
      ports.log.warn(`always-allow rule not saved: ${(e as Error).message}`);
    }
  };
  const extra = [{ source: options.allow.source, allow: options.allow.rules, strict: options.allow.strict }];
  // Read before the run starts: every problem is shown first, and one that may hide a deny rule stops it.
  const bash = await PermissionGate.load({ roots, home, configDir, extra });
  if (bash.fatal.length) throw new SettingsRefusal(bash.fatal.map(locateProblem), bash.problems.map(locateProblem));
  const headless = options.headless;
  const commandsOf =
    (gate: PermissionGate) =>
    (who: Asker): CommandGate => {
      const inner = commandGateFor(gate, ports.approver, who, persist);
      if (!headless || headless.yes) return inner;
      return {
        async check(command, cwd, signal) {
          const verdict = await inner.check(command, cwd, signal);
          return verdict.allowed ? verdict : { allowed: false, reason: `${verdict.reason} ${headless.hint}` };
        },
      };
    };
  // Read/Edit/WebFetch rules and protected paths, from the same files (their problems are the same lines).
  const access = await AccessGate.load({
    roots,
    home,
    configDir,
    runsDirs,
    approvedWrites,
    approver: ports.approver,
    persist,
    extra: [{ source: options.allow.source, allow: options.allow.rules }],
    ...(headless ? { headless: { yes: headless.yes } } : {}),
  });
  for (const p of [...bash.problems, ...access.problems]) warn(p);

  // Sandbox settings from user scope only (a cloned repository cannot switch it off).
  const sandboxProblems: string[] = [];
  const sandbox = loadUserSandboxSettings(configDir, options.env, sandboxProblems);
  sandboxProblems.forEach(warn);
  const plugins = discoverPlugins({ configDir, projectRoot: findRepoRoot(options.roots[0]), dirs: options.pluginDirs });
  plugins.warnings.forEach(warn);

  const runner = new AnthropicRunner({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    workspace,
    paths: pathGuardFor(roots, roots[0], home),
    commands: commandsOf(bash.gate),
    access: (who) => access.gate.forAgent(who),
    model: options.model,
    requestConcurrency: options.requestConcurrency,
    ...(options.usageLimitMs !== undefined && { policy: { usageLimitMs: options.usageLimitMs } }),
    transcriptsDir: (runId) => path.join(options.runsDir, runId, 'transcripts'),
    home,
    configDir,
    plugins: plugins.plugins,
    log: (m) => ports.log.info(m),
    sandbox,
    ...(options.durable && { durable: options.durable }),
    // isolation: 'worktree': the same rules, grants and guards, rooted at the agent's worktree (on disk).
    worktrees: {
      baseRef: options.worktreeBase,
      scopeAt: (root) => ({
        workspace: onDisk([root], { approvedWrites, runsDirs }),
        paths: pathGuardFor([root], root, home),
        commands: commandsOf(bash.gate.rootedAt(root)),
        access: (who) => access.gate.rootedAt(root).forAgent(who),
      }),
    },
  });
  // Agent files that could not be read would otherwise surface only as "agent type not found".
  runner.warnings.forEach(warn);
  return { runner, warnings };
}
