// The shipped runner factory: AnthropicRunner over the workspace on disk, the permission gate
// with settings rules plus --allow, and the approver that fits the terminal (or its absence).
import * as path from 'node:path';
import * as os from 'node:os';
import { AnthropicRunner } from '../agent/runner';
import { FsWorkspace } from '../agent/fsWorkspace';
import { PermissionGate, commandGateFor, pathGuardFor, persistAllowRules } from '../agent/permissions';
import type { CommandGate } from '../agent/tools';
import { loadUserSandboxSettings } from '../agent/sandbox';
import type { Approver } from '../core/ports';
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

export const agentRunnerFactory: RunnerFactory = (ctx) => {
  const workspace = new FsWorkspace([ctx.workspaceRoot]);
  const home = ctx.configDir ? path.dirname(ctx.configDir) : os.homedir();
  const approver: Approver = ctx.interactive
    ? terminalApprover(process.stdin, process.stderr, ctx.suspendProgress ?? ((fn) => fn()))
    : headlessApprover(ctx.yes);
  const loading = PermissionGate.load({ roots: workspace.roots, home, extra: [{ source: '--allow', allow: ctx.allow }] });
  const problems: string[] = [];
  void loading.then((l) => problems.push(...l.problems)).catch(() => undefined);
  const commands = (who: { runId: string; agentLabel: string }): CommandGate => ({
    async check(command, cwd, signal) {
      const { gate } = await loading;
      const verdict = await commandGateFor(gate, approver, who, (rules) => persist(ctx.workspaceRoot, rules)).check(command, cwd, signal);
      if (!verdict.allowed && !ctx.interactive && !ctx.yes) return { allowed: false, reason: `${verdict.reason} ${HEADLESS_HINT}` };
      return verdict;
    },
  });
  // Sandbox settings from user scope only (a cloned repository cannot switch it off).
  const sandboxProblems: string[] = [];
  const sandbox = loadUserSandboxSettings(home, process.env, sandboxProblems);
  for (const p of sandboxProblems) process.stderr.write(`warning: ${p}\n`);
  const runner: CliRunner = new AnthropicRunner({
    apiKey: ctx.apiKey,
    baseURL: ctx.baseURL,
    workspace,
    paths: pathGuardFor(workspace.roots, workspace.roots[0], home),
    commands,
    model: ctx.model,
    requestConcurrency: ctx.concurrency,
    transcriptsDir: ctx.runsDir ? (runId) => path.join(ctx.runsDir!, runId, 'transcripts') : undefined,
    home,
    log: (m) => process.stderr.write(`${m}\n`),
    sandbox,
  });
  return runner;
};
