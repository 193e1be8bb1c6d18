// Write: creates or replaces files through the Workspace port, never outside the workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTool } from '../../../src/agent/tools/write';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/Write', () => {
  let root: string;
  let outside: string;
  let ctx: TestContext;
  beforeEach(() => {
    root = tempDir();
    outside = tempDir('dwf-outside-');
    ctx = makeContext(root);
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('creates a file (and its folders) through the Workspace port', async () => {
    const file = path.join(root, 'deep/er/new.txt');
    const r = await writeTool.run({ file_path: file, content: 'hello\n' }, ctx);
    assert.deepEqual(r, { content: `File created successfully at: ${file}` });
    assert.equal(fs.readFileSync(file, 'utf8'), 'hello\n');
    assert.deepEqual(ctx.workspace.writes, [file]);
  });

  it('replaces an existing file', async () => {
    const file = write(root, 'a.txt', 'old');
    const r = await writeTool.run({ file_path: file, content: '' }, ctx);
    assert.deepEqual(r, { content: `The file ${file} has been overwritten.` });
    assert.equal(fs.readFileSync(file, 'utf8'), '');
  });

  it('refuses a directory', async () => {
    fs.mkdirSync(path.join(root, 'dir'));
    const r = await writeTool.run({ file_path: path.join(root, 'dir'), content: 'x' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: `${path.join(root, 'dir')} is a directory; Write needs a file path.`,
    });
  });

  it('requires content', async () => {
    const r = await writeTool.run({ file_path: path.join(root, 'a.txt') }, ctx);
    assert.deepEqual(r, { isError: true, content: 'Invalid input for Write: `content` is required (string)' });
  });
});
