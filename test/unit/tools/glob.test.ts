// Glob: sorted absolute paths relative to `path` or the working directory, noise left out, capped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLOB_MAX_RESULTS, globTool } from '../../../src/agent/tools/glob';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/Glob', () => {
  let root: string;
  let ctx: TestContext;
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
    for (const f of [
      'src/b.ts',
      'src/a.ts',
      'src/deep/c.ts',
      'src/x.js',
      'README.md',
      '.github/ci.ts',
      'node_modules/dep/index.ts',
      '.git/hooks/h.ts',
      'pkg/node_modules/n.ts',
    ])
      write(root, f, '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const abs = (...rel: string[]) => rel.map((r) => path.join(root, r)).join('\n');

  it('returns matching files, sorted, as absolute paths, without node_modules and .git', async () => {
    const r = await globTool.run({ pattern: '**/*.ts' }, ctx);
    assert.deepEqual(r, { content: abs('.github/ci.ts', 'src/a.ts', 'src/b.ts', 'src/deep/c.ts') });
  });

  it('matches relative to path', async () => {
    assert.equal(
      (await globTool.run({ pattern: '*.ts', path: path.join(root, 'src') }, ctx)).content,
      abs('src/a.ts', 'src/b.ts'),
    );
    assert.equal(
      (await globTool.run({ pattern: '**/*.{ts,js}', path: 'src' }, ctx)).content,
      abs('src/a.ts', 'src/b.ts', 'src/deep/c.ts', 'src/x.js'),
    );
  });

  it('matches relative to the working directory', async () => {
    ctx.cwd = path.join(root, 'src');
    assert.equal((await globTool.run({ pattern: 'deep/*' }, ctx)).content, abs('src/deep/c.ts'));
  });

  it('looks into node_modules when the pattern names it', async () => {
    const r = await globTool.run({ pattern: 'node_modules/**/*.ts' }, ctx);
    assert.equal(r.content, abs('node_modules/dep/index.ts'));
  });

  it('says when nothing matched', async () => {
    assert.deepEqual(await globTool.run({ pattern: '**/*.rs' }, ctx), { content: 'No files found' });
  });

  it('refuses a missing directory, a file as path and an empty pattern', async () => {
    assert.deepEqual(await globTool.run({ pattern: '*', path: 'nope' }, ctx), {
      isError: true,
      content: `Directory does not exist: ${path.join(root, 'nope')}`,
    });
    assert.deepEqual(await globTool.run({ pattern: '*', path: 'README.md' }, ctx), {
      isError: true,
      content: `${path.join(root, 'README.md')} is not a directory; Glob's path must be a directory.`,
    });
    assert.deepEqual(await globTool.run({ pattern: ' ' }, ctx), { isError: true, content: 'The pattern is empty.' });
  });

  it(`returns at most ${GLOB_MAX_RESULTS} paths and says the rest were cut`, async () => {
    for (let i = 0; i < 150; i++) write(root, `many/f${String(i).padStart(3, '0')}.txt`, '');
    const r = await globTool.run({ pattern: 'many/*.txt' }, ctx);
    const out = r.content.split('\n');
    assert.equal(out.length, GLOB_MAX_RESULTS + 1);
    assert.equal(out[0], path.join(root, 'many/f000.txt'));
    assert.equal(out[99], path.join(root, 'many/f099.txt'));
    assert.equal(
      out[100],
      '[Results are truncated: showing the first 100 of 150 paths. Use a more specific path or pattern.]',
    );
  });
});
