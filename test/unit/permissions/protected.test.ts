// Protected paths on real files: the folders and files that run code or grant permissions, at any
// depth and in every spelling a case-folding file system treats as the same; symlinks into them;
// the runs folder that is never writable; and the one-shot grants the Workspace backstop takes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ApprovedWrites,
  assertAgentMayWrite,
  canonicalName,
  protectedWriteReason,
  writeProtection,
} from '../../../src/agent/permissions/protected';
import { resolveInWorkspace } from '../../../src/agent/permissions/paths';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';

describe('permissions/protected', () => {
  let tmp: string;
  let root: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-protected-')));
    root = path.join(tmp, 'ws');
    for (const d of ['.git', 'docs', 'conf', '.claude/workflow-runs/wf_1'])
      fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
    fs.writeFileSync(path.join(root, 'docs', 'readme.md'), 'hi');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const at = (rel: string) => path.join(root, rel);
  const level = (rel: string) => writeProtection(at(rel), [root])?.level;

  const asks = [
    '.git/config',
    '.git/hooks/pre-commit',
    '.git',
    'sub/module/.git/config',
    'sub/.git', // a nested repo or a gitdir pointer file
    '.claude/settings.json',
    '.claude/settings.local.json',
    '.claude/agents/x.md',
    '.claude/commands/go.md',
    '.claude/hooks/h.sh',
    '.vscode/settings.json',
    '.vscode/tasks.json',
    'packages/app/.vscode/launch.json',
    '.idea/workspace.xml',
    '.devcontainer/devcontainer.json',
    '.husky/pre-commit',
    '.gitmodules',
    '.envrc',
    'sub/.envrc',
    '.npmrc',
    'packages/a/.npmrc',
    '.yarnrc.yml',
    '.pnpmfile.cjs',
    'bunfig.toml',
    '.mcp.json',
    '.pre-commit-config.yaml',
    'project.code-workspace',
    'evil/HEAD',
    // Case and spelling variants a case-insensitive or Windows/macOS file system folds onto the same name
    '.GIT/config',
    '.Git/hooks/post-checkout',
    '.VSCode/settings.json',
    '.CLAUDE/settings.json',
    '.git./config',
    '.git /config',
    '.git::$INDEX_ALLOCATION/config',
    'GIT~1/config',
    '.g\u200cit/config',
    '.vscode\ufeff/settings.json',
    'Evil/head',
    '.ENVRC',
  ];
  for (const rel of asks) it(`asks before writing ${JSON.stringify(rel)}`, () => assert.equal(level(rel), 'ask'));

  const ordinary = [
    'src/index.ts',
    'docs/readme.md',
    'gitconfig',
    '.github/workflows/ci.yml',
    'git/config',
    '.gitignore',
    'my.git/x',
    'claude/settings.json',
    'vscode/settings.json',
    'package.json',
    'config',
    'HEADER.md',
  ];
  for (const rel of ordinary)
    it(`lets ${JSON.stringify(rel)} through`, () => assert.equal(writeProtection(at(rel), [root]), undefined));

  it('the runs folder is never writable, in any spelling, nor a runs folder kept elsewhere', () => {
    assert.equal(level('.claude/workflow-runs/wf_1/journal.jsonl'), 'never');
    assert.equal(level('.claude/workflow-runs'), 'never');
    assert.equal(level('.Claude/Workflow-Runs/wf_1/journal.jsonl'), 'never');
    const elsewhere = path.join(tmp, 'runs');
    assert.equal(writeProtection(path.join(elsewhere, 'wf_2', 'journal.jsonl'), [root], [elsewhere])?.level, 'never');
  });

  it('a protected path reached through a symlink or `..` is judged on its real path', () => {
    fs.symlinkSync('../.git/config', at('docs/x'));
    fs.symlinkSync('../.git', at('docs/gitdir'));
    for (const given of [
      'docs/x',
      'docs/gitdir/hooks/pre-push',
      'docs/../.git/config',
      'src/../.git/hooks/post-merge',
    ]) {
      const checked = resolveInWorkspace(given, [root], root);
      assert.ok(checked.ok, given);
      assert.equal(writeProtection(checked.real, [root])?.level, 'ask', given);
    }
  });

  it('a protected name at the root that is a symlink protects its target too', () => {
    const ws = path.join(tmp, 'linked');
    fs.mkdirSync(path.join(ws, 'conf'), { recursive: true });
    fs.symlinkSync('conf', path.join(ws, '.vscode')); // VS Code reads .vscode/settings.json through the link
    assert.match(
      protectedWriteReason(path.join(ws, 'conf', 'settings.json'), [ws]) ?? '',
      /\.vscode is a symbolic link/,
    );
    assert.equal(writeProtection(path.join(ws, 'other', 'settings.json'), [ws]), undefined);
  });

  it('a file with several hard links asks (one name may be protected)', () => {
    fs.linkSync(at('.git/config'), at('docs/innocent.txt'));
    assert.equal(level('docs/innocent.txt'), 'ask');
    assert.match(protectedWriteReason(at('docs/innocent.txt'), [root]) ?? '', /hard links/);
  });

  it('a workspace folder inside a protected-looking path is judged below its root only', () => {
    const nested = path.join(tmp, '.claude', 'project');
    fs.mkdirSync(nested, { recursive: true });
    assert.equal(writeProtection(path.join(nested, 'src', 'a.ts'), [nested]), undefined);
  });

  it('canonicalName folds the spellings file systems treat as one name', () => {
    assert.deepEqual(
      ['.GIT', '.git.', '.git  ', 'git~1', '.g\u200dit', '.git:stream'].map(canonicalName),
      Array(6).fill('.git'),
    );
  });

  describe('the Workspace backstop (FsWorkspace)', () => {
    it('refuses a protected write the gate did not grant, takes a grant once, and never writes the runs folder', async () => {
      const approved = new ApprovedWrites();
      const ws = new FsWorkspace([root], { approvedWrites: approved });
      await assert.rejects(
        ws.writeFile(at('.git/config'), '[core]\n\tfsmonitor = touch /tmp/pwned\n'),
        /protected path.*not approved/,
      );
      assert.equal(fs.readFileSync(at('.git/config'), 'utf8'), '[core]\n');
      approved.grant(at('.git/config'));
      await ws.writeFile(at('.git/config'), '[core]\n\tbare = false\n');
      assert.equal(fs.readFileSync(at('.git/config'), 'utf8'), '[core]\n\tbare = false\n');
      await assert.rejects(ws.writeFile(at('.git/config'), 'again'), /not approved/, 'a grant is used once');
      approved.grant(at('.claude/workflow-runs/wf_1/journal.jsonl'));
      await assert.rejects(ws.writeFile(at('.claude/workflow-runs/wf_1/journal.jsonl'), '{}'), /runs folder/);
      assert.ok(!fs.existsSync(at('.claude/workflow-runs/wf_1/journal.jsonl')));
      await ws.writeFile(at('src/ok.ts'), 'export {};'); // ordinary paths need nothing
    });

    it('follows a symlink to the protected target before deciding', async () => {
      fs.symlinkSync('../.claude/settings.local.json', at('docs/settings-link'));
      fs.writeFileSync(at('.claude/settings.local.json'), '{}');
      const ws = new FsWorkspace([root]);
      await assert.rejects(
        ws.writeFile(at('docs/settings-link'), '{"permissions":{"allow":["Bash"]}}'),
        /protected path/,
      );
      assert.equal(fs.readFileSync(at('.claude/settings.local.json'), 'utf8'), '{}');
    });

    it('a grant expires', () => {
      const approved = new ApprovedWrites(-1);
      approved.grant(at('.envrc'));
      assert.throws(() => assertAgentMayWrite(at('.envrc'), [root], approved), /not approved/);
    });
  });
});
