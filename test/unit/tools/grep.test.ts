// Grep: ripgrep's modes and options over a real tree; binary and large files skipped; capped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GREP_MAX_FILE_BYTES, grepTool } from '../../../src/agent/tools/grep';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('tools/Grep', () => {
  let root: string;
  let ctx: TestContext;
  let a: string;
  let b: string;
  let md: string;
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
    a = write(
      root,
      'src/a.ts',
      "import x from 'y';\nfunction foo() {\n  return 1;\n}\nfunction bar() {\n  return foo();\n}\n",
    );
    b = write(root, 'src/b.js', 'const Foo = 1;\n');
    md = write(root, 'docs/readme.md', 'foo in docs\n');
    write(root, 'node_modules/dep/i.js', 'foo\n');
    write(root, '.git/config', 'foo\n');
    write(root, 'img.png', Buffer.concat([Buffer.from('foo'), Buffer.from([0, 1, 2])]));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const grep = (input: Record<string, unknown>) => grepTool.run(input, ctx);

  it('lists matching files by default (sorted; node_modules, .git and binary files skipped)', async () => {
    assert.deepEqual(await grep({ pattern: 'foo' }), { content: `Found 2 files\n${md}\n${a}` });
  });

  it('-i matches case-insensitively', async () => {
    assert.equal((await grep({ pattern: 'FOO', '-i': true })).content, `Found 3 files\n${md}\n${a}\n${b}`);
  });

  it('content mode shows file:line:text, -n false drops the numbers', async () => {
    assert.equal(
      (await grep({ pattern: 'function \\w+', output_mode: 'content' })).content,
      `${a}:2:function foo() {\n${a}:5:function bar() {`,
    );
    assert.equal(
      (await grep({ pattern: 'function \\w+', output_mode: 'content', '-n': false })).content,
      `${a}:function foo() {\n${a}:function bar() {`,
    );
  });

  it('context lines: -A, -B, -C with ripgrep separators', async () => {
    assert.equal(
      (await grep({ pattern: 'return 1', output_mode: 'content', '-C': 1 })).content,
      `${a}-2-function foo() {\n${a}:3:  return 1;\n${a}-4-}`,
    );
    assert.equal(
      (await grep({ pattern: '^function', output_mode: 'content', '-A': 1 })).content,
      `${a}:2:function foo() {\n${a}-3-  return 1;\n--\n${a}:5:function bar() {\n${a}-6-  return foo();`,
    );
    assert.equal(
      (await grep({ pattern: 'foo', path: 'src', output_mode: 'content', '-B': 4 })).content,
      `${a}-1-import x from 'y';\n${a}:2:function foo() {\n${a}-3-  return 1;\n${a}-4-}\n${a}-5-function bar() {\n${a}:6:  return foo();`,
    );
  });

  it('count mode gives matching lines per file and a total', async () => {
    assert.equal(
      (await grep({ pattern: 'foo', output_mode: 'count' })).content,
      `${md}:1\n${a}:2\n\nFound 3 matching line(s) across 2 file(s).`,
    );
  });

  it('filters by glob (name at any depth, braces, !exclusions) and by type', async () => {
    assert.equal((await grep({ pattern: 'foo', glob: '*.ts', '-i': true })).content, `Found 1 file\n${a}`);
    assert.equal((await grep({ pattern: 'foo', glob: '*.{ts,js}', '-i': true })).content, `Found 2 files\n${a}\n${b}`);
    assert.equal((await grep({ pattern: 'foo', glob: '!*.md', '-i': true })).content, `Found 2 files\n${a}\n${b}`);
    assert.equal((await grep({ pattern: 'foo', glob: 'docs/*' })).content, `Found 1 file\n${md}`);
    assert.equal((await grep({ pattern: 'foo', type: 'js', '-i': true })).content, `Found 1 file\n${b}`);
    const bad = await grep({ pattern: 'foo', type: 'klingon' });
    assert.equal(bad.isError, true);
    assert.match(bad.content, /^Unknown file type "klingon"\. Known types: js, ts, py/);
  });

  it('searches a single file given as path', async () => {
    assert.equal(
      (await grep({ pattern: 'return', path: a, output_mode: 'content' })).content,
      `${a}:3:  return 1;\n${a}:6:  return foo();`,
    );
  });

  it('multiline lets a match span lines (. matches newlines)', async () => {
    assert.equal(
      (await grep({ pattern: 'foo\\(\\) \\{\\s+return 1', output_mode: 'content' })).content,
      'No matches found',
    );
    const r = await grep({ pattern: 'foo\\(\\) \\{\\s+return 1', output_mode: 'content', multiline: true });
    assert.equal(r.content, `${a}:2:function foo() {\n${a}:3:  return 1;`);
    assert.equal((await grep({ pattern: 'bar.*foo', multiline: true })).content, `Found 1 file\n${a}`);
    assert.equal((await grep({ pattern: 'bar.*foo' })).content, 'No files found');
  });

  it('head_limit and offset page through entries and say more exist', async () => {
    const first = await grep({ pattern: 'o', output_mode: 'content', head_limit: 2 });
    assert.equal(
      first.content,
      `${md}:1:foo in docs\n${a}:1:import x from 'y';\n[Showing 2 entries from offset 0 (head_limit 2); more exist: continue with offset=2.]`,
    );
    const next = await grep({ pattern: 'o', output_mode: 'content', head_limit: 2, offset: 2 });
    assert.equal(
      next.content,
      `${a}:2:function foo() {\n${a}:5:function bar() {\n[Showing 2 entries from offset 2 (head_limit 2); more exist: continue with offset=4.]`,
    );
    const files = await grep({ pattern: 'o', head_limit: 1 });
    assert.match(files.content, /^Found at least 2 files\n.*readme\.md\n\[Showing 1 entries/);
  });

  it('caps output at limits.outputChars and says so', async () => {
    write(root, 'many.txt', Array.from({ length: 500 }, (_, i) => `hit ${i}`).join('\n'));
    ctx.limits.outputChars = 1000;
    const r = await grep({ pattern: 'hit', output_mode: 'content', path: 'many.txt' });
    const out = r.content.split('\n');
    const note = out.pop()!;
    assert.ok(out.join('\n').length <= 1000);
    assert.match(
      note,
      new RegExp(`^\\[Output cut at 1000 characters\\. Narrow the search .* offset=${out.length}\\.\\]$`),
    );
  });

  // On ripgrep (--max-filesize) the skipped files are no longer counted: the description says the rule.
  it('skips files over the size limit', async () => {
    write(root, 'big.log', 'foo\n' + 'x'.repeat(GREP_MAX_FILE_BYTES));
    assert.equal((await grep({ pattern: 'foo' })).content, `Found 2 files\n${md}\n${a}`);
  });

  it('cuts very long matching lines', async () => {
    const min = write(root, 'min.js', 'foo' + 'y'.repeat(1000));
    const r = await grep({ pattern: 'foo', path: min, output_mode: 'content' });
    assert.equal(r.content, `${min}:1:foo${'y'.repeat(497)}… [line cut: 1003 characters]`);
  });

  it('reports an invalid regex and a missing path', async () => {
    const bad = await grep({ pattern: 'foo(' });
    assert.equal(bad.isError, true);
    assert.match(bad.content, /^Invalid regular expression \(ripgrep syntax\): .*unclosed group/); // ripgrep's message now
    assert.deepEqual(await grep({ pattern: 'x', path: 'nope' }), {
      isError: true,
      content: `Path does not exist: ${path.join(root, 'nope')}`,
    });
    assert.deepEqual(await grep({ pattern: 'x', output_mode: 'lines' }), {
      isError: true,
      content: 'Invalid input for Grep: `output_mode` must be one of content, files_with_matches, count, got "lines"',
    });
  });
});
