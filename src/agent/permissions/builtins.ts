// Builtins that run text as code or write variables by a name given as text (where a name such
// as `a[$(cmd)]` runs cmd, see evaluation.ts), and the shells' -c. Checked on the command and on
// every command a wrapper may run (`builtin eval …`, `xargs sh -c …`), by argument words with
// what is known about them before they run.
import { isUnsafeEnvName } from './env';
import { ARITHMETIC_SPECIALS, isNumericLiteral } from './evaluation';

export interface ArgWord {
  /** After quote removal when static, else as written. */
  value: string;
  /** No expansion, glob or brace pattern. */
  static: boolean;
  /** Expands to exactly one word (static, or a double-quoted scalar expansion). */
  single: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox']);
/** Always run text (or a file) as shell code, or change what a name means for later commands. */
const CODE = new Map<string, string>([
  ['eval', 'eval runs its arguments as shell code'],
  ['source', 'source runs a file as shell code'],
  ['.', '. runs a file as shell code'],
  ['fc', 'fc runs commands from the history'],
  ['enable', 'enable can load or switch off builtins, which changes what a name runs'],
  ['bind', 'bind can attach shell code to keys'],
  ['compgen', 'compgen expands its word lists and runs completion code'],
  ['complete', 'complete attaches shell code to completions'],
]);
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
const SAFE_SHOPT = new Set([
  'globstar',
  'nullglob',
  'extglob',
  'dotglob',
  'failglob',
  'nocaseglob',
  'nocasematch',
  'globasciiranges',
  'lastpipe',
  'inherit_errexit',
]);
const SAFE_SET_O = new Set([
  'pipefail',
  'errexit',
  'nounset',
  'xtrace',
  'verbose',
  'noclobber',
  'noglob',
  'braceexpand',
]);
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(\[(.*)\])?$/s;

/** Why running `args` (program first) evaluates text as code, or undefined. */
export function builtinReason(args: readonly ArgWord[]): string | undefined {
  if (!args.length || !args[0].static) return undefined;
  const program = args[0].value;
  const rest = args.slice(1);
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (SHELLS.has(base)) {
    const why = shellReason(base, rest);
    if (why) return why;
  }
  if (program.includes('/')) return undefined; // builtins are never run by path
  const code = CODE.get(program);
  if (code) return code;
  switch (program) {
    case 'trap':
      return rest.every((a) => a.static && /^-[lp]+$/.test(a.value))
        ? undefined
        : 'trap runs its argument as shell code later';
    case 'alias':
      return rest.some((a) => !a.static || a.value.includes('='))
        ? 'alias changes what a command name runs'
        : undefined;
    case 'hash':
      return rest.some((a) => !a.static || /^-\w*p/.test(a.value))
        ? 'hash -p changes which file a command name runs'
        : undefined;
    case 'shopt':
      return shoptReason(rest);
    case 'set':
      return setReason(rest);
    case 'let':
      return rest.every((a) => a.static && /^[\d\s+\-*/%()<>=!&|^~?:,]*$/.test(a.value))
        ? undefined
        : 'let evaluates variables as arithmetic, which can run code they hold';
    case 'test':
    case '[':
      return testReason(program === '[' && rest[rest.length - 1]?.value === ']' ? rest.slice(0, -1) : rest);
    case 'read':
      return namesReason(rest, 'aers', 'adinNptu', 'a', true);
    case 'mapfile':
    case 'readarray':
      if (rest.some((a) => !a.static || /^-[^-]*C/.test(a.value))) return `${program} -C runs a callback as shell code`;
      return namesReason(rest, 't', 'dnOsuCc', '', true);
    case 'printf':
      return namesReason(rest, '', 'v', 'v', false);
    case 'wait':
      return namesReason(rest, 'fn', 'p', 'p', false);
    case 'getopts':
      return rest[1] ? nameReason(rest[1]) : undefined;
    case 'unset':
      return namesReason(rest, 'fvn', '', '', true);
    default:
      return DECLARATIONS.has(program) ? declarationReason(program, rest) : undefined;
  }
}

/** `sh -c code`, or an option only known at run time that could be -c (before the script name). */
function shellReason(shell: string, args: readonly ArgWord[]): string | undefined {
  if (args.some((a) => a.static && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.value)))
    return `${shell} -c runs its argument as shell code`;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.static) return `${shell} with an option only known at run time, which could be -c`;
    if (a.value === '--rcfile' || a.value === '--init-file') return `${shell} ${a.value} runs a file as shell code`;
    if (/^[-+][oO]$/.test(a.value)) i++;
    else if (!a.value.startsWith('-') && !a.value.startsWith('+')) return undefined; // the script; the rest are its arguments
  }
  return undefined;
}

