// The worker's fresh worktree for one remote agent, at the run's base commit. Its state after each
// tool call is recorded with that step (as a patch against the base), so a worker that takes the
// agent over rebuilds the same tree before its first live step.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function git(cwd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args[0]}: ${(stderr || err.message).trim()}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export class AgentTree {
  /** The recorded state (patch against the base) the tree must show before the next live step. */
  private wanted = '';
  private synced = true;

  private constructor(
    private readonly repo: string,
    readonly root: string,
    private readonly base: string,
  ) {}

  /** A detached worktree of `repo` at `commit`, in a temporary folder of this machine. */
  static async create(repo: string, commit: string): Promise<AgentTree> {
    try {
      await git(repo, ['cat-file', '-e', `${commit}^{commit}`]);
    } catch {
      throw new Error(
        `commit ${commit.slice(0, 12)} is not in this worker's repository (${repo}): push it, or fetch it here, and the agent runs.`,
      );
    }
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-remote-')));
    await git(repo, ['worktree', 'add', '--detach', root, commit]);
    return new AgentTree(repo, root, commit);
  }

  /** A step's recorded tree came back (replayed or live): the tree must match it from now on. */
  recorded(patch: string): void {
    if (patch === this.wanted) return;
    this.wanted = patch;
    this.synced = false;
  }

  /** Before a live step: re-applies the recorded state if this process has not got it yet. */
  async sync(): Promise<void> {
    if (this.synced) return;
    await git(this.root, ['reset', '--hard', '-q', this.base]);
    await git(this.root, ['clean', '-fdq']);
    if (this.wanted) await git(this.root, ['apply', '--index', '--binary', '-'], this.wanted);
    this.synced = true;
  }

  /** The tree's changes against the base, new files included (what the conductor applies). */
  async diff(): Promise<string> {
    await git(this.root, ['add', '-A']);
    const patch = await git(this.root, ['diff', '--cached', '--binary', this.base]);
    this.wanted = patch;
    this.synced = true;
    return patch;
  }

  async remove(): Promise<void> {
    await git(this.repo, ['worktree', 'remove', '--force', this.root]).catch(() => undefined);
    fs.rmSync(this.root, { recursive: true, force: true });
    await git(this.repo, ['worktree', 'prune']).catch(() => undefined);
  }
}
