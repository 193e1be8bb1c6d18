// Permission rules in Claude Code's syntax: `Tool` or `Tool(specifier)`. Bash specifiers:
//   Bash / Bash(*)            any command
//   Bash(git status)          exactly that command (words compared after quote removal)
//   Bash(npm run test:*)      a prefix on word boundaries: `npm run test`, `npm run test --watch`,
//                             and (for namespaced scripts) `npm run test:unit`; not `npm run testx`
//   Bash(git * main)          `*` is a wildcard over the words joined by spaces; a trailing ` *`
//                             also matches nothing (`Bash(ls *)` matches `ls`); `\*` is a literal *
//                             (in an exact rule: a star in the command text, `Bash(rm \*.tmp)`)
// Rule words are parsed with the same shell parser as commands, so quoting means the same thing.
// Other tools' rules (Read(...), Edit(...), Write(...), WebFetch(...), mcp__…) are parsed and kept
// for the tools that own them; they never match a shell command.
import { compileWildcard, type WildcardMatcher } from './wildcardMatcher';
import { splitCommand, type Redirection, type SimpleCommand } from './shell';

interface RuleBase {
  /** The rule as written (trimmed), e.g. for persisting or quoting in a reason. */
  text: string;
  /** Where it came from (a settings file, `--allow`, "always allow"). */
  source?: string;
}
export type BashRule = RuleBase & { tool: 'Bash' } & (
    | { kind: 'any' }
    | { kind: 'exact'; words: string[]; literal: boolean[]; redirects: Redirection[] }
    | { kind: 'prefix'; words: string[] }
    | { kind: 'wildcard'; pattern: WildcardMatcher }
  );
export type ToolRule = RuleBase & { tool: string; kind: 'tool'; specifier?: string };
export type Rule = BashRule | ToolRule;

export class RuleError extends Error {
  override name = 'RuleError';
}

const KNOWN_TOOLS = [
  'Bash',
  'Read',
  'Edit',
  'Write',
  'MultiEdit',
  'NotebookEdit',
  'Glob',
  'Grep',
  'WebFetch',
  'WebSearch',
  'Task',
  'Agent',
  'Workflow',
];

/** Parses one rule; throws RuleError saying what is wrong with it. */
export function parseRule(input: string): Rule {
  if (typeof input !== 'string') throw new RuleError(`a rule must be a string, got ${JSON.stringify(input)}`);
  const text = input.trim();
  if (!text) throw new RuleError('the rule is empty');
  const open = text.indexOf('(');
  const tool = open < 0 ? text : text.slice(0, open);
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(tool))
    throw new RuleError(`"${text}": "${tool}" is not a tool name (expected e.g. Bash, Read, Edit)`);
  const known = KNOWN_TOOLS.find((k) => k.toLowerCase() === tool.toLowerCase());
  if (known && known !== tool) throw new RuleError(`"${text}": tool names are case-sensitive; did you mean ${known}?`);
  if (open < 0) return tool === 'Bash' ? { tool, kind: 'any', text } : { tool, kind: 'tool', text };
  if (!text.endsWith(')')) throw new RuleError(`"${text}": missing ")" at the end`);
  const specifier = text.slice(open + 1, -1);
  if (!specifier.trim()) throw new RuleError(`"${text}": empty parentheses; write "${tool}" alone to match every use`);
  if (tool !== 'Bash') return { tool, kind: 'tool', specifier, text };
  return parseBashSpecifier(specifier.trim(), text);
}

