// Splits a Bash command into every simple command it would run, using unbash (a complete,
// typed, dependency-free Bash parser). Nothing is skipped: pipelines, && || ; & and newline
// lists, subshells, { } groups, if/for/while/case bodies, function bodies (checked although
// only defined), and commands inside $(…), backticks and <(…)/>(…) wherever those appear —
// arguments, assignments, redirection targets, here-doc bodies, ${…} and $((…)). Any parse
// error makes the split fail, and the gate then asks the person; it never allows.
import { forEachChild, parse, type Command, type Redirection as ParsedRedirection, type SyntaxNode } from 'unbash';
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
}

export interface EnvAssignment {
  name: string;
  /** Value after quote removal when static, else as written. */
  value: string;
  text: string;
}

export interface SimpleCommand {
  /** Words after quote removal where statically known, otherwise as written (`$x`). */
  argv: string[];
  /** `FOO=1` prefixes, or the assignments of a bare `FOO=1` statement (argv empty). */
  assignments: EnvAssignment[];
  /** Its own redirections, then those of enclosing compound commands (`{ …; } > f`). */
  redirects: Redirection[];
  /** What runs cannot be known statically; `dynamicReason` says why. */
  dynamic: boolean;
  dynamicReason?: string;
  /** The command as written. */
  text: string;
}

export type SplitResult = { ok: true; commands: SimpleCommand[] } | { ok: false; reason: string };

/** Longer input is refused rather than parsed (a Bash tool call is never this long). */
const MAX_LENGTH = 100_000;
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
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
        // `{ a; b; } > f`: the redirection applies to every command inside.
        inherited.push(node.redirects.map(redirection));
        forEachChild(node, visit);
        inherited.pop();
        return;
      }
      case 'Command':
        commands.push(simpleCommand(node, sources[sources.length - 1], inherited.flat()));
        break;
    }
    forEachChild(node, visit);
  };
  visit(script);
  if (errors.length) return { ok: false, reason: `the command could not be parsed: ${errors.join('; ')}` };
  return { ok: true, commands };
}

function simpleCommand(node: Command, source: string, outer: Redirection[]): SimpleCommand {
  const argv: string[] = [];
  let dynamicReason: string | undefined;
  const dynamic = (why: string): void => {
    dynamicReason ??= why;
  };
  if (node.name) {
    const name = describeWord(node.name);
    argv.push(name.value);
    if (!name.static) dynamic('the program name comes from an expansion');
  }
  const assignments: EnvAssignment[] = [];
  for (const a of node.prefix) {
    if (a.type !== 'Assignment') continue;
    const words = a.value.type === 'Word' ? [describeWord(a.value)] : a.value.elements.map(describeWord);
    const value = words.map((w) => w.value).join(' ');
    assignments.push({ name: a.name, value, text: a.text });
    // A quoted value that looks like code can be run later (eval, or an arithmetic subscript:
    // x='a[$(id)]'; (( x ))). Real expansions (`${HOME}/x`) are fine; substitutions are caught below.
    if (words.some((w) => w.static && /\$\(|`|\$\{/.test(w.value))) dynamic(`the assignment ${a.name}=… holds shell code`);
  }
  for (const arg of node.suffix) {
    if (arg.type === 'Word') argv.push(describeWord(arg).value);
    else if (arg.type === 'Assignment') {
      // `export A=b`, `declare -x A=b`: the word as the program sees it.
      const value = arg.value.type === 'Word' ? describeWord(arg.value).value : `(${arg.value.elements.map((w) => describeWord(w).value).join(' ')})`;
      argv.push(`${arg.name}${arg.index ? `[${arg.index.text}]` : ''}${arg.append ? '+=' : '='}${value}`);
    }
  }
  const redirects = [...node.redirects.map(redirection), ...outer];
  // Covers the name, arguments, assignment values, redirection targets and here-doc bodies.
  if (substitutes(node)) {
    dynamic('it uses command or process substitution, whose output is only known at run time');
  }
  const program = argv[0] ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (base === 'eval') dynamic('eval runs its arguments as shell code');
  else if (SHELLS.has(base) && argv.slice(1).some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a))) dynamic(`${base} -c runs its argument as shell code`);
  return {
    argv,
    assignments,
    redirects,
    dynamic: dynamicReason !== undefined,
    ...(dynamicReason !== undefined ? { dynamicReason } : {}),
    text: source.slice(node.pos, node.end),
  };
}

function redirection(r: ParsedRedirection): Redirection {
  const fd = r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : undefined;
  if (r.type === 'HereDoc') {
    return { op: r.operator, ...(fd !== undefined ? { fd } : {}), target: r.delimiter?.value ?? '', dynamic: false, writes: false, tilde: false };
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
