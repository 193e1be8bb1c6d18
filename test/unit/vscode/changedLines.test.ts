// The lines an agent changed, as the editor highlights mark them.
import assert from 'node:assert/strict';
import { changedLines } from '../../../src/vscode/changes/changedLines';

describe('changedLines', () => {
  it('marks the changed line between common lines', () => {
    assert.deepEqual(changedLines('a\nb\nc\n', 'a\nB\nc\n'), [{ start: 1, end: 1 }]);
  });

  it('marks inserted lines, also with \\r\\n endings', () => {
    assert.deepEqual(changedLines('a\r\nb\r\nc\r\n', 'a\r\nb\r\nx\r\ny\r\nc\r\n'), [{ start: 2, end: 3 }]);
  });

  it('marks every line of a new file, not the empty line after the final newline', () => {
    assert.deepEqual(changedLines(undefined, '# one\ntwo\n'), [{ start: 0, end: 1 }]);
    assert.deepEqual(changedLines(undefined, ''), []);
  });

  it('marks nothing when equal or when lines were only deleted', () => {
    assert.deepEqual(changedLines('same\n', 'same\n'), []);
    assert.deepEqual(changedLines('a\nb\nc\n', 'a\nc\n'), []);
  });

  it('marks each changed run of lines, not the unchanged lines between them', () => {
    assert.deepEqual(changedLines('1\n2\n3\n4\n5\n', '1\nX\n3\nY\n5\n'), [
      { start: 1, end: 1 },
      { start: 3, end: 3 },
    ]);
    // An insertion and a replacement far apart, with a deletion between: two spans in the new text.
    const before = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const after = [
      ...before.slice(0, 2),
      'new',
      ...before.slice(2, 150),
      ...before.slice(151, 298),
      'changed',
      ...before.slice(299),
    ];
    assert.deepEqual(changedLines(before.join('\n'), after.join('\n')), [
      { start: 2, end: 2 },
      { start: 298, end: 298 },
    ]);
  });

  it('a diff too big for the main thread marks the first to the last changed line', () => {
    const before = Array.from({ length: 6_000 }, (_, i) => `line ${i}`);
    const after = before.map((l, i) => (i % 2 === 0 ? `${l} changed` : l));
    assert.deepEqual(changedLines(before.join('\n'), after.join('\n')), [{ start: 0, end: 5_998 }]);
  });
});
