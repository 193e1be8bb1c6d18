// The permission gate the Bash tool goes through: rules from settings and the host, the
// workspace roots for redirections, and the person (the engine's Approver port) for the rest.
// "Always allow" answers become exact rules held here; the host persists `remembered`.
//
// Deny rules hold even for commands the checker cannot see through (`opaque`: code evaluated at
// run time, a program chosen at run time, an unparseable command, PATH-like assignments): while
// any Bash deny rule is in force, such a command runs only if a person approves it. An
// unattended approver (the CLI's headless `--yes`) is not asked; the command is refused, saying
// that nobody was asked and why.
import type { ApprovalAnswer, Approver, Asker } from '../../core/ports';
import { checkCommand, type CheckResult } from './check';
import { destructiveReason } from './destructive';
import { prefixRulesFor } from './prefixRule';
import { loadPermissionRules, type ExtraRules } from './settings';
import { bashRuleMatches, fullLiteral, fullWords, parseRule, type Rule, type RuleSet } from './rules';
import { splitCommand } from './shell';
import { untilAborted } from '../../shared/abort';

/** An Approver that answers from a policy, not from a person (e.g. headless `--yes`). */
export interface UnattendedApprover extends Approver {
  readonly unattended: true;
}

function isUnattended(approver: Approver): boolean {
  return (approver as Partial<UnattendedApprover>).unattended === true;
}

export interface GateOptions {
  rules: RuleSet;
  /** Real paths of the workspace folders. */
  roots: readonly string[];
  home?: string;
}

export type Authorization = { allowed: true; remembered: string[] } | { allowed: false; reason: string };

export class PermissionGate {
  private readonly rules: RuleSet;
  /** Same command asked by several agents at once: one question to the person. */
  private readonly asking = new Map<string, Promise<ApprovalAnswer>>();

  /** `shared`: the rules of the gate this one was re-rooted from, so "always" answers hold in both. */
  constructor(
    private readonly options: GateOptions,
    shared?: RuleSet,
  ) {
    this.rules = shared ?? {
      allow: [...options.rules.allow],
      deny: [...options.rules.deny],
      ask: [...options.rules.ask],
    };
  }

  /** The same rules with `root` as the only workspace folder (an agent's git worktree). */
  rootedAt(root: string): PermissionGate {
    return new PermissionGate({ ...this.options, roots: [root] }, this.rules);
  }

  /**
   * Reads the settings files of `roots` and `home`. `problems` are for the host to show; any
   * `fatal` one (a broken deny/ask rule or settings file) means the run must not start.
   */
  static async load(options: {
    roots: readonly string[];
    home?: string;
    configDir?: string;
    extra?: readonly ExtraRules[];
  }): Promise<{ gate: PermissionGate; problems: string[]; fatal: string[] }> {
    const loaded = await loadPermissionRules(options);
    const gate = new PermissionGate({
      rules: loaded.rules,
      roots: options.roots,
      ...(options.home ? { home: options.home } : {}),
    });
    return { gate, problems: loaded.problems, fatal: loaded.fatal };
  }

  check(command: string, cwd: string): CheckResult {
    return checkCommand(command, this.rules, {
      roots: this.options.roots,
      cwd,
      ...(this.options.home ? { home: this.options.home } : {}),
    });
  }

  /** Adds an allow rule (an "always allow" answer); throws RuleError if it is malformed. */
  remember(rule: string | Rule): Rule {
    const parsed = typeof rule === 'string' ? { ...parseRule(rule), source: 'always allow' } : rule;
    this.rules.allow.push(parsed);
    return parsed;
  }

  /** The current rules (copies of the lists). */
  snapshot(): RuleSet {
    return { allow: [...this.rules.allow], deny: [...this.rules.deny], ask: [...this.rules.ask] };
  }

