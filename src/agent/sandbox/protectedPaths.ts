// What a sandboxed command may not change inside the writable workspace: the same protected
// paths the file tools refuse (git config, hooks and submodule git dirs, .claude, .vscode, the runs folder), bound
// read-only over the writable root. A missing directory is created empty first so the command
// cannot create it with content (an empty directory is invisible to git).
//
// Every git directory in a root is protected, nested and bare repositories too, and is itself
// "pinned" (bound onto itself) so the command cannot rename it away and put a new one with its
// own config in its place: a rename of a mount point fails with EBUSY.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitDirsIn, type GitDirs } from './gitDirs';

/** Directories protected in each writable root (created empty when missing). */
const PROTECTED_DIRS = ['.claude', '.vscode'];
/**
 * Inside a git directory: hooks run code, config can name programs (core.hooksPath, filters,
 * aliases). `modules` holds each submodule's own git dir, whose config and hooks git obeys when the
 * person's next `git status` recurses into it; it is bound whole (created empty when missing) so a
 * submodule added by the command itself is covered too. `worktrees` holds each linked worktree's
 * git dir, whose `commondir` names where its config is read from.
 */
const PROTECTED_GIT = ['config', 'hooks', 'config.worktree', 'modules', 'worktrees'];
/** Git-dir entries created empty when missing, so the command cannot create them with content. */
const CREATED_GIT = new Set(['hooks', 'modules', 'worktrees']);

export interface ProtectedMounts {
  /** Git directories bound onto themselves (writable) before `readOnly`, so they cannot be renamed. */
  pinned: string[];
  /** Existing real paths bound read-only. */
  readOnly: string[];
  /** The git directories found (for the after-command check of files git would follow). */
  gitDirs: string[];
  /** Roots whose walk for nested repositories stopped early (too many folders). */
  truncated: string[];
  /** What each walked root's walk found (compared after the command with a new walk of `walked`). */
  found: GitDirs[];
  walked: string[];
}

/**
 * Per root its protected entries and every git directory's, plus `extra` (the runs folder, the
 * config dir) when they exist. Missing `.claude`/`.vscode` and a git dir's `hooks`/`modules`/`worktrees` are created.
 */
export function protectedMounts(
  roots: readonly string[],
  extra: readonly (string | undefined)[] = [],
): ProtectedMounts {
  const out: ProtectedMounts = {
    pinned: [],
    readOnly: [],
    gitDirs: [],
    truncated: [],
    found: [],
    walked: outermost(roots),
  };
  const readOnly = new Set<string>();
  // A root inside another (the working folder inside the workspace) is covered by the outer one's walk and binds.
  for (const root of out.walked) {
    for (const name of PROTECTED_DIRS) {
      const dir = path.join(root, name);
      if (ensureDir(dir)) readOnly.add(dir);
    }
    const found = gitDirsIn(root);
    out.found.push(found);
    if (found.truncated) out.truncated.push(root);
    // A worktree's or submodule's .git file names its git dir: rewritten, git (the runtime's own calls included) would obey another repository's config.
    for (const pointer of found.pointers) readOnly.add(pointer.file);
    for (const git of found.dirs) {
      out.pinned.push(git);
      out.gitDirs.push(git);
      for (const name of PROTECTED_GIT) {
        const p = path.join(git, name);
        if (CREATED_GIT.has(name)) ensureDir(p);
        if (fs.existsSync(p)) readOnly.add(p);
      }
    }
  }
  for (const p of extra) if (p && fs.existsSync(p)) readOnly.add(p);
  out.readOnly = [...readOnly];
  out.pinned = [...new Set(out.pinned)];
  return out;
}

/** The read-only part of protectedMounts (what the file tools' rules mirror). */
export function protectedPaths(roots: readonly string[], extra: readonly (string | undefined)[] = []): string[] {
  return protectedMounts(roots, extra).readOnly;
}

/** The roots not inside another one (the working folder usually lies in a workspace root). */
export function outermost(roots: readonly string[]): string[] {
  const unique = [...new Set(roots)];
  return unique.filter((r) => !unique.some((o) => o !== r && r.startsWith(o.endsWith(path.sep) ? o : o + path.sep)));
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