function parseBashSpecifier(spec: string, text: string): BashRule {
  if (spec === '*') return { tool: 'Bash', kind: 'any', text };
  if (spec.endsWith(':*')) {
    const cmd = singleCommand(spec.slice(0, -2), text);
    // Plain words only; a builtin that evaluates code (`Bash(eval:*)`) is fine as a deny rule.
    if (!fullLiteral(cmd).every(Boolean) || cmd.redirects.length)
      throw new RuleError(`"${text}": a prefix rule must be plain words (no expansions or redirections)`);
    return { tool: 'Bash', kind: 'prefix', words: fullWords(cmd), text };
  }
  if (/(^|[^\\])(\\\\)*\*/.test(spec)) return { tool: 'Bash', kind: 'wildcard', pattern: wildcard(spec, text), text };
  // An escaped star is a star in the command text (`Bash(rm -f \*.tmp)` is that glob).
  const cmd = singleCommand(spec.replace(/\\\*/g, '*'), text);
  return {
    tool: 'Bash',
    kind: 'exact',
    words: fullWords(cmd),
    literal: fullLiteral(cmd),
    redirects: cmd.redirects,
    text,
  };
}

/** The rule must name one simple command: compound commands are checked part by part. */
function singleCommand(spec: string, text: string): SimpleCommand {
  if (!spec.trim()) throw new RuleError(`"${text}": nothing before ":*"`);
  const split = splitCommand(spec);
  if (!split.ok) throw new RuleError(`"${text}": ${split.reason}`);
  const first = split.commands[0];
  if (!first || (first.argv.length === 0 && first.assignments.length === 0))
    throw new RuleError(`"${text}": no command in the rule`);
  if (first.text.trim() !== spec.trim()) {
    throw new RuleError(
      `"${text}": a Bash rule names one command; commands joined with &&, ||, ;, | or newlines are checked one by one, so write one rule per command`,
    );
  }
  return first;
}

/** Assignments as written (`A=1`) followed by the argument words. */
export function fullWords(cmd: SimpleCommand): string[] {
  return [...cmd.assignments.map((a) => `${a.name}=${a.value}`), ...cmd.argv];
}

/** Per fullWords() entry: written without expansion, glob or brace pattern. */
export function fullLiteral(cmd: SimpleCommand): boolean[] {
  return [...cmd.assignments.map((a) => a.static), ...cmd.argStatic];
}

/** Linear-time matcher (wildcardMatcher.ts): a RegExp of `.*` runs backtracks on long commands. */
function wildcard(spec: string, text: string): WildcardMatcher {
  if (/[;&|<>`\n]|\$\(/.test(spec)) throw new RuleError(`"${text}": a wildcard rule cannot contain shell operators`);
  return compileWildcard(spec);
}

/**
 * Does `rule` match this word list (the argv, or assignments + argv)? With `literal`, an exact
 * rule also needs each word written the same way: `'*.tmp'` is not the glob `*.tmp`.
 */
export function bashRuleMatches(
  rule: BashRule,
  words: readonly string[],
  redirects: readonly Redirection[],
  literal?: readonly boolean[],
): boolean {
  switch (rule.kind) {
    case 'any':
      return true;
    case 'exact':
      if (literal && !rule.literal.every((l, i) => l === literal[i])) return false;
      return sameWords(rule.words, words) && (rule.redirects.length === 0 || sameRedirects(rule.redirects, redirects));
    case 'prefix': {
      const p = rule.words;
      if (words.length < p.length || p.length === 0) return false;
      for (let i = 0; i < p.length - 1; i++) if (words[i] !== p[i]) return false;
      const last = p[p.length - 1];
      const w = words[p.length - 1];
      return w === last || w.startsWith(`${last}:`);
    }
    case 'wildcard':
      return rule.pattern.test(words.join(' '));
  }
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

function sameRedirects(a: readonly Redirection[], b: readonly Redirection[]): boolean {
  const key = (r: Redirection) => `${r.fd ?? ''}${r.op}${r.target}${r.body !== undefined ? `\n${r.body}` : ''}`;
  return sameWords(a.map(key), b.map(key));
}

/** Rules by effect. Deny wins over ask, ask over allow (Claude Code's order). */
export interface RuleSet {
  allow: Rule[];
  deny: Rule[];
  ask: Rule[];
}

export function emptyRuleSet(): RuleSet {
  return { allow: [], deny: [], ask: [] };
}
