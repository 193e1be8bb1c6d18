// spec §6.2: sources and precedence, file filters, invalid files, sorting and findWorkflow.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MESSAGES } from '../../../src/core/errors';
import { discoverWorkflows, findWorkflow, type RegistryOptions } from '../../../src/core/registry';

const script = (name: string, description = `${name} description`, extra = '') =>
  `export const meta = { name: '${name}', description: '${description}'${extra} }\nreturn 1\n`;

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('registry/discover', () => {
  let tmp: string;
  let root: string;
  let cwd: string;
  let opts: RegistryOptions;
  const wf = (dir: string) => path.join(dir, '.claude', 'workflows');

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-discover-')));
    root = path.join(tmp, 'repo');
    cwd = path.join(root, 'packages', 'app');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(cwd, { recursive: true });
    opts = { cwd, personalDir: path.join(tmp, 'home', 'workflows'), bundledDir: path.join(tmp, 'bundled') };
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds nothing, without warnings, when no folder exists', async () => {
    assert.deepEqual(await discoverWorkflows(opts), { workflows: [], warnings: [] });
  });

  it('reads every source, keys by meta.name and sorts by name', async () => {
    write(
      path.join(opts.bundledDir!, 'deep-research.js'),
      script(
        'deep-research',
        'Research',
        ", whenToUse: 'a question', phases: [{ title: 'Scope' }, { title: 'Search' }]",
      ),
    );
    write(path.join(opts.personalDir!, 'file-name-differs.js'), script('mine'));
    write(path.join(wf(root), 'b.js'), script('b-review'));
    write(path.join(wf(cwd), 'a.js'), script('a-lint'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      workflows.map((w) => [w.name, w.origin]),
      [
        ['a-lint', 'project'],
        ['b-review', 'project'],
        ['deep-research', 'bundled'],
        ['mine', 'personal'],
      ],
    );
    assert.deepEqual(workflows[2], {
      name: 'deep-research',
      description: 'Research',
      whenToUse: 'a question',
      phases: ['Scope', 'Search'],
      origin: 'bundled',
      path: path.join(opts.bundledDir!, 'deep-research.js'),
    });
    assert.equal(workflows[3].path, path.join(opts.personalDir!, 'file-name-differs.js'));
  });

  it('lets project beat personal beat bundled, and the closest project folder win', async () => {
    write(path.join(opts.bundledDir!, 'x.js'), script('x', 'bundled'));
    write(path.join(opts.personalDir!, 'x.js'), script('x', 'personal'));
    assert.equal((await findWorkflow('x', opts))?.description, 'personal');
    write(path.join(wf(root), 'x.js'), script('x', 'root'));
    assert.equal((await findWorkflow('x', opts))?.description, 'root');
    write(path.join(wf(path.join(root, 'packages')), 'x.js'), script('x', 'middle'));
    assert.equal((await findWorkflow('x', opts))?.description, 'middle');
    write(path.join(wf(cwd), 'other-file.js'), script('x', 'cwd'));
    const found = await findWorkflow('x', opts);
    assert.equal(found?.description, 'cwd');
    assert.equal(found?.origin, 'project');
    assert.equal((await discoverWorkflows(opts)).workflows.length, 1);
  });

  it('ignores project folders above the repo root and below cwd', async () => {
    write(path.join(wf(tmp), 'above.js'), script('above'));
    write(path.join(wf(path.join(cwd, 'deeper')), 'below.js'), script('below'));
    write(path.join(wf(root), 'in.js'), script('in'));
    assert.deepEqual(
      (await discoverWorkflows(opts)).workflows.map((w) => w.name),
      ['in'],
    );
  });

  it('takes the repo root from options when given', async () => {
    write(path.join(wf(path.join(root, 'packages')), 'p.js'), script('p'));
    write(path.join(wf(root), 'r.js'), script('r'));
    const names = (await discoverWorkflows({ ...opts, repoRoot: path.join(root, 'packages') })).workflows.map(
      (w) => w.name,
    );
    assert.deepEqual(names, ['p']);
  });

  it('reads only *.js files (not .mjs, .cjs, .ts or folders)', async () => {
    const dir = wf(root);
    write(path.join(dir, 'ok.js'), script('ok'));
    write(path.join(dir, 'm.mjs'), script('m'));
    write(path.join(dir, 'c.cjs'), script('c'));
    write(path.join(dir, 't.ts'), script('t'));
    write(path.join(dir, 'notes.js.bak'), script('bak'));
    fs.mkdirSync(path.join(dir, 'folder.js'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(
      workflows.map((w) => w.name),
      ['ok'],
    );
    assert.deepEqual(warnings, []);
  });

  it('skips a file with an invalid meta with a warning, and the lower copy still counts', async () => {
    write(path.join(opts.personalDir!, 'x.js'), script('x', 'personal copy'));
    const bad = write(path.join(wf(cwd), 'x.js'), "export const meta = { name: 'x', description: '' }\nreturn 1");
    const broken = write(path.join(wf(root), 'broken.js'), 'const x: number = 1');
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(
      workflows.map((w) => [w.name, w.description]),
      [['x', 'personal copy']],
    );
    assert.deepEqual(warnings, [
      MESSAGES.invalidSavedWorkflow(broken, "Script parse error: Unexpected token ':' (line 1, column 8)"),
      MESSAGES.invalidSavedWorkflow(bad, 'meta.description must be a non-empty string (line 1, column 34)'),
    ]);
    assert.equal(
      warnings[1],
      `Workflow ${bad} has invalid meta: meta.description must be a non-empty string (line 1, column 34) — skipping`,
    );
  });

  it('skips files over 512 KiB with a warning', async () => {
    const big = write(path.join(wf(root), 'big.js'), script('big') + `// ${'x'.repeat(524288)}`);
    write(path.join(wf(root), 'small.js'), script('small'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(
      workflows.map((w) => w.name),
      ['small'],
    );
    assert.deepEqual(warnings, [MESSAGES.savedTooLarge(big, 524288)]);
  });

  it('keeps the first file (by file name) when two files in one folder share a name', async () => {
    const a = write(path.join(wf(root), 'a.js'), script('same', 'from a'));
    const b = write(path.join(wf(root), 'b.js'), script('same', 'from b'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(
      workflows.map((w) => w.description),
      ['from a'],
    );
    assert.deepEqual(warnings, [MESSAGES.duplicateSavedWorkflow('same', a, b)]);
  });

  it('follows a symlinked workflow file that stays in the workspace', async () => {
    const target = write(path.join(root, 'tools', 'real.js'), script('linked'));
    fs.mkdirSync(wf(root), { recursive: true });
    fs.symlinkSync(target, path.join(wf(root), 'linked.js'));
    assert.deepEqual(
      (await discoverWorkflows(opts)).workflows.map((w) => w.name),
      ['linked'],
    );
  });

  it("follows a personal folder's link anywhere (the person made it)", async () => {
    const target = write(path.join(tmp, 'dotfiles', 'real.js'), script('mine'));
    fs.mkdirSync(opts.personalDir!, { recursive: true });
    fs.symlinkSync(target, path.join(opts.personalDir!, 'mine.js'));
    assert.deepEqual(
      (await discoverWorkflows(opts)).workflows.map((w) => w.name),
      ['mine'],
    );
  });

  it("skips, with a warning, a project folder's link out of the workspace (a cloned repo's)", async () => {
    const target = write(path.join(tmp, 'elsewhere', 'real.js'), script('linked'));
    fs.mkdirSync(wf(root), { recursive: true });
    const link = path.join(wf(root), 'linked.js');
    fs.symlinkSync(target, link);
    fs.symlinkSync('/proc/self/environ', path.join(wf(root), 'environ.js'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(workflows, []);
    assert.deepEqual(
      warnings.sort(),
      [MESSAGES.savedOutside(path.join(wf(root), 'environ.js')), MESSAGES.savedOutside(link)].sort(),
    );
  });

  it('skips a FIFO named like a workflow without blocking', async () => {
    fs.mkdirSync(wf(root), { recursive: true });
    execFileSync('mkfifo', [path.join(wf(root), 'pipe.js')]);
    write(path.join(wf(root), 'ok.js'), script('ok'));
    assert.deepEqual(
      (await discoverWorkflows(opts)).workflows.map((w) => w.name),
      ['ok'],
    );
  });

  it('returns undefined from findWorkflow for an unknown name', async () => {
    write(path.join(wf(root), 'a.js'), script('a'));
    assert.equal(await findWorkflow('b', opts), undefined);
    assert.equal((await findWorkflow('a', opts))?.origin, 'project');
  });
});