  /**
   * check(), then the Approver when the answer is ask. "always" remembers an exact rule per part
   * that needed approval ("prefix": the offered prefix rules) and returns their texts for the
   * host to persist. While the person decides, the agent's slot is lent out (who.awaitPerson).
   */
  async authorize(
    command: string,
    cwd: string,
    approver: Approver,
    who: Asker,
    signal?: AbortSignal,
  ): Promise<Authorization> {
    const result = this.check(command, cwd);
    if (result.decision === 'allow') return { allowed: true, remembered: [] };
    if (result.decision === 'deny') return { allowed: false, reason: result.reason };
    const unattended = isUnattended(approver);
    if (result.opaque && unattended && this.rules.deny.some((r) => r.tool === 'Bash')) {
      return {
        allowed: false,
        reason: `Nobody was asked (no person can approve commands in this run), and this command cannot be run unasked: deny rules are in force and the checker cannot see what it runs, so approving all commands (--yes) does not cover it. ${result.reason}`,
      };
    }
    // What "always" would save: an exact rule per part, or nothing if some part has none.
    const rules = result.parts.map(ruleFor);
    const saved = rules.every((r) => r !== undefined) ? [...new Set(rules as string[])] : [];
    const prefixes = saved.length ? prefixRulesFor(result.parts) : [];
    const destructive = destructiveReason(command);
    let answer = this.asking.get(command);
    if (!answer) {
      answer = approver.approveCommand({
        runId: who.runId,
        agentLabel: who.agentLabel,
        ...(who.agentId ? { agentId: who.agentId } : {}),
        command,
        tool: 'Bash',
        reason: result.reason,
        rules: saved,
        ...(prefixes.length ? { prefixRules: prefixes } : {}),
        ...(destructive ? { destructive } : {}),
      });
      this.asking.set(command, answer);
      void answer.finally(() => this.asking.delete(command)).catch(() => undefined);
    }
    const waited = who.awaitPerson ? who.awaitPerson(answer) : answer;
    let decision: ApprovalAnswer;
    try {
      decision = await (signal ? untilAborted(waited, signal) : waited);
    } catch (e) {
      if (signal?.aborted) return { allowed: false, reason: 'The agent was stopped while waiting for approval.' };
      return { allowed: false, reason: `Could not ask the person (${(e as Error).message}). ${result.reason}` };
    }
    if (decision === 'deny') {
      const who = unattended
        ? 'Nobody was asked (no person can approve commands in this run) and no rule allows this command.'
        : 'The person declined to run this command.';
      return { allowed: false, reason: `${who} ${result.reason}` };
    }
    // "always" for a command some part of which has no exact rule is "once": a partial rule
    // would let that part run unasked with other parts next time.
    const chosen = decision === 'prefix' ? prefixes : decision === 'always' ? saved : [];
    if (!chosen.length) return { allowed: true, remembered: [] };
    const remembered: string[] = [];
    for (const text of chosen) {
      if (this.rules.allow.some((r) => r.text === text)) continue;
      this.remember(text);
      remembered.push(text);
    }
    return { allowed: true, remembered };
  }
}

/**
 * The tools' CommandGate for one agent (src/agent/tools/context.ts, matched structurally):
 * `persist` receives the rules an "always allow" answer added, for the host to save.
 */
export function commandGateFor(
  gate: PermissionGate,
  approver: Approver,
  who: Asker,
  persist?: (rules: string[]) => void,
) {
  return {
    async check(
      command: string,
      cwd: string,
      signal: AbortSignal,
    ): Promise<{ allowed: true } | { allowed: false; reason: string }> {
      const verdict = await gate.authorize(command, cwd, approver, who, signal);
      if (!verdict.allowed) return verdict;
      if (verdict.remembered.length) persist?.(verdict.remembered);
      return { allowed: true };
    },
  };
}

/**
 * The exact rule that allows `part` (a simple command as written) and nothing else from now on,
 * or undefined when no rule can say exactly that (a part that is not one simple command, a
 * `\*` in the text …): then "always" is "once". Stars are escaped (`\*` is a star in the
 * command text, not a wildcard), and the result is parsed back and must match `part` word for
 * word, each written the same way.
 */
export function ruleFor(part: string): string | undefined {
  const text = part.trim();
  if (!text) return undefined;
  const split = splitCommand(text);
  if (!split.ok || split.commands.length !== 1) return undefined;
  const cmd = split.commands[0];
  if (cmd.text.trim() !== text || (!cmd.argv.length && !cmd.assignments.length)) return undefined;
  // A here-doc's body is not part of the command's text, so no rule made from the text pins it.
  if (cmd.redirects.some((r) => r.body !== undefined)) return undefined;
  const candidate = `Bash(${text.replace(/\*/g, '\\*')})`;
  let rule: Rule;
  try {
    rule = parseRule(candidate);
  } catch {
    return undefined;
  }
  if (rule.tool !== 'Bash' || rule.kind !== 'exact') return undefined;
  const same =
    bashRuleMatches(rule, fullWords(cmd), cmd.redirects, fullLiteral(cmd)) &&
    rule.words.length === fullWords(cmd).length;
  const sameRedirects = rule.redirects.length === cmd.redirects.length;
  return same && sameRedirects ? candidate : undefined;
}
