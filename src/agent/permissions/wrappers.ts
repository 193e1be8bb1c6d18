// Programs that run their arguments as another command (`sudo rm …`, `xargs rm`, `env X=1 rm`).
// Allow rules never look inside them — `nohup` needs its own rule — but deny and ask rules do,
// so `Bash(rm:*)` still catches `command rm -rf x` or `/bin/rm -rf x`: a rule meant to stop a
// program should not be dodged by a wrapper or a path.

const WRAPPERS = new Set([
  'command',
  'builtin',
  'exec',
  'nohup',
  'sudo',
  'doas',
  'env',
  'nice',
  'ionice',
  'time',
  'timeout',
  'stdbuf',
  'xargs',
  'watch',
  'setsid',
  'unbuffer',
  'strace',
  'ltrace',
  'taskset',
  'chrt',
  'flock',
  'caffeinate',
  'chronic',
]);

const basename = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** Enough for any real command line; keeps a crafted one from costing quadratic time. */
const MAX_FORMS = 256;

/** Is this program one that runs its arguments as another command? */
export function isWrapper(program: string): boolean {
  return WRAPPERS.has(basename(program));
}

/**
 * Where, behind a wrapper, the wrapped command may start: every non-option word (option values
 * are not understood, so each is tried; nested wrappers are covered by the same runs).
 */
export function wrappedStarts(argv: readonly string[]): number[] {
  if (!argv.length || !isWrapper(argv[0])) return [];
  const starts: number[] = [];
  for (let i = 1; i < argv.length && starts.length < MAX_FORMS; i++) {
    if (argv[i].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i])) continue;
    starts.push(i);
  }
  return starts;
}

/**
 * Word lists a deny or ask rule should be tried against: the command with its program's
 * directory dropped, and, behind a wrapper, every run of words that could be the wrapped command.
 */
export function wrappedForms(argv: readonly string[]): string[][] {
  if (!argv.length) return [];
  const forms: string[][] = [];
  const add = (words: readonly string[]) => {
    const program = basename(words[0]);
    forms.push(program === words[0] ? [...words] : [program, ...words.slice(1)]);
  };
  if (basename(argv[0]) !== argv[0]) add(argv);
  for (const i of wrappedStarts(argv)) add(argv.slice(i));
  return forms;
}
