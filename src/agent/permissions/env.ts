// Environment variables that change which program runs or what code it loads. `FOO=1 npm test`
// is matched on `npm test`, but `PATH=/tmp/x npm test` or `NODE_OPTIONS=--require=… npm test`
// would run something the person never allowed, so such an assignment (as a prefix, a bare
// statement, or an `export`/`declare` argument) keeps a prefix rule from matching; only a rule
// written with that same assignment (`Bash(NODE_OPTIONS=--inspect node:*)`) or `Bash` allows it.
// This is a deny-list, so it errs wide: anything that smells of paths, options, hooks or loaders.

const EXACT = new Set([
  'PATH',
  'ENV',
  'BASH_ENV',
  'IFS',
  'PS4',
  'PROMPT_COMMAND',
  'SHELLOPTS',
  'BASHOPTS',
  'CDPATH',
  'GLOBIGNORE',
  'HOME',
  'ZDOTDIR',
  'TMPDIR',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'BROWSER',
  'SHELL',
  'TERMINFO',
  'HOSTALIASES',
  'LOCALDOMAIN',
  'RES_OPTIONS',
  'NLSPATH',
  'LOCPATH',
  'GCONV_PATH',
  'MALLOC_CONF',
]);

const PATTERNS: RegExp[] = [
  /PATH/i,
  /PRELOAD/i,
  /AUDIT/i,
  /OPTIONS?$/i,
  /OPTS$/i,
  /LIB/i,
  /HOOK/i,
  /CONFIG/i,
  /COMMAND/i,
  /CMD/i,
  /EXEC/i,
  /EDITOR/i,
  /PAGER/i,
  /SHELL/i,
  /PROXY/i,
  /HOME$/i,
  /FLAGS$/i,
  /^GO/i,
  /^PYTHON/i,
  /^PERL/i,
  /^RUBY/i,
  /^(LD|DYLD|BASH|GIT|NODE|NPM|YARN|PNPM|GEM|BUNDLE|JAVA|JDK|MAVEN|GRADLE|CARGO|RUSTC|RUSTUP|SSH|GPG|DOCKER|KUBE|AWS|LUA|PHP|DENO|BUN)_/i,
];

/** Common harmless names the patterns above would catch. */
const SAFE = new Set([
  'NODE_ENV',
  'NODE_NO_WARNINGS',
  'GOOS',
  'GOARCH',
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONHASHSEED',
]);

export function isUnsafeEnvName(name: string): boolean {
  if (SAFE.has(name)) return false;
  return EXACT.has(name) || PATTERNS.some((p) => p.test(name));
}

/** Builtins whose NAME=value arguments set variables for the rest of the command. */
export const DECLARATION_BUILTINS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/**
 * The unsafe assignments a simple command makes — prefixes, bare statements and the NAME=value
 * arguments of export/declare/… — as the words a rule must contain to allow them.
 */
export function unsafeAssignments(
  argv: readonly string[],
  assignments: readonly { name: string; value: string }[],
): { name: string; word: string }[] {
  const found = assignments.map((a) => ({ name: a.name, word: `${a.name}=${a.value}` }));
  if (argv.length && DECLARATION_BUILTINS.has(argv[0])) {
    for (const arg of argv.slice(1)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/.exec(arg);
      if (m) found.push({ name: m[1], word: arg });
    }
  }
  return found.filter((a) => isUnsafeEnvName(a.name));
}
