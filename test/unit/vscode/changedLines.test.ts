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

  it('spans from the first to the last changed line', () => {
    assert.deepEqual(changedLines('1\n2\n3\n4\n5\n', '1\nX\n3\nY\n5\n'), [{ start: 1, end: 3 }]);
  });
});
