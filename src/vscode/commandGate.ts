// Which shell commands agents may run, for now without asking: the allow/deny rules of
// `dynamicWorkflows.allow` and Claude Code's settings files decide; anything that would need the
// person's approval is refused with a reason the model (and the transcript) shows. The approval
// notification (Allow once / Always allow / Deny) replaces the refusal in a later part of issue 4.
import { PermissionGate } from '../agent/permissions';
import type { CommandCheck, CommandGate } from '../agent/tools';

export interface LoadedCommandGate {
  gate: CommandGate;
  /** Broken settings files or rules, each naming its source, for the log. */
  problems: string[];
}

export async function loadCommandGate(roots: readonly string[], allow: readonly string[]): Promise<LoadedCommandGate> {
  const { gate, problems } = await PermissionGate.load({ roots, extra: [{ source: 'dynamicWorkflows.allow', allow }] });
  return { gate: rulesOnly(gate), problems };
}

function rulesOnly(rules: PermissionGate): CommandGate {
  return {
    async check(command: string, cwd: string): Promise<CommandCheck> {
      const verdict = rules.check(command, cwd);
      if (verdict.decision === 'allow') return { allowed: true };
      if (verdict.decision === 'deny') return { allowed: false, reason: verdict.reason };
      return {
        allowed: false,
        reason: `${verdict.reason} This command is not in the allowlist, so it was not run. Add a rule such as Bash(${verdict.parts[0] ?? command}) to the dynamicWorkflows.allow setting or .claude/settings.json to allow it.`,
      };
    },
  };
}
