// Every file tool sends paths through the PathGuard: `..` and symlinks that lead out of the
// workspace come back to the model as tool errors with the guard's reason, and nothing is touched.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editTool, globTool, grepTool, readTool, writeTool } from '../../../src/agent/tools';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/path guard', () => {
  let base: string;
  let root: string;
  let outside: string;
  let ctx: TestContext;
  beforeEach(() => {
    base = tempDir('dwf-paths-');
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    fs.mkdirSync(root);
    write(outside, 'secret.txt', 'TOP SECRET needle\n');
    fs.symlinkSync(outside, path.join(root, 'escape')); // folder link out
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt')); // file link out
    write(root, 'ok.txt', 'needle inside\n');
    ctx = makeContext(root);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const refused = (r: { content: string; isError?: boolean }, shown: string) => {
    assert.equal(r.isError, true, r.content);
    assert.match(r.content, /is outside the workspace folders/);
    assert.ok(r.content.startsWith(shown), r.content);
  };

  it('Read refuses ../outside, a symlinked folder and a symlinked file leading out', async () => {
    refused(
      await readTool.run({ file_path: '../outside/secret.txt' }, ctx),
      '../outside/secret.txt resolves to ' + path.join(outside, 'secret.txt'),
    );
    refused(
      await readTool.run({ file_path: path.join(root, 'escape/secret.txt') }, ctx),
      path.join(root, 'escape/secret.txt'),
    );
    refused(
      await readTool.run({ file_path: path.join(root, 'secret-link.txt') }, ctx),
      path.join(root, 'secret-link.txt'),
    );
    assert.deepEqual(ctx.workspace.reads, []);
  });

  it('Write and Edit refuse and leave the outside files alone', async () => {
    refused(await writeTool.run({ file_path: '../outside/new.txt', content: 'x' }, ctx), '../outside/new.txt');
    refused(
      await writeTool.run({ file_path: path.join(root, 'escape/new.txt'), content: 'x' }, ctx),
      path.join(root, 'escape/new.txt'),
    );
    refused(
      await writeTool.run({ file_path: path.join(root, 'secret-link.txt'), content: 'x' }, ctx),
      path.join(root, 'secret-link.txt'),
    );
    refused(
      await editTool.run({ file_path: path.join(root, 'escape/secret.txt'), old_string: 'TOP', new_string: 'NO' }, ctx),
      path.join(root, 'escape/secret.txt'),
    );
    assert.equal(fs.existsSync(path.join(outside, 'new.txt')), false);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'TOP SECRET needle\n');
    assert.deepEqual(ctx.workspace.writes, []);
  });

  it('Glob and Grep refuse a path outside', async () => {
    refused(await globTool.run({ pattern: '*', path: '../outside' }, ctx), '../outside');
    refused(await grepTool.run({ pattern: 'needle', path: path.join(root, 'escape') }, ctx), path.join(root, 'escape'));
    refused(
      await grepTool.run({ pattern: 'needle', path: path.join(root, 'secret-link.txt') }, ctx),
      path.join(root, 'secret-link.txt'),
    );
  });

  it('Glob and Grep do not reach outside through patterns or links', async () => {
    const g = await globTool.run({ pattern: '../outside/*' }, ctx);
    assert.equal(g.content, 'No files found\n[1 match(es) outside the workspace were left out.]');
    const all = await globTool.run({ pattern: '**/*' }, ctx);
    assert.equal(all.content, path.join(root, 'ok.txt')); // links are not followed
    const found = await grepTool.run({ pattern: 'needle', output_mode: 'content', glob: '../outside/*' }, ctx);
    assert.equal(found.content, 'No matches found');
    const everywhere = await grepTool.run({ pattern: 'needle', output_mode: 'content' }, ctx);
    assert.equal(everywhere.content, `${path.join(root, 'ok.txt')}:1:needle inside`);
  });

  it('a guard that throws becomes a tool error too', async () => {
    ctx.paths = {
      resolve: () => {
        throw new Error('EACCES');
      },
    };
    const r = await readTool.run({ file_path: 'x' }, ctx);
    assert.deepEqual(r, { isError: true, content: 'Cannot resolve x: EACCES' });
  });
});
