// Read: `cat -n` output, paging, caps that say where they cut, and the refusals a model can act on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTool } from '../../../src/agent/tools/read';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/Read', () => {
  let root: string;
  let ctx: TestContext;
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

  it('numbers lines like cat -n', async () => {
    const file = write(root, 'a.txt', 'alpha\n\tbeta\ngamma');
    const r = await readTool.run({ file_path: file }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(r.content, '     1\talpha\n     2\t\tbeta\n     3\tgamma');
  });

  it('pages with offset (1-based) and limit, and says where to continue', async () => {
    const file = write(root, 'a.txt', lines(5));
    const r = await readTool.run({ file_path: file, offset: 2, limit: 2 }, ctx);
    assert.equal(r.content, '     2\tline 2\n     3\tline 3\n[Showed lines 2–3 of 5. Continue with offset=4.]');
    const tail = await readTool.run({ file_path: file, offset: 4 }, ctx);
    assert.equal(tail.content, '     4\tline 4\n     5\tline 5\n[Showed lines 4–5 of 5.]');
  });

  it('reads 2000 lines by default and says there is more', async () => {
    ctx.limits.outputChars = 100_000;
    const file = write(root, 'big.txt', lines(2500));
    const r = await readTool.run({ file_path: file }, ctx);
    const out = r.content.split('\n');
    assert.equal(out[1999], '  2000\tline 2000');
    assert.equal(out[2000], '[Showed lines 1–2000 of 2500. Continue with offset=2001.]');
    assert.equal(out.length, 2001);
  });

  it('caps output at limits.outputChars with whole lines and says so', async () => {
    ctx.limits.outputChars = 200;
    const file = write(root, 'big.txt', lines(100));
    const r = await readTool.run({ file_path: file }, ctx);
    const out = r.content.split('\n');
    const note = out.pop()!;
    assert.ok(out.join('\n').length <= 200);
    assert.equal(out.length, 13); // 15 characters per numbered line
    assert.equal(note, '[Output cut at 200 characters: showed lines 1–13 of 100. Continue with offset=14.]');
  });

  it('cuts over-long lines and says so', async () => {
    const file = write(root, 'min.js', 'x'.repeat(3000) + '\nshort\n');
    const r = await readTool.run({ file_path: file }, ctx);
    assert.match(r.content, /^ {5}1\tx{2000}… \[line cut: 3000 characters\]\n {5}2\tshort\n/);
    assert.match(r.content, /\[1 line\(s\) longer than 2000 characters were cut\.\]$/);
  });

  it('refuses a directory with a message pointing at Glob', async () => {
    fs.mkdirSync(path.join(root, 'src'));
    const r = await readTool.run({ file_path: path.join(root, 'src') }, ctx);
    assert.equal(r.isError, true);
    assert.equal(
      r.content,
      `${path.join(root, 'src')} is a directory, not a file. Use Glob (or \`ls\` through Bash) to list what is in it.`,
    );
  });

  it('reports a missing file with the working directory', async () => {
    const r = await readTool.run({ file_path: path.join(root, 'nope.txt') }, ctx);
    assert.equal(r.isError, true);
    assert.equal(r.content, `File does not exist: ${path.join(root, 'nope.txt')} (working directory: ${root}).`);
  });

  it('refuses binary files', async () => {
    const file = write(root, 'img.bin', Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
    const r = await readTool.run({ file_path: file }, ctx);
    assert.equal(r.isError, true);
    assert.match(r.content, /looks like a binary file \(it contains NUL bytes\)/);
  });

  it('says when a file is empty or the offset is past the end', async () => {
    const empty = write(root, 'empty.txt', '');
    assert.deepEqual(await readTool.run({ file_path: empty }, ctx), {
      content: `(The file ${empty} exists but is empty.)`,
    });
    const file = write(root, 'a.txt', lines(3));
    assert.deepEqual(await readTool.run({ file_path: file, offset: 10 }, ctx), {
      content: `(The file ${file} has 3 lines; offset 10 is past its end.)`,
    });
  });

  it('takes relative paths from the working directory and shows CRLF lines without \\r', async () => {
    write(root, 'sub/w.txt', 'one\r\ntwo\r\n');
    const r = await readTool.run({ file_path: 'sub/w.txt' }, ctx);
    assert.equal(r.content, '     1\tone\n     2\ttwo');
  });

  it('reads through the Workspace port (what the editor shows, not the disk)', async () => {
    const file = write(root, 'open.ts', 'on disk\n');
    ctx.workspace.overlay.set(file, 'unsaved editor text\n');
    const r = await readTool.run({ file_path: file }, ctx);
    assert.equal(r.content, '     1\tunsaved editor text');
    assert.deepEqual(ctx.workspace.reads, [file]);
  });

  it('turns a failure in the host into a tool error instead of throwing', async () => {
    const file = write(root, 'a.txt', 'x\n');
    ctx.workspace.readFile = async () => {
      throw new Error('EACCES: permission denied');
    };
    assert.deepEqual(await readTool.run({ file_path: file }, ctx), {
      isError: true,
      content: 'Read failed: EACCES: permission denied',
    });
  });

  it('checks its input and tells the model what is wrong', async () => {
    assert.deepEqual(await readTool.run({}, ctx), {
      isError: true,
      content: 'Invalid input for Read: `file_path` is required (string)',
    });
    assert.deepEqual(await readTool.run({ file_path: 7 }, ctx), {
      isError: true,
      content: 'Invalid input for Read: `file_path` must be a string, got 7',
    });
    assert.deepEqual(await readTool.run({ file_path: 'a', limit: 0 }, ctx), {
      isError: true,
      content: 'Invalid input for Read: `limit` must be at least 1, got 0',
    });
    assert.deepEqual(await readTool.run({ file_path: 'a', limit: 1.5 }, ctx), {
      isError: true,
      content: 'Invalid input for Read: `limit` must be an integer, got 1.5',
    });
    assert.deepEqual(await readTool.run('x', ctx), {
      isError: true,
      content: 'Invalid input for Read: the input must be a JSON object',
    });
    const file = write(root, 'a.txt', lines(3));
    const r = await readTool.run({ file_path: file, offset: '2', limit: '1' }, ctx); // numbers sent as strings
    assert.equal(r.content, '     2\tline 2\n[Showed lines 2–2 of 3. Continue with offset=3.]');
  });
});
