// Protected paths: files whose content decides what runs or what is allowed later, so an agent
// that may edit the project must still not edit these without the person (security-model.md,
// "agents cannot widen their own powers"). Claude Code keeps .git, .claude, .vscode and .idea
// behind a prompt even in bypassPermissions mode; we add other tools' configuration that runs
// code. The runs folder (<root>/.claude/workflow-runs) is never writable by an agent: it holds
// the journal a resumed run trusts.
//
// Compared on the real path (symlinks resolved by the caller), component by component below the
// workspace folder that holds it, case-insensitively on every platform and with the spellings
// Windows and macOS treat as the same name (`.GIT`, `.git.`, `.git::$DATA`, `git~1`, `.g\u200cit`),
// so no variant of a name slips through on a file system that folds it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type WriteProtection = { level: 'never' | 'ask'; reason: string };

/** Folders (at any depth) whose files configure a tool that runs code or grants permissions. */
const PROTECTED_DIRS: Record<string, string> = {
  '.git':
    'git configuration and hooks run code on the next git command (core.fsmonitor, hooks, diff.external, filters)',
  '.claude': "Claude Code's settings, agents, commands and hooks decide what later runs may do",
  '.vscode': "the editor's workspace settings and tasks can run code and change this extension's permissions",
  '.idea': 'JetBrains run configurations and settings run code',
  '.devcontainer': 'the dev container definition runs commands when the folder is reopened',
  '.husky': 'git hooks installed by husky run on the next commit',
};

/** File names (at any depth) read by tools that run code or fetch from them. */
const PROTECTED_FILES: Record<string, string> = {
  '.gitmodules': 'submodule URLs and paths are fetched and checked out by git',
  '.envrc': 'direnv runs it when a shell enters the folder',
  '.npmrc': 'npm configuration can run code (script-shell, node-options) and redirect registries',
  '.yarnrc': 'yarn configuration can redirect what yarn runs',
  '.yarnrc.yml': 'yarnPath makes every yarn command run the named file',
  '.pnpmfile.cjs': 'pnpm runs its hooks on install',
  'bunfig.toml': 'bun preloads the scripts it names',
  '.mcp.json': 'Claude Code starts the MCP servers it declares',
  '.pre-commit-config.yaml': 'pre-commit runs the hooks it declares on the next commit',
  // A folder with HEAD, config, objects/ and refs/ is a bare repository git discovers on its own;
  // its config then runs code like .git/config does.
  head: 'a HEAD file makes its folder a git repository whose config git obeys',
};

/** `*.code-workspace` files hold the same settings as .vscode/settings.json. */
const PROTECTED_SUFFIXES: Record<string, string> = {
  '.code-workspace': 'a VS Code workspace file holds editor settings and tasks that run code',
};

export const RUNS_FOLDER = path.join('.claude', 'workflow-runs');

/**
 * How a write to `realPath` is protected, if at all. `runsDirs` are runs folders kept outside a
 * workspace folder (the CLI's --runs-dir), never writable either.
 */
export function writeProtection(
  realPath: string,
  roots: readonly string[],
  runsDirs: readonly string[] = [],
): WriteProtection | undefined {
  const target = comparable(realPath);
  const runs = [...roots.map((r) => path.join(r, RUNS_FOLDER)), ...runsDirs].flatMap(withRealPath);
  if (runs.some((dir) => below(target, comparable(dir)) !== undefined)) {
    return {
      level: 'never',
      reason: `${realPath} is in the workflow runs folder, which holds run journals and transcripts; agents may never write there`,
    };
  }
  for (const root of roots.flatMap(withRealPath)) {
    const rel = below(target, comparable(root));
    if (rel === undefined || rel === '') continue;
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const name = canonicalName(parts[i]);
      // A protected folder name also protects a file of that name (`.git` as a gitdir pointer).
      const reason = PROTECTED_DIRS[name] ?? (i === parts.length - 1 ? fileReason(name) : undefined);
      if (reason)
        return {
          level: 'ask',
          reason: `${realPath} is a protected path (${parts.slice(0, i + 1).join('/')}: ${reason})`,
        };
    }
    // A protected name at the root that is a symbolic link protects its target as well.
    const alias = aliasReason(root, target);
    if (alias) return { level: 'ask', reason: `${realPath} is a protected path (${alias})` };
  }
  const links = hardLinks(realPath);
  if (links > 1) {
    return {
      level: 'ask',
      reason: `${realPath} has ${links} names (hard links); one of them may be a protected file such as .git/config, so writing it needs approval`,
    };
  }
  return undefined;
}

