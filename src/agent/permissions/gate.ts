// The permission gate the Bash tool goes through: rules from settings and the host, the
// workspace roots for redirections, and the person (the engine's Approver port) for the rest.
// "Always allow" answers become exact rules held here; the host persists `remembered`.
import type { Approver } from '../../core/ports';
import { checkCommand, type CheckResult } from './check';
import { loadPermissionRules, type ExtraRules } from './settings';
import { parseRule, type Rule, type RuleSet } from './rules';

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
  private readonly asking = new Map<string, Promise<'once' | 'always' | 'deny'>>();

  constructor(private readonly options: GateOptions) {
    this.rules = { allow: [...options.rules.allow], deny: [...options.rules.deny], ask: [...options.rules.ask] };
  }

  /** Reads the settings files of `roots` and `home`; problems are for the host to show. */
  static async load(options: { roots: readonly string[]; home?: string; extra?: readonly ExtraRules[] }): Promise<{ gate: PermissionGate; problems: string[] }> {
    const loaded = await loadPermissionRules(options);
    return { gate: new PermissionGate({ rules: loaded.rules, roots: options.roots, ...(options.home ? { home: options.home } : {}) }), problems: loaded.problems };
  }

  check(command: string, cwd: string): CheckResult {
    return checkCommand(command, this.rules, { roots: this.options.roots, cwd, ...(this.options.home ? { home: this.options.home } : {}) });
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
   * that needed approval and returns their texts for the host to persist.
   */
  async authorize(command: string, cwd: string, approver: Approver, who: { runId: string; agentLabel: string }, signal?: AbortSignal): Promise<Authorization> {
    const result = this.check(command, cwd);
    if (result.decision === 'allow') return { allowed: true, remembered: [] };
    if (result.decision === 'deny') return { allowed: false, reason: result.reason };
    let answer = this.asking.get(command);
    if (!answer) {
      answer = approver.approveCommand({ runId: who.runId, agentLabel: who.agentLabel, command });
      this.asking.set(command, answer);
      void answer.finally(() => this.asking.delete(command)).catch(() => undefined);
    }
    let decision: 'once' | 'always' | 'deny';
    try {
      decision = await (signal ? untilAborted(answer, signal) : answer);
    } catch (e) {
      if (signal?.aborted) return { allowed: false, reason: 'The agent was stopped while waiting for approval.' };
      return { allowed: false, reason: `Could not ask the person (${(e as Error).message}). ${result.reason}` };
    }
    if (decision === 'deny') return { allowed: false, reason: `The person declined to run this command. ${result.reason}` };
    if (decision === 'once') return { allowed: true, remembered: [] };
    const remembered: string[] = [];
    for (const part of result.parts) {
      const text = ruleFor(part);
      if (this.rules.allow.some((r) => r.text === text)) continue;
      try {
        this.remember(text);
        remembered.push(text);
      } catch {
        // A part the parser can't read can't become a rule: it stays allowed once.
      }
    }
    return { allowed: true, remembered };
  }
}

/**
 * The tools' CommandGate for one agent (src/agent/tools/context.ts, matched structurally):
 * `persist` receives the rules an "always allow" answer added, for the host to save.
 */
export function commandGateFor(gate: PermissionGate, approver: Approver, who: { runId: string; agentLabel: string }, persist?: (rules: string[]) => void) {
  return {
    async check(command: string, cwd: string, signal: AbortSignal): Promise<{ allowed: true } | { allowed: false; reason: string }> {
      const verdict = await gate.authorize(command, cwd, approver, who, signal);
      if (!verdict.allowed) return verdict;
      if (verdict.remembered.length) persist?.(verdict.remembered);
      return { allowed: true };
    },
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The exact rule that allows `part` (a simple command as written) from now on. */
export function ruleFor(part: string): string {
  return `Bash(${part.trim()})`;
}
