// Where saved workflows live (spec §6.1–6.2): repo root, personal folder, the project folders
// between the repo root and cwd, and the file name a workflow is saved under.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';

export const WORKFLOWS_SUBDIR = join('.claude', 'workflows');

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Nearest ancestor of `cwd` (itself included) holding `.git` (a folder, or a file in worktrees); else cwd. */
export function findRepoRoot(cwd: string): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * The personal folder, one rule for dwf and the editor: `$CLAUDE_CONFIG_DIR` (a relative one
 * from `base`, the working directory), else `$HOME/.claude`. It holds the user's settings.json
 * (permission rules, sandbox, enabled plugins), agents/, CLAUDE.md, plugins/ and workflows/;
 * `home` is what `~` means in rules and paths.
 */
export function personalFolder(
  env: Readonly<Record<string, string | undefined>>,
  base: string,
): { configDir: string; home: string; workflowsDir: string } {
  const home = env.HOME || homedir();
  const configDir = env.CLAUDE_CONFIG_DIR ? resolve(base, env.CLAUDE_CONFIG_DIR) : join(home, '.claude');
  return { configDir, home, workflowsDir: join(configDir, 'workflows') };
}

/** `$CLAUDE_CONFIG_DIR`, else `~/.claude` (personalFolder of this process). */
export function defaultConfigDir(): string {
  return personalFolder(process.env, process.cwd()).configDir;
}

/** `$CLAUDE_CONFIG_DIR/workflows`, else `~/.claude/workflows` (personalFolder of this process). */
export function defaultPersonalDir(): string {
  return personalFolder(process.env, process.cwd()).workflowsDir;
}

/**
 * The directories from `repoRoot` down to `cwd`, root first. When cwd is not inside the repo
 * root (a caller passed an unrelated root) only cwd itself is used.
 */
export function directoriesFromRoot(cwd: string, repoRoot: string): string[] {
  const from = resolve(repoRoot);
  const to = resolve(cwd);
  const rel = relative(from, to);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return [to];
  const dirs = [from];
  let dir = from;
  for (const part of rel.split(sep).filter(Boolean)) {
    dir = join(dir, part);
    dirs.push(dir);
  }
  return dirs;
}

/** `.claude/workflows` of every directory from the repo root down to cwd (lowest precedence first). */
export function projectWorkflowDirs(cwd: string, repoRoot = findRepoRoot(cwd)): string[] {
  return directoriesFromRoot(cwd, repoRoot).map((d) => join(d, WORKFLOWS_SUBDIR));
}

/** The closest existing `.claude/workflows` between cwd and the repo root, else `<repoRoot>/.claude/workflows`. */
export function projectSaveDir(cwd: string, repoRoot = findRepoRoot(cwd)): string {
  const dirs = projectWorkflowDirs(cwd, repoRoot);
  for (let i = dirs.length - 1; i >= 0; i--) if (isDirectory(dirs[i])) return dirs[i];
  return join(resolve(repoRoot), WORKFLOWS_SUBDIR);
}

/** File-name stem for a workflow name: lower-case, runs of other characters → '-', never empty. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'workflow';
}

/** The workspace a registry looks from: cwd, the repo root and any extra workspace folders. */
export function workspaceRootsOf(options: { cwd: string; repoRoot?: string; workspaceRoots?: string[] }): string[] {
  return [options.cwd, options.repoRoot ?? findRepoRoot(options.cwd), ...(options.workspaceRoots ?? [])].map((r) =>
    resolve(r),
  );
}
