// Which shell commands a run's agents may run: Claude Code's rules from the settings files plus
// the `dynamicWorkflows.allow` setting decide first (deny wins); anything they leave open is put to
// the person through the run's Approver. "Always allow" answers become rules for the rest of the
// run at once and are saved to .claude/settings.local.json for later runs (and Claude Code, the CLI).
// Broken rules or settings files are shown as a warning (details in the log); one that may hide a
// deny rule (a broken deny/ask rule, an unreadable settings file) refuses the run.
import * as vscode from 'vscode';
import { loadAgentLayer } from './loadAgentLayer';
import type { CommandGate } from '../agent/tools';
import type { Approver, Asker } from '../core/ports';
import { RunRefused } from './runController';

export interface RunCommandGates {
  /** The gate for one agent, so the person is told which agent asks. */
  commandsFor(who: Asker): CommandGate;
  /** The same rules rooted at an agent's git worktree (isolation: 'worktree'). */
  rootedAt(root: string): (who: Asker) => CommandGate;
  /** Broken settings files or rules, each naming its source, for the log. */
  problems: string[];
}

export interface CommandGateOptions {
  /** Real paths of the workspace folders; the first one's .claude/settings.local.json keeps "always" rules. */
  roots: readonly string[];
  /** The `dynamicWorkflows.allow` setting. */
  allow: readonly string[];
  approver: Approver;
  log: { info(message: string): void; warn(message: string): void };
}

export async function loadCommandGates(options: CommandGateOptions): Promise<RunCommandGates> {
  const { PermissionGate, commandGateFor, persistAllowRules } = loadAgentLayer();
  const { gate, problems, fatal } = await PermissionGate.load({ roots: options.roots, extra: [{ source: 'dynamicWorkflows.allow', allow: options.allow }] });
  if (fatal.length) {
    for (const p of problems) options.log.warn(`permission rules: ${p}`);
    throw new RunRefused(`The run was not started: the permission rules are broken, and a broken deny rule must not let commands through. Fix: ${fatal.join('; ')}`);
  }
  if (problems.length) {
    // Not awaited: the message settles only when closed. The log (runController) has each line.
    void vscode.window.showWarningMessage(`${problems.length === 1 ? 'A permission rule was' : `${problems.length} permission rules were`} ignored: ${problems[0]}${problems.length > 1 ? ' (more in the Workflows log)' : ''}`);
  }
  const persist = (rules: string[]) => {
    try {
      persistAllowRules(options.roots[0], rules);
      options.log.info(`always allowed in this workspace (saved to .claude/settings.local.json): ${rules.join(', ')}`);
    } catch (e) {
      // The rule still holds for this run (the gate remembered it); only later runs will ask again.
      options.log.warn(`always-allow rule not saved: ${(e as Error).message}`);
    }
  };
  return {
    commandsFor: (who) => commandGateFor(gate, options.approver, who, persist),
    rootedAt: (root) => {
      const rooted = gate.rootedAt(root);
      return (who) => commandGateFor(rooted, options.approver, who, persist);
    },
    problems,
  };
}
