// The Bash decision: a command runs without asking only when EVERY simple command in it is
// allowed. Per simple command, in order:
//   1. a matching deny rule denies the whole command (deny wins over everything), also when
//      the program hides behind a path or a wrapper (`/bin/rm`, `sudo rm`; wrappers.ts);
//   2. a matching ask rule asks (same matching);
//   3. an allow rule must match: `Bash` always; an exact rule on its words; a prefix or wildcard
//      rule only when nothing in it is dynamic (eval, sh -c, $(…), a program name from $VAR,
//      code evaluated at run time such as `(( x ))`, see evaluation.ts and builtins.ts);
//      a part that is opaque (what runs cannot be seen) while deny rules exist is allowed only
//      by an exact rule: `Bash` or a prefix rule would let it dodge the deny rules;
//      an assignment that changes what runs (PATH=, LD_PRELOAD=, see env.ts) must be written in
//      the rule itself;
//   4. output redirections must land inside the workspace (/dev/null and friends excepted),
//      whatever rule allowed the command, unless an exact rule names that same redirection.
// A command the parser cannot read asks; so does one whose redirections can't be located.
// An `ask` is `opaque` when some part hides what it runs (or the command can't be parsed, or it
// sets PATH-like variables): with deny rules in force only a person may approve it (gate.ts).
import { unsafeAssignments } from './env';
import { outsideWrite, workingDirs, type Where } from './redirects';
import { bashRuleMatches, fullLiteral, fullWords, type BashRule, type Rule, type RuleSet } from './rules';
import { splitCommand, type SimpleCommand } from './shell';
import { wrappedForms } from './wrappers';

export type CheckResult =
  | { decision: 'allow' }
  | { decision: 'deny'; reason: string }
  | {
      decision: 'ask';
      reason: string;
      parts: string[];
      /** The checker cannot see what some part runs, so deny rules cannot vouch for it. */
      opaque?: true;
    };

export type { Where } from './redirects';

/**
 * Decides whether `command` may run. Without `where` (workspace roots and cwd) any redirection
 * into a file counts as outside the workspace.
 */
export function checkCommand(command: string, rules: RuleSet, where?: Where): CheckResult {
  const split = splitCommand(command);
  if (!split.ok)
    return {
      decision: 'ask',
      reason: `The command cannot be checked safely (${split.reason}).`,
      parts: [command],
      opaque: true,
    };
  const commands = split.commands;
  const bash = (list: readonly Rule[]) => list.filter((r): r is BashRule => r.tool === 'Bash');
  const deny = bash(rules.deny);
  const ask = bash(rules.ask);
  const allow = bash(rules.allow);

  for (const cmd of commands) {
    const rule = deny.find((r) => matchesAnyForm(r, cmd));
    if (rule)
      return { decision: 'deny', reason: `\`${cmd.text}\` is denied by the permission rule ${describe(rule)}.` };
  }
  const dirs = where ? workingDirs(commands, where) : undefined;
  const pending: { part: string; why: string; opaque: boolean }[] = [];
  for (const cmd of commands) {
    const why = needsApproval(cmd, ask, allow, deny.length > 0, dirs, where);
    const opaque = cmd.opaque || unsafeAssignments(cmd.argv, cmd.assignments).length > 0;
    if (why) pending.push({ part: cmd.text, why, opaque });
  }
  if (!pending.length) return { decision: 'allow' };
  const parts = [...new Set(pending.map((p) => p.part))];
  const lines = pending.map((p) => `\`${p.part}\`: ${p.why}`);
  const reason = `Not allowed by the permission rules:\n${lines.join('\n')}`;
  return pending.some((p) => p.opaque)
    ? { decision: 'ask', reason, parts, opaque: true }
    : { decision: 'ask', reason, parts };
}

/** Why this simple command needs the person's approval, or undefined if it may run. */
function needsApproval(
  cmd: SimpleCommand,
  ask: BashRule[],
  allow: BashRule[],
  denying: boolean,
  dirs: string[] | undefined,
  where: Where | undefined,
): string | undefined {
  const askRule = ask.find((r) => matchesAnyForm(r, cmd));
  if (askRule) return `the rule ${describe(askRule)} says to ask`;
  const unsafe = unsafeAssignments(cmd.argv, cmd.assignments);
  // A bare `X=1` runs nothing; with a harmless name and a static value it needs no rule.
  const harmless = cmd.argv.length === 0 && unsafe.length === 0 && !cmd.dynamic;
  const unsafeWords = unsafe.map((u) => u.word);
  const allowing = harmless ? undefined : allow.find((r) => allows(r, cmd, unsafeWords, denying));
  if (!harmless && !allowing) {
    if (cmd.opaque && denying)
      return `${cmd.opaqueReason}; what it runs cannot be checked against the deny rules, so only the person or an exact rule for it can allow it`;
    if (cmd.dynamic) return `${cmd.dynamicReason}; only an exact rule for it can allow it`;
    if (unsafe.length)
      return `it sets ${[...new Set(unsafe.map((u) => u.name))].join(', ')}, which can change what runs; only a rule that includes the assignment can allow it`;
    return cmd.argv.length ? 'no allow rule matches' : 'no allow rule matches this assignment';
  }
  const waived = allowing?.kind === 'exact' && allowing.redirects.length > 0;
  if (waived) return undefined;
  for (const r of cmd.redirects) {
    const why = outsideWrite(r, dirs, where);
    if (why) return why;
  }
  return undefined;
}

/** Deny and ask rules catch a command with or without its env prefix, a path or a wrapper. */
function matchesAnyForm(rule: BashRule, cmd: SimpleCommand): boolean {
  const forms = [cmd.argv, ...(cmd.assignments.length ? [fullWords(cmd)] : []), ...wrappedForms(cmd.argv)];
  return forms.some((words) => bashRuleMatches(rule, words, cmd.redirects));
}

function allows(rule: BashRule, cmd: SimpleCommand, unsafeWords: readonly string[], denying: boolean): boolean {
  if (cmd.opaque && denying && rule.kind !== 'exact') return false;
  if (rule.kind === 'any') return true;
  if (cmd.dynamic && rule.kind !== 'exact') return false;
  if (unsafeWords.length) {
    // Only a rule that spells out each such assignment (`Bash(PATH=/opt/x make:*)`) allows it.
    if (rule.kind === 'wildcard' || !unsafeWords.every((w) => rule.words.includes(w))) return false;
    return bashRuleMatches(rule, fullWords(cmd), cmd.redirects, fullLiteral(cmd));
  }
  return (
    bashRuleMatches(rule, fullWords(cmd), cmd.redirects, fullLiteral(cmd)) ||
    bashRuleMatches(rule, cmd.argv, cmd.redirects, cmd.argStatic)
  );
}

function describe(rule: Rule): string {
  return rule.source ? `${rule.text} (from ${rule.source})` : rule.text;
}
