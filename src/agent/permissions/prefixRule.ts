// The broader rule an approval may offer beside the exact one: `npm run lint` → `Bash(npm run:*)`,
// the program and its subcommand, as Claude Code suggests. Offered only where it is plainly what
// the person means and provably covers the command: one simple command of plain words (no
// expansion, assignment, redirection or wrapper), a plain program name, a subcommand-like second
// word, at least one word after it, and nothing destructive (a prefix for `git push --force`
// would allow every push).
import { destructiveReason } from './destructive';
import { bashRuleMatches, fullLiteral, fullWords, parseRule } from './rules';
import { splitCommand } from './shell';
import { isWrapper } from './wrappers';

const PROGRAM = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const SUBCOMMAND = /^[a-z][a-z0-9-]*$/;

/** The prefix rule for one part (a simple command as written), or undefined when none fits. */
export function prefixRuleFor(part: string): string | undefined {
  const text = part.trim();
  const split = splitCommand(text);
  if (!split.ok || split.commands.length !== 1) return undefined;
  const cmd = split.commands[0];
  const [program, sub] = cmd.argv;
  if (cmd.text.trim() !== text || cmd.argv.length < 3 || cmd.assignments.length || cmd.redirects.length)
    return undefined;
  if (cmd.dynamic || cmd.opaque || !cmd.argStatic.every(Boolean)) return undefined;
  if (!PROGRAM.test(program) || !SUBCOMMAND.test(sub) || isWrapper(program) || destructiveReason(text))
    return undefined;
  const candidate = `Bash(${program} ${sub}:*)`;
  try {
    const rule = parseRule(candidate);
    if (rule.tool !== 'Bash' || rule.kind !== 'prefix') return undefined;
    return bashRuleMatches(rule, fullWords(cmd), cmd.redirects, fullLiteral(cmd)) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** Prefix rules for every part that needed approval, or none when some part has no prefix rule. */
export function prefixRulesFor(parts: readonly string[]): string[] {
  const rules = parts.map(prefixRuleFor);
  return rules.every((r) => r !== undefined) ? [...new Set(rules as string[])] : [];
}
