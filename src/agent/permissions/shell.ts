// Splits a Bash command into every simple command it would run, using unbash (a complete,
// typed, dependency-free Bash parser). Nothing is skipped: pipelines, && || ; & and newline
// lists, subshells, { } groups, if/for/while/case bodies, function bodies (checked although
// only defined), and commands inside $(…), backticks and <(…)/>(…) wherever those appear —
// arguments, assignments, redirection targets, here-doc bodies, ${…} and $((…)). Any parse
// error makes the split fail, and the gate then asks the person; it never allows.
// Compound commands whose own parts make Bash evaluate text as code (`(( x ))`, `[[ a -eq b ]]`,
// `for ((…))`, see evaluation.ts) are listed too, as opaque entries without words.
import { forEachChild, parse, type Command, type Redirection as ParsedRedirection, type SyntaxNode } from 'unbash';
import { builtinReason, type ArgWord } from './builtins';
import { evaluationReason } from './evaluation';
import { isWrapper, wrappedStarts } from './wrappers';
import { describeWord, substitutes } from './words';

export interface Redirection {
  /** As written: > >> >| &> &>> <> >& < <& << <<- <<< */
  op: string;
  /** Explicit descriptor (`2>`); undefined for the default one or a {var} descriptor. */
  fd?: number;
  /** The target after quote removal when static, else as written; here-docs: the delimiter. */
  target: string;
  /** The target is only known at run time (expansion, glob, substitution). */
  dynamic: boolean;
  /** Opens `target` as a file for writing (creating it if needed). */
  writes: boolean;
  /** Unquoted leading `~` in the target. */
  tilde: boolean;
  /** Here-docs: the body as written (an exact rule must name the same body). */
  body?: string;
}

export interface EnvAssignment {
  name: string;
  /** Value after quote removal when static, else as written. */
  value: string;
  /** The value has no expansion. */
  static: boolean;
  text: string;
}

export interface SimpleCommand {
  /** Words after quote removal where statically known, otherwise as written (`$x`). */
  argv: string[];
  /** Per argv word: no expansion, glob or brace pattern (an exact rule tells `'*'` from `*`). */
  argStatic: boolean[];
  /** `FOO=1` prefixes, or the assignments of a bare `FOO=1` statement (argv empty). */
  assignments: EnvAssignment[];
  /** Its own redirections, then those of enclosing compound commands (`{ …; } > f`). */
  redirects: Redirection[];
  /** What runs cannot be known statically; `dynamicReason` says why. */
  dynamic: boolean;
  dynamicReason?: string;
  /**
   * What runs cannot be seen at all (code evaluated at run time, a program chosen at run time),
   * so deny rules cannot be checked against it. Implies nothing about `dynamic` for wrappers
   * with run-time arguments (`xargs $x`), which prefix rules for the wrapper still allow.
   */
  opaque: boolean;
  opaqueReason?: string;
  /** The command as written. */
  text: string;
}

export type SplitResult = { ok: true; commands: SimpleCommand[] } | { ok: false; reason: string };

/** Longer input is refused rather than parsed (a Bash tool call is never this long). */
const MAX_LENGTH = 100_000;
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

export function splitCommand(command: string): SplitResult {
  if (command.length > MAX_LENGTH) return { ok: false, reason: `the command is longer than ${MAX_LENGTH} characters` };
  let script;
  try {
    script = parse(command);
  } catch (e) {
    return { ok: false, reason: `the shell parser failed: ${(e as Error).message}` };
  }
  const commands: SimpleCommand[] = [];
  const errors: string[] = [];
  // Positions index the nearest enclosing script's own `source` (escaped backticks) or the input.
  const sources: string[] = [command];
  const inherited: Redirection[][] = [];

  const visit = (node: SyntaxNode): void => {
    switch (node.type) {
      case 'Script': {
        for (const e of node.errors ?? []) errors.push(`${e.message} (at ${e.pos})`);
        if (node.source !== undefined) sources.push(node.source);
        forEachChild(node, visit);
        if (node.source !== undefined) sources.pop();
        return;
      }
      case 'CommandExpansion':
      case 'ProcessSubstitution':
      case 'ArithmeticCommandExpansion':
        if (!node.script) errors.push(`could not parse ${JSON.stringify(node.text)}`);
        break;
      case 'Redirected': {
        const why = node.redirects.map(evaluationReason).find((r) => r);
        if (why) commands.push(evaluating(node, why, sources[sources.length - 1], []));
        // `{ a; b; } > f`: the redirection applies to every command inside.
        inherited.push(node.redirects.map(redirection));
        forEachChild(node, visit);
        inherited.pop();
        return;
      }
      case 'Command':
        commands.push(simpleCommand(node, sources[sources.length - 1], inherited.flat()));
        break;
      case 'ArithmeticCommand':
      case 'ArithmeticFor':
      case 'TestCommand':
      case 'For':
      case 'Select':
      case 'Case':
      case 'Function':
      case 'Coproc': {
        const why = evaluationReason(node);
        if (why) commands.push(evaluating(node, why, sources[sources.length - 1], inherited.flat()));
        break;
      }
    }
    forEachChild(node, visit);
  };
  visit(script);
  if (errors.length) return { ok: false, reason: `the command could not be parsed: ${errors.join('; ')}` };
  return { ok: true, commands };
}

