// Which shell commands a run's agents may run: Claude Code's rules from the settings files plus
// the `dynamicWorkflows.allow` setting decide first (deny wins); anything they leave open is put to
// the person through the run's Approver. "Always allow" answers become rules for the rest of the
// run at once and are saved to .claude/settings.local.json for later runs (and Claude Code, the CLI).
import { PermissionGate, commandGateFor, persistAllowRules } from '../agent/permissions';
import type { CommandGate } from '../agent/tools';
import type { Approver } from '../core/ports';

export interface RunCommandGates {
  /** The gate for one agent, so the person is told which agent asks. */
  commandsFor(who: { runId: string; agentLabel: string }): CommandGate;
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
  const { gate, problems } = await PermissionGate.load({ roots: options.roots, extra: [{ source: 'dynamicWorkflows.allow', allow: options.allow }] });
  const persist = (rules: string[]) => {
    try {
      persistAllowRules(options.roots[0], rules);
      options.log.info(`always allowed in this workspace (saved to .claude/settings.local.json): ${rules.join(', ')}`);
    } catch (e) {
      // The rule still holds for this run (the gate remembered it); only later runs will ask again.
      options.log.warn(`always-allow rule not saved: ${(e as Error).message}`);
    }
  };
  return { commandsFor: (who) => commandGateFor(gate, options.approver, who, persist), problems };
}
