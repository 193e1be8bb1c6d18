// `isolation: 'worktree'` (spec §3.1): each such agent works in a fresh git worktree
// `<repo>/.claude/worktrees/<runId>-<index>` on branch `dwf/<runId>-<index>`, made from the base
// ref. When the agent is done the worktree is removed if nothing changed, and kept for review if
// anything did (uncommitted changes or new commits).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorktreeInfo } from '../../core/types';

/** Where worktrees live, relative to the repository's top level (kept out of `git status`). */
export const WORKTREES_FOLDER = path.join('.claude', 'worktrees');
const EXCLUDE_LINE = '/.claude/worktrees/';

/** Thrown with a message that says what is wrong and what to do; the runner turns it into agent()'s error. */
export class WorktreeError extends Error {
  override name = 'WorktreeError';
}

/** A worktree made for one agent, and the folder the agent is rooted at inside it. */
export interface AgentWorktree {
  info: WorktreeInfo;
  /** The worktree's counterpart of the workspace folder (the same sub-folder when the workspace is one). */
  root: string;
  /** The repository's top level, where git commands for this worktree run. */
  repo: string;
  /** The worktree's git dir in the main repository (never read from the worktree's own `.git` file). */
  gitDir: string;
}

/** Git's own locks do not queue: `worktree add/remove` and branch updates on one repository run one at a time. */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

export type GitResult = { ok: true; stdout: string } | { ok: false; stderr: string };

/** Runs git without a terminal prompt; never throws (callers word the error for their step). */
function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) => {
        if (err) resolve({ ok: false, stderr: (stderr || err.message).trim() });
        else resolve({ ok: true, stdout });
      },
    );
  });
}

/**
 * Creates the worktree for agent `index` of run `runId` from `baseRef` (default HEAD), rooted like
 * `workspaceRoot`. A name already taken (a retry, a resumed run) gets a `-2`, `-3`… suffix.
 */
export async function createWorktree(
  workspaceRoot: string,
  runId: string,
  index: number,
  baseRef = 'HEAD',
): Promise<AgentWorktree> {
  // One git call for the three facts (each git start costs tens of ms on a busy machine).
  const where = await git(workspaceRoot, ['rev-parse', '--show-toplevel', '--git-common-dir', '--show-prefix']);
  const [top, commonDir, sub = ''] = where.ok ? where.stdout.split('\n').map((l) => l.trim()) : [];
  if (!top || !commonDir) {
    throw new WorktreeError(
      `agent({isolation: 'worktree'}) needs a git repository, but ${workspaceRoot} is not inside one. Run the workflow in a git repository (git init, then commit), or drop the isolation option.`,
    );
  }
  const repo = fs.realpathSync(top);
  const common = path.resolve(workspaceRoot, commonDir);
  const base = baseRef.trim() || 'HEAD';
  const resolved = base.startsWith('-')
    ? undefined
    : await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`]);
  if (!resolved?.ok) {
    const empty = base === 'HEAD' && !(await git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD'])).ok;
    throw new WorktreeError(
      empty
        ? `agent({isolation: 'worktree'}): the repository ${repo} has no commits yet, so there is nothing to make a worktree from. Commit once, then run again.`
        : `agent({isolation: 'worktree'}): the base ref '${base}' is not a commit in ${repo}. Set the worktree base (dwf --worktree-base, VS Code setting dynamicWorkflows.worktreeBaseRef) to a branch, tag or commit that exists, or leave it empty for HEAD.`,
    );
  }
  const commit = resolved.stdout.trim();
  return serialized(repo, async () => {
    excludeWorktreesFolder(common);
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${runId}-${index}` : `${runId}-${index}-${n}`;
      const wtPath = path.join(repo, WORKTREES_FOLDER, name);
      const branch = `dwf/${name}`;
      // A retry, or a resumed run, finds its first name taken (a kept worktree, or a branch left behind).
      if (fs.existsSync(wtPath) || fs.existsSync(path.join(common, 'refs', 'heads', 'dwf', name))) continue;
      const add = await git(repo, ['worktree', 'add', '--quiet', '-b', branch, wtPath, commit]);
      if (!add.ok) {
        if (/already exists/.test(add.stderr) && n < 100) continue; // a packed branch of that name
        throw new WorktreeError(
          `agent({isolation: 'worktree'}): git could not create the worktree ${wtPath}: ${add.stderr}`,
        );
      }
      const real = fs.realpathSync(wtPath);
      const root = path.resolve(real, sub);
      fs.mkdirSync(root, { recursive: true }); // a workspace folder git does not track is still where the agent works
      return { info: { path: real, branch, base, commit, kept: false }, root, repo, gitDir: gitDirOf(real) };
    }
  });
}

