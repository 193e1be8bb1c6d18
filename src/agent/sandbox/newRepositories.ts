// Repositories a command created (`git init`, `git clone`, a hand-made `.git`) are its own, so
// the bind mounts cannot protect them; but the person's git or the editor's git extension will
// run in them later, and obey their config and hooks. After each command the new ones are vetted:
// a config with only the keys `git init` and `git clone` write, and hooks that are only the
// `.sample` files, stay as they are; anything else is renamed aside (the repository still works
// without it) and the agent is told. A new `.git` pointer file to a git dir that fails the same
// check is renamed aside too.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitDirs } from './gitDirs';

/** The keys a fresh `git init` or `git clone` writes; none names a program. */
const HARMLESS_KEYS = [
  /^core\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks)$/,
  /^remote\.[^\n]+\.(url|fetch)$/,
  /^branch\.[^\n]+\.(remote|merge)$/,
  /^user\.(name|email)$/,
];

export const QUARANTINE_SUFFIX = '.dwf-quarantined';

/** What was renamed aside in the repositories that appeared since `before`; empty: nothing. */
export function quarantineNewRepositories(before: readonly GitDirs[], after: readonly GitDirs[]): string[] {
  const known = new Set(before.flatMap((g) => g.dirs));
  const pointers = new Map<string, string | undefined>();
  for (const g of before) for (const p of g.pointers) pointers.set(p.file, p.content);
  const done: string[] = [];
  for (const g of after) {
    for (const dir of g.dirs) if (!known.has(dir)) done.push(...neutralise(dir));
    for (const { file, content } of g.pointers) {
      if (pointers.has(file) && pointers.get(file) === content) continue;
      const target = pointerTarget(file, content);
      if (target && (known.has(target) || neutralise(target, true).length === 0)) continue;
      done.push(...renameAside(file));
    }
  }
  return done;
}

/** Renames aside what in `dir` would run a program; dryRun: only says whether anything would. */
function neutralise(dir: string, dryRun = false): string[] {
  const out: string[] = [];
  const config = path.join(dir, 'config');
  if (fs.existsSync(config) && !harmlessConfig(config)) out.push(config);
  for (const name of ['config.worktree', 'commondir'])
    if (fs.existsSync(path.join(dir, name))) out.push(path.join(dir, name));
  const hooks = path.join(dir, 'hooks');
  if (fs.existsSync(hooks) && !onlySamples(hooks)) out.push(hooks);
  return dryRun ? out : out.flatMap(renameAside);
}

function harmlessConfig(file: string): boolean {
  // Parsing only: --no-includes, and -f reads no other config file.
  const r = spawnSync('git', ['config', '--file', file, '--no-includes', '--name-only', '--list'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.status !== 0) return false;
  const keys = r.stdout.split('\n').filter(Boolean);
  return keys.every((k) => HARMLESS_KEYS.some((re) => re.test(k)));
}

function onlySamples(hooks: string): boolean {
  try {
    if (!fs.lstatSync(hooks).isDirectory()) return false;
    return fs.readdirSync(hooks).every((name) => name.endsWith('.sample'));
  } catch {
    return false;
  }
}

function pointerTarget(file: string, content: string | undefined): string | undefined {
  const m = /^gitdir: (.+)$/m.exec(content ?? '');
  return m ? path.resolve(path.dirname(file), m[1].trim()) : undefined;
}

function renameAside(p: string): string[] {
  try {
    fs.renameSync(p, `${p}${QUARANTINE_SUFFIX}`);
    return [p];
  } catch (e) {
    return [`${p} (could not be renamed aside: ${(e as Error).message})`];
  }
}
