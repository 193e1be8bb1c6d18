// Worktrees for `isolation: 'worktree'` agents, with real git in temp folders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createWorktree,
  finishWorktree,
  worktreeGitDir,
  WorktreeError,
} from '../../../src/agent/worktree/gitWorktrees';
import { git, makeRepo } from '../../fakes/gitRepo';

const branches = (repo: string) =>
  git(repo, 'branch', '--list', 'dwf/*', '--format=%(refname:short)').split('\n').filter(Boolean);

describe('git worktrees for isolation: worktree', () => {
  let repo: string;
  beforeEach(() => {
    repo = makeRepo();
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('creates <repo>/.claude/worktrees/<runId>-<index> on branch dwf/<runId>-<index> from HEAD, hidden from git status', async () => {
    const wt = await createWorktree(repo, 'wf_abc', 3);
    assert.equal(wt.info.path, path.join(repo, '.claude', 'worktrees', 'wf_abc-3'));
    assert.equal(wt.info.branch, 'dwf/wf_abc-3');
    assert.equal(wt.info.base, 'HEAD');
    assert.equal(wt.info.commit, git(repo, 'rev-parse', 'HEAD'));
    assert.equal(wt.root, wt.info.path);
    assert.equal(fs.readFileSync(path.join(wt.root, 'a.txt'), 'utf8'), 'one\n');
    assert.equal(git(wt.root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'dwf/wf_abc-3');
    assert.match(fs.readFileSync(path.join(repo, '.git', 'info', 'exclude'), 'utf8'), /^\/\.claude\/worktrees\/$/m);
    assert.equal(
      git(repo, 'status', '--porcelain', '--untracked-files=all'),
      '',
      'the main tree shows no untracked worktree',
    );
  });

  it('removes the worktree and its branch when the agent changed nothing', async () => {
    const wt = await createWorktree(repo, 'wf_abc', 1);
    const info = await finishWorktree(wt);
    assert.equal(info.kept, false);
    assert.equal(fs.existsSync(wt.info.path), false);
    assert.deepEqual(branches(repo), []);
    assert.doesNotMatch(git(repo, 'worktree', 'list'), /wf_abc/);
  });

  it('keeps it when the agent left uncommitted changes, a new file, or a commit', async () => {
    const edited = await createWorktree(repo, 'wf_abc', 1);
    fs.writeFileSync(path.join(edited.root, 'a.txt'), 'edited\n');
    const created = await createWorktree(repo, 'wf_abc', 2);
    fs.writeFileSync(path.join(created.root, 'new.txt'), 'new\n');
    const committed = await createWorktree(repo, 'wf_abc', 3);
    fs.writeFileSync(path.join(committed.root, 'a.txt'), 'committed\n');
    git(committed.root, 'commit', '-q', '-am', 'agent work');
    for (const wt of [edited, created, committed]) {
      const info = await finishWorktree(wt);
      assert.equal(info.kept, true, wt.info.branch);
      assert.ok(fs.existsSync(wt.info.path));
    }
    assert.deepEqual(branches(repo).sort(), ['dwf/wf_abc-1', 'dwf/wf_abc-2', 'dwf/wf_abc-3']);
    assert.equal(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8'), 'one\n', 'the main tree is untouched');
  });

  it('starts from the configured base ref and roots a sub-folder workspace at the same sub-folder', async () => {
    const wt = await createWorktree(path.join(repo, 'pkg'), 'wf_abc', 1, 'other');
    assert.equal(wt.info.base, 'other');
    assert.equal(wt.info.commit, git(repo, 'rev-parse', 'other'));
    assert.equal(wt.root, path.join(wt.info.path, 'pkg'));
    assert.equal(fs.readFileSync(path.join(wt.info.path, 'a.txt'), 'utf8'), 'two\n');
  });

  it('a taken name (a retry or a resumed run) gets a suffix instead of failing', async () => {
    const first = await createWorktree(repo, 'wf_abc', 1);
    fs.writeFileSync(path.join(first.root, 'a.txt'), 'kept\n');
    await finishWorktree(first);
    const again = await createWorktree(repo, 'wf_abc', 1);
    assert.equal(again.info.branch, 'dwf/wf_abc-1-2');
    assert.equal(fs.readFileSync(path.join(again.root, 'a.txt'), 'utf8'), 'one\n');
  });

  it('creates many at once without tripping over git locks', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, (_, i) => createWorktree(repo, 'wf_par', i)));
    assert.equal(new Set(all.map((w) => w.info.path)).size, 6);
    const done = await Promise.all(all.map((w) => finishWorktree(w)));
    assert.ok(done.every((d) => !d.kept));
    assert.deepEqual(branches(repo), []);
  });

  it("never follows the worktree's own .git file: an agent that repoints it cannot make the runtime's git obey another config", async () => {
    const wt = await createWorktree(repo, 'wf_abc', 1);
    const evil = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-evil-')));
    const marker = path.join(evil, 'ran');
    try {
      git(evil, 'init', '-q');
      git(evil, 'config', 'core.fsmonitor', `touch ${marker}; false`);
      fs.writeFileSync(path.join(wt.info.path, '.git'), `gitdir: ${path.join(evil, '.git')}\n`);
      assert.equal(
        await worktreeGitDir(wt.info.path),
        wt.gitDir,
        'found from the repository side (what Compare with Base uses)',
      );
      assert.equal(wt.gitDir, path.join(repo, '.git', 'worktrees', 'wf_abc-1'));
      const info = await finishWorktree(wt);
      assert.equal(fs.existsSync(marker), false, 'the planted fsmonitor command never ran');
      assert.equal(info.commit, git(repo, 'rev-parse', 'HEAD'));
    } finally {
      fs.rmSync(evil, { recursive: true, force: true });
    }
  });

  it('says so when the workspace is not a git repository', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-nogit-')));
    try {
      await assert.rejects(createWorktree(plain, 'wf_abc', 1), (e: Error) => {
        assert.ok(e instanceof WorktreeError);
        assert.match(e.message, /needs a git repository, but .* is not inside one/);
        assert.match(e.message, /git init/);
        return true;
      });
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('says so when the base ref is not a commit, and when the repository has no commits', async () => {
    await assert.rejects(
      createWorktree(repo, 'wf_abc', 1, 'no-such-branch'),
      /base ref 'no-such-branch' is not a commit in .*--worktree-base.*worktreeBaseRef/,
    );
    await assert.rejects(
      createWorktree(repo, 'wf_abc', 1, '--output=/tmp/x'),
      /base ref '--output=\/tmp\/x' is not a commit/,
    );
    const empty = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-empty-')));
    try {
      git(empty, 'init', '-q');
      await assert.rejects(createWorktree(empty, 'wf_abc', 1), /has no commits yet/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    assert.deepEqual(branches(repo), []);
  });
});
