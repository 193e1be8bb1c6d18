// Where a command's output redirections write. A target is resolved like a path a file tool
// writes (`..`, `~`, symlinks) against every directory the command may be in when it runs:
// `cd` anywhere in the command adds its target as a possible working directory (order-blind,
// so loops and branches are covered); a `cd` we cannot follow makes relative targets unknown.
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveInWorkspace } from './paths';
import type { Redirection, SimpleCommand } from './shell';

export interface Where {
  /** Real paths of the workspace folders. */
  roots: readonly string[];
  /** Directory the command starts in. */
  cwd: string;
  home?: string;
}

/** Device files that are not files in any sense that matters here. */
const HARMLESS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const MAX_DIRS = 64;

/** Possible working directories for the commands, or undefined if some `cd` can't be followed. */
export function workingDirs(commands: readonly SimpleCommand[], where: Where): string[] | undefined {
  const home = where.home ?? os.homedir();
  const targets: string[] = [];
  for (const c of commands) {
    const name = c.argv[0];
    if (name === 'popd' || ((name === 'cd' || name === 'pushd') && c.dynamic)) return undefined;
    if (name !== 'cd' && name !== 'pushd') continue;
    const args = c.argv.slice(1).filter((a) => !/^-[LPe@]+$/.test(a) && a !== '--');
    const t = args[0] ?? home;
    if (args.length > 1 || t === '-' || /^[+-]\d/.test(t) || /[$`*?[{]/.test(t)) return undefined;
    const expanded = t === '~' || t.startsWith('~/') ? home + t.slice(1) : t;
    if (expanded.startsWith('~')) return undefined;
    // A relative `cd ..` repeated by a loop climbs without bound.
    if (!path.isAbsolute(expanded) && expanded.split(/\/+/).includes('..')) return undefined;
    targets.push(expanded);
  }
  const dirs = new Set([where.cwd]);
  // Each `cd` may run after any other (loops), so apply them all once per `cd`.
  for (let round = 0; round < targets.length; round++) {
    for (const t of targets) for (const d of [...dirs]) dirs.add(path.resolve(d, t));
    if (dirs.size > MAX_DIRS) return undefined;
  }
  return [...dirs];
}

/** Why this redirection may write outside the workspace, or undefined when it can't. */
export function outsideWrite(
  r: Redirection,
  dirs: readonly string[] | undefined,
  where: Where | undefined,
): string | undefined {
  if (!r.writes) return undefined;
  if (!r.dynamic && HARMLESS.test(r.target)) return undefined;
  if (r.dynamic) return `it writes to ${r.target}, a file named only at run time`;
  if (!where) return `it writes to the file ${r.target}`;
  const home = where.home ?? os.homedir();
  // Only an unquoted leading ~ is expanded by the shell; a quoted one is a directory named "~".
  const target = r.tilde ? r.target : r.target.startsWith('~') ? `./${r.target}` : r.target;
  if (!path.isAbsolute(target) && !r.tilde && !dirs)
    return `it writes to ${r.target} after a cd that cannot be followed`;
  for (const dir of dirs ?? [where.cwd]) {
    const check = resolveInWorkspace(target, where.roots, dir, home);
    if (!check.ok) return `it writes to a file outside the workspace: ${check.reason}`;
  }
  return undefined;
}
