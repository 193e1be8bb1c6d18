// What a sandboxed command may not change inside the writable workspace: the same protected
// paths the file tools refuse (git config, hooks and submodule git dirs, .claude, .vscode, the runs folder), bound
// read-only over the writable root. A missing directory is created empty first so the command
// cannot create it with content (an empty directory is invisible to git).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Directories protected in each writable root (created empty when missing). */
const PROTECTED_DIRS = ['.claude', '.vscode'];
/**
 * Inside a root's `.git` directory: hooks run code, config can name programs (core.hooksPath, filters,
 * aliases). `modules` holds each submodule's own git dir, whose config and hooks git obeys when the
 * person's next `git status` recurses into it; it is bound whole (created empty when missing) so a
 * submodule added by the command itself is covered too.
 */
const PROTECTED_GIT = ['config', 'hooks', 'config.worktree', 'modules'];
/** Git-dir entries created empty when missing, so the command cannot create them with content. */
const CREATED_GIT = new Set(['hooks', 'modules']);

/**
 * Existing real paths to bind read-only: per root its protected entries, plus `extra` (the runs
 * folder, the config dir) when they exist. Missing `.claude`/`.vscode`/`.git/hooks`/`.git/modules` are created.
 */
export function protectedPaths(roots: readonly string[], extra: readonly (string | undefined)[] = []): string[] {
  const out = new Set<string>();
  for (const root of roots) {
    for (const name of PROTECTED_DIRS) {
      const dir = path.join(root, name);
      if (ensureDir(dir)) out.add(dir);
    }
    const git = path.join(root, '.git');
    if (isFile(git)) {
      // A worktree's .git file names its git dir: rewritten, git (the runtime's own calls included) would obey another repository's config.
      out.add(git);
      continue;
    }
    if (!isDir(git)) continue;
    for (const name of PROTECTED_GIT) {
      const p = path.join(git, name);
      if (CREATED_GIT.has(name)) ensureDir(p);
      if (fs.existsSync(p)) out.add(p);
    }
  }
  for (const p of extra) if (p && fs.existsSync(p)) out.add(p);
  return [...out];
}

function isFile(p: string): boolean {
  try {
    return fs.lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** True when `dir` is (now) a real directory; a symlink or file there is left alone but still bound. */
function ensureDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EEXIST';
  }
}