/** Read once, right after git wrote it and before the agent starts: the worktree's `.git` file. */
function gitDirOf(worktree: string): string {
  const text = fs.readFileSync(path.join(worktree, '.git'), 'utf8');
  const m = /^gitdir: (.+)$/m.exec(text);
  if (!m) throw new WorktreeError(`git created ${worktree} without a gitdir line in its .git file`);
  return path.resolve(worktree, m[1].trim());
}

/**
 * After the agent: removes the worktree and its branch when nothing changed, keeps both when
 * anything did. Returns the final record (`kept` set); a failed removal keeps it and says why.
 */
export async function finishWorktree(wt: AgentWorktree, log?: (message: string) => void): Promise<WorktreeInfo> {
  const { info, repo } = wt;
  if (await hasChanges(wt)) return { ...info, kept: true };
  return serialized(repo, async () => {
    const removed = await git(repo, ['worktree', 'remove', '--force', info.path]);
    if (!removed.ok) {
      log?.(`worktree ${info.path} was left in place: git could not remove it (${removed.stderr})`);
      return { ...info, kept: true };
    }
    const deleted = await git(repo, ['branch', '-D', '--end-of-options', info.branch]);
    if (!deleted.ok) log?.(`branch ${info.branch} was left in place: ${deleted.stderr}`);
    return { ...info, kept: false };
  });
}

/** Uncommitted changes (untracked files included, ignored ones not) or commits beyond the base. */
async function hasChanges(wt: AgentWorktree): Promise<boolean> {
  const status = await gitInWorktree(wt.gitDir, wt.info.path, ['status', '--porcelain', '--untracked-files=all']);
  if (!status.ok || status.stdout.trim() !== '') return true; // unreadable: keep rather than lose work
  const head = await gitInWorktree(wt.gitDir, wt.info.path, ['rev-parse', 'HEAD']);
  return !head.ok || head.stdout.trim() !== wt.info.commit;
}

/**
 * The git dir of the worktree at `worktreePath`, found from the main repository's side
 * (`<common>/worktrees/<name>`, whose `gitdir` must point back at it). The worktree's own `.git`
 * file is the agent's to rewrite: followed, it could make git obey another repository's config.
 */
export async function worktreeGitDir(worktreePath: string): Promise<string> {
  const repo = path.resolve(worktreePath, '..', '..', '..');
  const common = await git(repo, ['rev-parse', '--git-common-dir']);
  if (!common.ok)
    throw new WorktreeError(`${worktreePath} is not a worktree of a git repository at ${repo}: ${common.stderr}`);
  const admin = path.join(path.resolve(repo, common.stdout.trim()), 'worktrees');
  const wanted = realOrSelf(worktreePath);
  // Usually named like the worktree; git adds a number when that name was taken.
  const names = [path.basename(worktreePath), ...readdir(admin).filter((n) => n !== path.basename(worktreePath))];
  for (const name of names) {
    let back: string;
    try {
      back = fs.readFileSync(path.join(admin, name, 'gitdir'), 'utf8').trim();
    } catch {
      continue;
    }
    if (realOrSelf(path.dirname(path.resolve(admin, name, back))) === wanted) return path.join(admin, name);
  }
  throw new WorktreeError(
    `${worktreePath} is not registered as a worktree of ${repo} (no gitdir under ${admin} points at it); see git worktree list`,
  );
}

function readdir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** git for one worktree, its git dir given explicitly (see worktreeGitDir). */
export function gitInWorktree(gitDir: string, worktreePath: string, args: string[]): Promise<GitResult> {
  return git(worktreePath, ['--git-dir', gitDir, '--work-tree', worktreePath, ...args]);
}

/** `.claude/worktrees/` goes into `.git/info/exclude`, so worktrees never show as untracked in the main tree. */
function excludeWorktreesFolder(common: string): void {
  const file = path.join(common, 'info', 'exclude');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    /* absent: created below */
  }
  if (text.split(/\r?\n/).some((l) => l.trim() === EXCLUDE_LINE)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}${EXCLUDE_LINE}\n`);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
