// The two-line code frame and offset → line/column conversion every ScriptError relies on.
import assert from 'node:assert/strict';
import { codeFrame, errorAt } from '../../../src/core/script/codeFrame';
import { positionAt } from '../../../src/core/script/positions';
import { ScriptError } from '../../../src/core/errors';

describe('script/codeFrame', () => {
  it('converts offsets to 1-based line and column', () => {
    const src = 'ab\ncde\n\nf';
    assert.deepEqual(positionAt(src, 0), { line: 1, column: 1 });
    assert.deepEqual(positionAt(src, 2), { line: 1, column: 3 });
    assert.deepEqual(positionAt(src, 3), { line: 2, column: 1 });
    assert.deepEqual(positionAt(src, 5), { line: 2, column: 3 });
    assert.deepEqual(positionAt(src, 8), { line: 4, column: 1 });
  });

  it('shows a short line whole with a caret under the column', () => {
    assert.equal(codeFrame('a\nconst x: number = 1\nb', 2, 8), 'const x: number = 1\n       ^');
  });

  it('windows a long line to at most 80 columns and keeps the caret on the right character', () => {
    const line = 'x'.repeat(100) + 'TARGET' + 'y'.repeat(100);
    const [shown, caret] = codeFrame(line, 1, 101).split('\n');
    assert.ok(shown.length <= 80, `frame line is ${shown.length} columns`);
    assert.ok(shown.startsWith('…') && shown.endsWith('…'));
    assert.equal(shown.slice(caret.length - 1, caret.length - 1 + 6), 'TARGET');
    assert.match(caret, /^ *\^$/);
  });

  it('cuts only the side that is too long', () => {
    const line = 'a'.repeat(120);
    const [start] = codeFrame(line, 1, 3).split('\n');
    assert.equal(start.length, 80);
    assert.ok(!start.startsWith('…') && start.endsWith('…'));
    const [end, caret] = codeFrame(line, 1, 118).split('\n');
    assert.equal(end.length, 80);
    assert.ok(end.startsWith('…') && !end.endsWith('…'));
    assert.equal(caret.length, 118 - 40);
  });

  it('replaces tabs and invisible characters so the caret lines up and nothing is hidden', () => {
    assert.equal(codeFrame('\tx\u001b[2Jy', 1, 4), ' x\uFFFD[2Jy\n   ^');
    assert.equal(codeFrame('a\u202eb', 1, 2), 'a\uFFFDb\n ^');
  });

  it('builds a ScriptError with file, line, column and frame', () => {
    const e = errorAt('boom', 'one\ntwo three', 'w.js', 8);
    assert.ok(e instanceof ScriptError);
    assert.equal(e.file, 'w.js');
    assert.equal(e.line, 2);
    assert.equal(e.column, 5);
    assert.equal(e.frame, 'two three\n    ^');
    assert.equal(e.format(), 'w.js:2:5: boom\ntwo three\n    ^');
  });
});
