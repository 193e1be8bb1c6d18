// The shipped runner factory: AnthropicRunner over the workspace on disk, the permission gate
// with settings rules plus --allow, and the approver that fits the terminal (or its absence).
import * as path from 'node:path';
import * as os from 'node:os';
import { AnthropicRunner } from '../agent/runner';
import { FsWorkspace } from '../agent/fsWorkspace';
import { AccessGate, ApprovedWrites, PermissionGate, commandGateFor, pathGuardFor, persistAllowRules } from '../agent/permissions';
import type { CommandGate } from '../agent/tools';
import { loadUserSandboxSettings } from '../agent/sandbox';
import type { Approver, Asker } from '../core/ports';
import { discoverPlugins } from '../core/registry';
import { headlessApprover, HEADLESS_HINT, terminalApprover } from './approver';
import type { CliRunner, RunnerFactory } from './runnerFactory';

/** A rule that cannot be saved still holds for this run: say so rather than fail the command. */
function persist(root: string, rules: string[]): void {
  try {
    persistAllowRules(root, rules);
  } catch (e) {
    process.stderr.write(`warning: ${(e as Error).message}\n`);
  }
}

export const agentRunnerFactory: RunnerFactory = async (ctx) => {
  const approvedWrites = new ApprovedWrites();
  const runsDirs = ctx.runsDir ? [ctx.runsDir] : [];
  const workspace = new FsWorkspace([ctx.workspaceRoot], { approvedWrites, runsDirs });
  const home = ctx.configDir ? path.dirname(ctx.configDir) : os.homedir();
  const approver: Approver = ctx.interactive
    ? terminalApprover(process.stdin, process.stderr, ctx.suspendProgress ?? ((fn) => fn()))
    : headlessApprover(ctx.yes);
  // Read before the run starts: every problem is shown first, and a broken deny rule or
  // settings file (or --allow rule) stops the run (execute() turns the throw into exit 2).
  const { gate, problems, fatal } = await PermissionGate.load({ roots: workspace.roots, home, extra: [{ source: '--allow', allow: ctx.allow, strict: true }] });
  for (const p of problems) process.stderr.write(`permission rules: ${p}\n`);
  if (fatal.length) throw new Error(`the permission rules are broken (${fatal.join('; ')}); fix them so the deny rules hold, then run again`);
  const commandsOf = (rooted: PermissionGate) => (who: Asker): CommandGate => ({
    async check(command, cwd, signal) {
      const verdict = await commandGateFor(rooted, approver, who, (rules) => persist(ctx.workspaceRoot, rules)).check(command, cwd, signal);
      if (!verdict.allowed && !ctx.interactive && !ctx.yes) return { allowed: false, reason: `${verdict.reason} ${HEADLESS_HINT}` };
      return verdict;
    },
  });
  const commands = commandsOf(gate);
  // Read/Edit/WebFetch rules and protected paths; headless, nobody is asked (--yes never covers protected paths).
  const access = AccessGate.load({
    roots: workspace.roots, home, runsDirs, approver, approvedWrites, extra: [{ source: '--allow', allow: ctx.allow }],
    ...(ctx.interactive ? {} : { headless: { yes: ctx.yes } }),
    persist: (rules) => persist(ctx.workspaceRoot, rules),
  });
  // Sandbox settings from user scope only (a cloned repository cannot switch it off).
  const sandboxProblems: string[] = [];
  const sandbox = loadUserSandboxSettings(home, process.env, sandboxProblems);
  for (const p of sandboxProblems) process.stderr.write(`warning: ${p}\n`);
  const runner = new AnthropicRunner({
    apiKey: ctx.apiKey,
    baseURL: ctx.baseURL,
    workspace,
    paths: pathGuardFor(workspace.roots, workspace.roots[0], home),
    commands,
    access: async (who) => (await access).gate.forAgent(who),
    model: ctx.model,
    requestConcurrency: ctx.concurrency,
    transcriptsDir: ctx.runsDir ? (runId) => path.join(ctx.runsDir!, runId, 'transcripts') : undefined,
    home,
    plugins: discoverPlugins({ configDir: ctx.configDir ?? path.join(home, '.claude'), projectRoot: ctx.workspaceRoot, dirs: ctx.pluginDirs }).plugins,
    log: (m) => process.stderr.write(`${m}\n`),
    sandbox,
    // isolation: 'worktree': the same rules, grants and guards, rooted at the agent's worktree.
    worktrees: {
      baseRef: ctx.worktreeBase,
      scopeAt: (root) => ({
        workspace: new FsWorkspace([root], { approvedWrites, runsDirs }),
        paths: pathGuardFor([root], root, home),
        commands: commandsOf(gate.rootedAt(root)),
        access: async (who) => (await access).gate.rootedAt(root).forAgent(who),
      }),
    },
  });
  // Agent files that could not be read would otherwise surface only as "agent type not found".
  for (const w of runner.warnings) process.stderr.write(`warning: ${w}\n`);
  return runner satisfies CliRunner;
};