/** A compound command that evaluates text as code: its header as the text, no words. */
function evaluating(
  node: SyntaxNode & { pos: number; end: number },
  why: string,
  source: string,
  redirects: Redirection[],
): SimpleCommand {
  const body =
    'body' in node && node.body && typeof node.body === 'object' && 'pos' in node.body ? node.body.pos : undefined;
  const end =
    node.type === 'Case'
      ? (node.items[0]?.pos ?? node.end)
      : node.type === 'ArithmeticCommand' || node.type === 'TestCommand'
        ? node.end
        : (body ?? node.end);
  const text =
    source
      .slice(node.pos, end)
      .replace(/[\s;]*(do|\{|\()?[\s;]*$/, '')
      .trim() || source.slice(node.pos, node.end);
  return {
    argv: [],
    argStatic: [],
    assignments: [],
    redirects,
    dynamic: true,
    dynamicReason: why,
    opaque: true,
    opaqueReason: why,
    text,
  };
}

function simpleCommand(node: Command, source: string, outer: Redirection[]): SimpleCommand {
  const args: ArgWord[] = [];
  /** Per args entry: an `A=b` argument (of export, declare …), whose name part is static. */
  const assignmentArg: boolean[] = [];
  let dynamicReason: string | undefined;
  let opaque = false;
  const dynamic = (why: string, hidesWhatRuns: boolean): void => {
    dynamicReason ??= why;
    opaque ||= hidesWhatRuns;
  };
  if (node.name) {
    const name = describeWord(node.name);
    args.push(name);
    assignmentArg.push(false);
    if (!name.static) dynamic('the program name comes from an expansion', true);
  }
  const assignments: EnvAssignment[] = [];
  for (const a of node.prefix) {
    if (a.type !== 'Assignment') continue;
    const words = a.value.type === 'Word' ? [describeWord(a.value)] : a.value.elements.map(describeWord);
    const value = words.map((w) => w.value).join(' ');
    const isStatic = words.every((w) => w.static);
    assignments.push({ name: a.name, value, static: isStatic, text: a.text });
    // A quoted value that looks like code can be run later (eval, or an arithmetic subscript:
    // x='a[$(id)]'; (( x ))). Real expansions (`${HOME}/x`) are fine; substitutions are caught below.
    if (words.some((w) => w.static && /\$\(|`|\$\{|\$\[/.test(w.value)))
      dynamic(`the assignment ${a.name}=… holds shell code`, true);
    // A bare `x=$y` is only harmless if its value is known; the value may be evaluated later.
    if (!node.name && !isStatic) dynamic(`the value assigned to ${a.name} is only known at run time`, false);
  }
  for (const arg of node.suffix) {
    if (arg.type === 'Word') {
      args.push(describeWord(arg));
      assignmentArg.push(false);
    } else if (arg.type === 'Assignment') {
      // `export A=b`, `declare -x A=b`: the word as the program sees it; the name is static.
      const words = arg.value.type === 'Word' ? [describeWord(arg.value)] : arg.value.elements.map(describeWord);
      const value = arg.value.type === 'Word' ? words[0].value : `(${words.map((w) => w.value).join(' ')})`;
      const isStatic = words.every((w) => w.static);
      args.push({
        value: `${arg.name}${arg.index ? `[${arg.index.text}]` : ''}${arg.append ? '+=' : '='}${value}`,
        static: isStatic,
        single: true,
      });
      assignmentArg.push(true);
    }
  }
  const argv = args.map((a) => a.value);
  const redirects = [...node.redirects.map(redirection), ...outer];
  // Covers the name, arguments, assignment values, redirection targets and here-doc bodies.
  if (substitutes(node)) {
    dynamic('it uses command or process substitution, whose output is only known at run time', false);
  }
  const evaluated = evaluationReason(node);
  if (evaluated) dynamic(evaluated, true);
  // The command itself, and every command a wrapper in front of it may run.
  for (const start of [0, ...wrappedStarts(argv)]) {
    // Declaration builtins see `A=$x` as a name (static) and a value; elsewhere it is a word.
    const words = args.slice(start).map((a, i) => (assignmentArg[start + i] ? { ...a, static: true } : a));
    const why = builtinReason(words);
    if (why) {
      dynamic(why, true);
      break;
    }
  }
  // `xargs $x`, `sudo "$cmd"`: the wrapped program is chosen at run time.
  const hidden = isWrapper(argv[0] ?? '') && args.slice(1).some((a) => !a.static);
  const opaqueReason =
    hidden && !opaque ? `the command ${argv[0]} runs is only known at run time` : opaque ? dynamicReason : undefined;
  return {
    argv,
    argStatic: args.map((a) => a.static),
    assignments,
    redirects,
    dynamic: dynamicReason !== undefined,
    ...(dynamicReason !== undefined ? { dynamicReason } : {}),
    opaque: opaque || hidden,
    ...(opaqueReason !== undefined ? { opaqueReason } : {}),
    text: source.slice(node.pos, node.end),
  };
}

function redirection(r: ParsedRedirection): Redirection {
  const fd = r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : undefined;
  if (r.type === 'HereDoc') {
    return {
      op: r.operator,
      ...(fd !== undefined ? { fd } : {}),
      target: r.delimiter?.value ?? '',
      dynamic: false,
      writes: false,
      tilde: false,
      body: r.body.text,
    };
  }
  const word = r.target ? describeWord(r.target) : undefined;
  const target = word?.value ?? '';
  // `>& word` writes to a file unless the word is a descriptor number or `-` (close).
  const writes = WRITE_OPS.has(r.operator) || (r.operator === '>&' && !/^(\d+|-)$/.test(target));
  return {
    op: r.operator,
    ...(fd !== undefined ? { fd } : {}),
    target,
    dynamic: word ? !word.static : true,
    writes: r.type === 'Redirect' && writes,
    tilde: word?.tilde ?? false,
  };
}
