// spec §6.1: file names, the repo root, the personal folder and where a project save goes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPersonalDir, findRepoRoot, projectSaveDir, slugify } from '../../../src/core/registry';
import { directoriesFromRoot, personalFolder, projectWorkflowDirs } from '../../../src/core/registry/paths';

describe('registry/paths', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-paths-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('slugifies names into file stems', () => {
    assert.equal(slugify('Deep Research'), 'deep-research');
    assert.equal(slugify('  review--branch!! v2 '), 'review-branch-v2');
    assert.equal(slugify('Ünïcode_name'), 'n-code-name');
    assert.equal(slugify('already-fine'), 'already-fine');
    assert.equal(slugify('---'), 'workflow');
    assert.equal(slugify(''), 'workflow');
    assert.equal(slugify('日本語'), 'workflow');
    assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  });

  it('finds the nearest ancestor with .git (folder or worktree file), else cwd', () => {
    const repo = path.join(tmp, 'repo');
    const deep = path.join(repo, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    assert.equal(findRepoRoot(deep), deep);
    fs.mkdirSync(path.join(repo, '.git'));
    assert.equal(findRepoRoot(deep), repo);
    fs.writeFileSync(path.join(repo, 'a', '.git'), 'gitdir: elsewhere');
    assert.equal(findRepoRoot(deep), path.join(repo, 'a'));
  });

  it('lists directories from the repo root down to cwd', () => {
    const root = path.join(tmp, 'r');
    assert.deepEqual(directoriesFromRoot(path.join(root, 'x', 'y'), root), [
      root,
      path.join(root, 'x'),
      path.join(root, 'x', 'y'),
    ]);
    assert.deepEqual(directoriesFromRoot(root, root), [root]);
    assert.deepEqual(directoriesFromRoot(path.join(tmp, 'elsewhere'), root), [path.join(tmp, 'elsewhere')]);
    assert.deepEqual(projectWorkflowDirs(path.join(root, 'x'), root), [
      path.join(root, '.claude', 'workflows'),
      path.join(root, 'x', '.claude', 'workflows'),
    ]);
  });

  it('saves into the closest existing .claude/workflows, else the repo root one', () => {
    const root = path.join(tmp, 'r');
    const cwd = path.join(root, 'pkg', 'sub');
    fs.mkdirSync(cwd, { recursive: true });
    assert.equal(projectSaveDir(cwd, root), path.join(root, '.claude', 'workflows'));
    fs.mkdirSync(path.join(root, 'pkg', '.claude', 'workflows'), { recursive: true });
    assert.equal(projectSaveDir(cwd, root), path.join(root, 'pkg', '.claude', 'workflows'));
    fs.mkdirSync(path.join(cwd, '.claude', 'workflows'), { recursive: true });
    assert.equal(projectSaveDir(cwd, root), path.join(cwd, '.claude', 'workflows'));
    // A .claude folder without workflows/ does not count.
    fs.rmSync(path.join(cwd, '.claude', 'workflows'), { recursive: true });
    assert.equal(projectSaveDir(cwd, root), path.join(root, 'pkg', '.claude', 'workflows'));
  });

  it('uses the repo root found from cwd by default', () => {
    const root = path.join(tmp, 'r');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'src'));
    assert.equal(projectSaveDir(path.join(root, 'src')), path.join(root, '.claude', 'workflows'));
  });

  it('puts the personal folder under $CLAUDE_CONFIG_DIR when set, else ~/.claude', () => {
    const saved = process.env.CLAUDE_CONFIG_DIR;
    try {
      process.env.CLAUDE_CONFIG_DIR = path.join(tmp, 'cfg');
      assert.equal(defaultPersonalDir(), path.join(tmp, 'cfg', 'workflows'));
      delete process.env.CLAUDE_CONFIG_DIR;
      assert.equal(defaultPersonalDir(), path.join(os.homedir(), '.claude', 'workflows'));
    } finally {
      if (saved === undefined) delete process.env.CLAUDE_CONFIG_DIR;
      else process.env.CLAUDE_CONFIG_DIR = saved;
    }
  });

  it('personalFolder: one rule for dwf and the editor — $CLAUDE_CONFIG_DIR (relative from the working folder), else $HOME/.claude', () => {
    const home = path.join(tmp, 'home');
    assert.deepEqual(personalFolder({ HOME: home }, tmp), {
      configDir: path.join(home, '.claude'),
      home,
      workflowsDir: path.join(home, '.claude', 'workflows'),
    });
    assert.deepEqual(personalFolder({ HOME: home, CLAUDE_CONFIG_DIR: 'cfg' }, tmp), {
      configDir: path.join(tmp, 'cfg'),
      home,
      workflowsDir: path.join(tmp, 'cfg', 'workflows'),
    });
    assert.equal(
      personalFolder({ HOME: home, CLAUDE_CONFIG_DIR: '/abs/cfg' }, tmp).configDir,
      path.resolve('/abs/cfg'),
    );
    assert.equal(personalFolder({}, tmp).home, os.homedir());
  });
});
