// Edit: an exact, unique replacement (or replace_all), with errors the model can act on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editTool } from '../../../src/agent/tools/edit';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/Edit', () => {
  let root: string;
  let ctx: TestContext;
  let file: string;
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
    file = write(root, 'src/a.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\nlog(a);\nlog(a);\nlog(a);\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const disk = () => fs.readFileSync(file, 'utf8');

  it('replaces a unique string and shows the edited region numbered', async () => {
    const r = await editTool.run({ file_path: file, old_string: 'const b = 2;', new_string: 'const b = 20;' }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(disk(), 'const a = 1;\nconst b = 20;\nconst c = 3;\nlog(a);\nlog(a);\nlog(a);\n');
    assert.equal(
      r.content,
      [
        `The file ${file} has been updated (1 occurrence replaced). The edited region:`,
        '     1\tconst a = 1;',
        '     2\tconst b = 20;',
        '     3\tconst c = 3;',
        '     4\tlog(a);',
        '     5\tlog(a);',
        '     6\tlog(a);',
      ].join('\n'),
    );
    assert.deepEqual(ctx.workspace.writes, [file]);
  });

  it('refuses a string that is not unique, unless replace_all', async () => {
    const r = await editTool.run({ file_path: file, old_string: 'log(a);', new_string: 'log(b);' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content:
        'Found 3 matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. To replace only one occurrence, give more context to uniquely identify the instance.\nString: log(a);',
    });
    assert.equal(ctx.workspace.writes.length, 0);
    const all = await editTool.run(
      { file_path: file, old_string: 'log(a);', new_string: 'log(b);', replace_all: true },
      ctx,
    );
    assert.match(all.content, /has been updated \(3 occurrences replaced\)\. The edited region \(first occurrence\):/);
    assert.equal(disk().match(/log\(b\);/g)?.length, 3);
    assert.equal(disk().includes('log(a)'), false);
  });

  it('unique context picks one of several similar lines', async () => {
    await editTool.run(
      { file_path: file, old_string: 'const c = 3;\nlog(a);', new_string: 'const c = 3;\nlog(c);' },
      ctx,
    );
    assert.equal(disk(), 'const a = 1;\nconst b = 2;\nconst c = 3;\nlog(c);\nlog(a);\nlog(a);\n');
  });

  it('reports a string that is not there', async () => {
    const r = await editTool.run({ file_path: file, old_string: 'const d = 4;', new_string: 'x' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: `String to replace not found in ${file}. Check whitespace and indentation, and leave out Read's line-number prefix.\nString: const d = 4;`,
    });
  });

  it('refuses identical old and new strings', async () => {
    const r = await editTool.run({ file_path: file, old_string: 'a', new_string: 'a' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: 'No changes to make: old_string and new_string are exactly the same.',
    });
  });

  it('reports a missing file; an empty old_string creates one', async () => {
    const missing = path.join(root, 'new/b.ts');
    const r = await editTool.run({ file_path: missing, old_string: 'x', new_string: 'y' }, ctx);
    assert.deepEqual(r, {
      isError: true,
      content: `File does not exist: ${missing} (working directory: ${root}). To create a file, use Write.`,
    });
    const created = await editTool.run({ file_path: missing, old_string: '', new_string: 'export {};\n' }, ctx);
    assert.deepEqual(created, { content: `File created successfully at: ${missing}` });
    assert.equal(fs.readFileSync(missing, 'utf8'), 'export {};\n');
    const again = await editTool.run({ file_path: missing, old_string: '', new_string: 'other' }, ctx);
    assert.equal(again.isError, true);
    assert.match(again.content, /the file already exists and is not empty/);
  });

  it('inserts new_string literally ($& and $1 are not expanded)', async () => {
    await editTool.run({ file_path: file, old_string: 'const a = 1;', new_string: "const a = '$&$1$$';" }, ctx);
    assert.ok(disk().startsWith("const a = '$&$1$$';\n"));
    await editTool.run({ file_path: file, old_string: 'log(a);', new_string: '$`', replace_all: true }, ctx);
    assert.ok(disk().endsWith('$`\n$`\n$`\n'));
  });

  it('matches LF text against a CRLF file and keeps its line endings', async () => {
    const crlf = write(root, 'win.txt', 'one\r\ntwo\r\nthree\r\n');
    const r = await editTool.run({ file_path: crlf, old_string: 'one\ntwo', new_string: 'uno\ndos' }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(fs.readFileSync(crlf, 'utf8'), 'uno\r\ndos\r\nthree\r\n');
  });

  it('edits what the editor shows (the Workspace port), not the disk', async () => {
    ctx.workspace.overlay.set(file, 'unsaved = 1;\n');
    await editTool.run({ file_path: file, old_string: 'unsaved = 1;', new_string: 'unsaved = 2;' }, ctx);
    assert.equal(disk(), 'unsaved = 2;\n');
  });

  it('refuses a directory', async () => {
    const r = await editTool.run({ file_path: path.join(root, 'src'), old_string: 'a', new_string: 'b' }, ctx);
    assert.deepEqual(r, { isError: true, content: `${path.join(root, 'src')} is a directory, not a file.` });
  });

  it('requires old_string and new_string', async () => {
    const r = await editTool.run({ file_path: file, old_string: 'a' }, ctx);
    assert.deepEqual(r, { isError: true, content: 'Invalid input for Edit: `new_string` is required (string)' });
  });
});