/**
 * For the Bash redirection check (check.ts): why writing `realPath` needs approval or is never
 * allowed, or undefined when it is an ordinary path.
 */
export function protectedWriteReason(
  realPath: string,
  roots: readonly string[],
  runsDirs: readonly string[] = [],
): string | undefined {
  return writeProtection(realPath, roots, runsDirs)?.reason;
}

function fileReason(name: string): string | undefined {
  if (PROTECTED_FILES[name]) return PROTECTED_FILES[name];
  for (const [suffix, why] of Object.entries(PROTECTED_SUFFIXES)) if (name.endsWith(suffix)) return why;
  return undefined;
}

/** `<root>/<protected name>` symlinked elsewhere in the workspace: its target is as protected. */
function aliasReason(root: string, target: string): string | undefined {
  for (const name of [...Object.keys(PROTECTED_DIRS), ...Object.keys(PROTECTED_FILES).filter((n) => n !== 'head')]) {
    const at = path.join(root, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(at);
    } catch {
      continue;
    }
    if (!stat.isSymbolicLink()) continue;
    const real = withRealPath(at).at(-1);
    if (real && below(target, comparable(real)) !== undefined)
      return `${name} is a symbolic link to ${real}: ${PROTECTED_DIRS[name] ?? PROTECTED_FILES[name]}`;
  }
  return undefined;
}

function hardLinks(p: string): number {
  try {
    const s = fs.lstatSync(p);
    return s.isFile() ? s.nlink : 1;
  } catch {
    return 1;
  }
}

/** The name as a case-folding, trailing-dot-stripping, ignorable-character-skipping file system sees it. */
export function canonicalName(component: string): string {
  let name = component
    .normalize('NFC')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, '') // HFS+ ignores these
    .split(':')[0] // NTFS alternate data streams: `.git::$INDEX_ALLOCATION` is `.git`
    .replace(/[. ]+$/, '') // Windows drops trailing dots and spaces
    .toLowerCase();
  if (/^git~\d+$/.test(name)) name = '.git'; // the 8.3 short name of .git
  return name || component.toLowerCase();
}

/** Forward slashes, lower case: protection errs towards matching on every platform. */
function comparable(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
}

function below(p: string, dir: string): string | undefined {
  if (p === dir) return '';
  return p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : undefined;
}

/** The path and, when different, its real path (a symlinked .claude folder or workspace). */
function withRealPath(p: string): string[] {
  try {
    const real = fs.realpathSync(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}

/**
 * One-shot approvals from the gate to the Workspace backstop: the gate grants a protected path
 * after the person (or an explicit rule) allowed it; the Workspace refuses a protected write it
 * finds no grant for, so a tool that forgot the gate cannot write there.
 */
export class ApprovedWrites {
  private readonly granted = new Map<string, number>();
  constructor(private readonly ttlMs = 60_000) {}

  grant(realPath: string): void {
    this.granted.set(comparable(realPath), Date.now() + this.ttlMs);
  }

  /** Takes the grant for `realPath`; false when there is none or it expired. */
  consume(realPath: string): boolean {
    const key = comparable(realPath);
    const until = this.granted.get(key);
    this.granted.delete(key);
    return until !== undefined && until >= Date.now();
  }
}

/** The Workspace backstop: throws unless `realPath` is an ordinary path or the gate granted it. */
export function assertAgentMayWrite(
  realPath: string,
  roots: readonly string[],
  approved: ApprovedWrites | undefined,
  runsDirs: readonly string[] = [],
): void {
  const protection = writeProtection(realPath, roots, runsDirs);
  if (!protection) return;
  if (protection.level === 'ask' && approved?.consume(realPath)) return;
  throw new Error(
    `${protection.reason}. The write was refused${protection.level === 'ask' ? ' because it was not approved' : ''}.`,
  );
}
