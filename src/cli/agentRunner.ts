// The shipped runner factory: AnthropicRunner over the workspace on disk, the permission gate
// with settings rules plus --allow, and the approver that fits the terminal (or its absence).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { AnthropicRunner } from '../agent/runner';
import { FsWorkspace } from '../agent/fsWorkspace';
import { PermissionGate, commandGateFor, pathGuardFor } from '../agent/permissions';
import type { CommandGate } from '../agent/tools';
import type { Approver } from '../core/ports';
import { headlessApprover, HEADLESS_HINT, terminalApprover } from './approver';
import type { CliRunner, RunnerFactory } from './runnerFactory';

/** "Always allow" answers go where Claude Code keeps them: .claude/settings.local.json. */
export function persistAllowRules(workspaceRoot: string, rules: string[]): void {
  const file = path.join(workspaceRoot, '.claude', 'settings.local.json');
  let data: { permissions?: { allow?: string[] } } = {};
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof data;
  } catch {
    /* absent or broken: start a fresh file rather than lose the answer */
  }
  const allow = new Set([...(data.permissions?.allow ?? []), ...rules]);
  data.permissions = { ...data.permissions, allow: [...allow] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
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
      const verdict = await commandGateFor(gate, approver, who, (rules) => persistAllowRules(ctx.workspaceRoot, rules)).check(command, cwd, signal);
      if (!verdict.allowed && !ctx.interactive && !ctx.yes) return { allowed: false, reason: `${verdict.reason} ${HEADLESS_HINT}` };
      return verdict;
    },
  });
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
  });
  return runner;
};
