// The one offset → line/column helper: call sites, the estimate, errors and JSON args all use it.
import assert from 'node:assert/strict';
import { LineIndex, positionAt } from '../../../src/core/script/positions';

describe('script/positions', () => {
  const src = 'ab\ncde\n\nf';

  it('locates every offset of a text, line starts and ends included', () => {
    const index = new LineIndex(src);
    const seen = [...src].map((_, i) => index.positionAt(i));
    assert.deepEqual(seen, [
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 1, column: 3 },
      { line: 2, column: 1 },
      { line: 2, column: 2 },
      { line: 2, column: 3 },
      { line: 2, column: 4 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
    ]);
  });

  it('clamps offsets outside the text to its ends', () => {
    assert.deepEqual(positionAt(src, -5), { line: 1, column: 1 });
    assert.deepEqual(positionAt(src, 999), { line: 4, column: 2 });
    assert.deepEqual(positionAt('', 0), { line: 1, column: 1 });
  });

  it('agrees with a line-by-line count on a long text', () => {
    const text = Array.from({ length: 500 }, (_, i) => 'x'.repeat(i % 7)).join('\n');
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset += 13) {
      const before = text.slice(0, offset).split('\n');
      assert.deepEqual(
        index.positionAt(offset),
        { line: before.length, column: before[before.length - 1].length + 1 },
        `offset ${offset}`,
      );
    }
  });
});
