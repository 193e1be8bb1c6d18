// spec §6.1: file name, folders, unchanged source, collisions, overwrite and symlink refusals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MESSAGES } from '../../../src/core/errors';
import { discoverWorkflows, SaveError, saveWorkflow } from '../../../src/core/registry';

const SOURCE = "// saved\r\nexport const meta = { name: 'Deep Review', description: 'd' }\r\nreturn await 1\r\n";

async function saveFails(p: Promise<unknown>, code: SaveError['code'], message?: string | RegExp): Promise<SaveError> {
  const e = await p.then(
    () => assert.fail('expected a SaveError'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof SaveError, `expected SaveError, got ${String(e)}`);
  assert.equal(e.code, code);
  assert.equal(e.name, 'SaveError');
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return e;
}

describe('registry/save', () => {
  let tmp: string;
  let root: string;
  let cwd: string;
  let personalDir: string;
  const project = () => path.join(root, '.claude', 'workflows');

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-save-')));
    root = path.join(tmp, 'repo');
    cwd = path.join(root, 'src');
    personalDir = path.join(tmp, 'home', '.claude', 'workflows');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(cwd, { recursive: true });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('saves to <repoRoot>/.claude/workflows/<slug>.js with the source unchanged, creating folders', async () => {
    const { path: saved } = await saveWorkflow({ source: SOURCE, name: 'My Review!', scope: 'project', cwd });
    assert.equal(saved, path.join(project(), 'my-review.js'));
    assert.equal(fs.readFileSync(saved, 'utf8'), SOURCE);
    // Discovery keys on meta.name, not on the file name chosen when saving.
    const { workflows } = await discoverWorkflows({ cwd, personalDir });
    assert.deepEqual(
      workflows.map((w) => [w.name, w.path]),
      [['Deep Review', saved]],
    );
  });

  it('saves into the closest existing project folder', async () => {
    const near = path.join(cwd, '.claude', 'workflows');
    fs.mkdirSync(near, { recursive: true });
    const { path: saved } = await saveWorkflow({ source: SOURCE, name: 'x', scope: 'project', cwd, repoRoot: root });
    assert.equal(saved, path.join(near, 'x.js'));
  });

  it('saves personal workflows to the personal folder', async () => {
    const { path: saved } = await saveWorkflow({ source: SOURCE, name: 'Mine', scope: 'personal', cwd, personalDir });
    assert.equal(saved, path.join(personalDir, 'mine.js'));
    assert.equal(fs.readFileSync(saved, 'utf8'), SOURCE);
  });

  it('refuses a script that does not parse', async () => {
    const e = await saveFails(
      saveWorkflow({ source: 'const x: number = 1', name: 'x', scope: 'project', cwd }),
      'invalid',
      /Script parse error: Unexpected token/,
    );
    assert.ok(e.message.includes(path.join(project(), 'x.js')));
    await saveFails(
      saveWorkflow({ source: 'return 1', name: 'x', scope: 'personal', cwd, personalDir }),
      'invalid',
      new RegExp(MESSAGES.metaFirst.replace(/[`{}()]/g, '.')),
    );
    assert.equal(fs.existsSync(project()), false, 'nothing written');
  });

  it('refuses to replace an existing file unless asked to overwrite', async () => {
    const first = await saveWorkflow({ source: SOURCE, name: 'x', scope: 'project', cwd });
    const changed = SOURCE.replace('await 1', 'await 2');
    await saveFails(
      saveWorkflow({ source: changed, name: 'x', scope: 'project', cwd }),
      'exists',
      `${first.path} already exists`,
    );
    assert.equal(fs.readFileSync(first.path, 'utf8'), SOURCE);
    const again = await saveWorkflow({ source: changed, name: 'x', scope: 'project', cwd, overwrite: true });
    assert.equal(again.path, first.path);
    assert.equal(fs.readFileSync(first.path, 'utf8'), changed);
    assert.deepEqual(fs.readdirSync(project()), ['x.js'], 'no temporary files left behind');
  });

  it('refuses a symlinked .claude folder in project scope', async () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(path.join(outside, 'workflows'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, '.claude'));
    await saveFails(
      saveWorkflow({ source: SOURCE, name: 'x', scope: 'project', cwd }),
      'symlink',
      MESSAGES.saveSymlink(path.join(root, '.claude')),
    );
    assert.deepEqual(fs.readdirSync(path.join(outside, 'workflows')), []);
  });

  it('refuses a symlinked .claude/workflows folder in project scope', async () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.mkdirSync(path.join(root, '.claude'));
    fs.symlinkSync(outside, project());
    await saveFails(
      saveWorkflow({ source: SOURCE, name: 'x', scope: 'project', cwd }),
      'symlink',
      MESSAGES.saveSymlink(project()),
    );
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('refuses a symlinked target in either scope, even with overwrite', async () => {
    const victim = path.join(tmp, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.mkdirSync(project(), { recursive: true });
    fs.symlinkSync(victim, path.join(project(), 'x.js'));
    await saveFails(saveWorkflow({ source: SOURCE, name: 'x', scope: 'project', cwd, overwrite: true }), 'symlink');
    fs.mkdirSync(personalDir, { recursive: true });
    fs.symlinkSync(victim, path.join(personalDir, 'x.js'));
    await saveFails(
      saveWorkflow({ source: SOURCE, name: 'x', scope: 'personal', cwd, personalDir, overwrite: true }),
      'symlink',
      MESSAGES.saveSymlink(path.join(personalDir, 'x.js')),
    );
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
  });

  it('accepts a symlinked personal folder (only its target file is checked)', async () => {
    const real = path.join(tmp, 'dotfiles', 'workflows');
    fs.mkdirSync(real, { recursive: true });
    fs.mkdirSync(path.dirname(personalDir), { recursive: true });
    fs.symlinkSync(real, personalDir);
    const { path: saved } = await saveWorkflow({ source: SOURCE, name: 'x', scope: 'personal', cwd, personalDir });
    assert.equal(fs.readFileSync(path.join(real, 'x.js'), 'utf8'), SOURCE);
    assert.equal(saved, path.join(personalDir, 'x.js'));
  });
});