/** A word used as a variable name: a subscript, a computed name or a special variable runs code. */
export function nameReason(word: ArgWord): string | undefined {
  const m = word.static ? NAME.exec(word.value) : null;
  if (!m)
    return `the variable name ${word.value} is only known at run time or holds a subscript, which Bash evaluates as code`;
  if (m[2] !== undefined && !isNumericLiteral(m[3]))
    return `the subscript in ${word.value} is evaluated as arithmetic, which can run code`;
  if (ARITHMETIC_SPECIALS.has(m[1]))
    return `Bash evaluates a value assigned to ${m[1]} as arithmetic, which can run code`;
  if (isUnsafeEnvName(m[1])) return `it sets ${m[1]}, which can change what runs`;
  return undefined;
}

/**
 * Option parsing for builtins that take variable names: `flags` take no value, `valued` take
 * one, `nameOptions` are those whose value is a variable name; with `trailingNames`, the words
 * after the options are names too.
 */
function namesReason(
  args: readonly ArgWord[],
  flags: string,
  valued: string,
  nameOptions: string,
  trailingNames: boolean,
): string | undefined {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.static) return `an option or name of this builtin is only known at run time`;
    if (a.value === '--') {
      i++;
      break;
    }
    if (!a.value.startsWith('-') || a.value === '-') break;
    for (let j = 1; j < a.value.length; j++) {
      const c = a.value[j];
      if (flags.includes(c)) continue;
      if (!valued.includes(c)) return `the option -${c} is not known to the checker`;
      const inline = a.value.slice(j + 1);
      const value: ArgWord | undefined = inline ? { value: inline, static: true, single: true } : args[++i];
      if (nameOptions.includes(c) && value) {
        const why = nameReason(value);
        if (why) return why;
      }
      break;
    }
  }
  if (!trailingNames) return undefined;
  for (; i < args.length; i++) {
    const why = nameReason(args[i]);
    if (why) return why;
  }
  return undefined;
}

function declarationReason(program: string, args: readonly ArgWord[]): string | undefined {
  for (const a of args) {
    if (!a.static) return `${program} with a name or option only known at run time`;
    if (/^[-+]/.test(a.value) && a.value !== '--') {
      const risky = program === 'export' ? '' : 'in';
      if ([...a.value.slice(1)].some((c) => risky.includes(c)))
        return `${program} ${a.value} makes Bash evaluate assigned values as code`;
      continue;
    }
    const eq = a.value.search(/\+?=/);
    const name = eq < 0 ? a.value : a.value.slice(0, eq);
    const why = nameReason({ value: name, static: true, single: true });
    if (why) return why;
  }
  return undefined;
}

function shoptReason(args: readonly ArgWord[]): string | undefined {
  for (const a of args) {
    if (!a.static) return 'shopt with an option only known at run time';
    if (/^-[supq]+$/.test(a.value)) continue;
    if (!SAFE_SHOPT.has(a.value)) return `shopt ${a.value} can change how later commands are read or run`;
  }
  return undefined;
}

function setReason(args: readonly ArgWord[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.static) return 'set with an option only known at run time';
    if (a.value === '--' || a.value === '-') return undefined; // the rest are positional parameters
    if (/^[-+][euxvCfB]*o$/.test(a.value)) {
      const name = args[++i];
      if (!name?.static || !SAFE_SET_O.has(name.value))
        return `set ${a.value} ${name?.value ?? ''} can change how later commands run`;
      continue;
    }
    if (/^[-+]/.test(a.value)) {
      if (!/^[-+][euxvCfB]+$/.test(a.value)) return `set ${a.value} can change how later commands run`;
      continue;
    }
    return undefined; // positional parameters
  }
  return undefined;
}

/**
 * `test`/`[` evaluates the operand of -v/-R as a variable name (with a subscript: code). A word
 * only known at run time could itself become `-v`, so it must be one word and not be followed
 * by a word that could be its operand.
 */
function testReason(args: readonly ArgWord[]): string | undefined {
  if (args.length === 1 && args[0].single) return undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.static && (a.value === '-v' || a.value === '-R')) {
      const operand = args[i + 1];
      if (operand && !(operand.static && /^[A-Za-z_]\w*(\[\d+\])?$/.test(operand.value)))
        return `test ${a.value} evaluates the subscript in its operand as code`;
      continue;
    }
    if (a.static) continue;
    if (!a.single) return 'test with a word that may split into several, which can turn into the -v operator';
    const next = args[i + 1];
    if (next && (!next.static || next.value.includes('[')))
      return 'test with a run-time word that can turn into the -v operator on the next word';
  }
  return undefined;
}
