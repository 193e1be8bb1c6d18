// Untrusted text in the pre-run dialog: invisible characters shown, size bounded (issue 7 item 17).
import assert from 'node:assert/strict';
import { block, clip, oneLine, visible } from '../../../src/vscode/ui/boundedText';
import { escapeChar } from '../../../src/core/display';

describe('vscode/boundedText', () => {
  it('shows bidi controls, zero-width characters, C0/C1 controls, separators and the BOM as escapes', () => {
    const hidden = [
      '\u202e',
      '\u2066',
      '\u200b',
      '\u200d',
      '\u200f',
      '\u2028',
      '\u2029',
      '\ufeff',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u00ad',
      '\r',
    ];
    for (const c of hidden) {
      const shown = visible(`a${c}b`);
      assert.equal(shown, `a${escapeChar(c)}b`, `U+${c.codePointAt(0)!.toString(16)}`);
      assert.ok(!shown.includes(c), 'the character itself is not shown');
    }
    assert.equal(visible('plain text, ünïcödé and 日本語 stay'), 'plain text, ünïcödé and 日本語 stay');
    assert.equal(visible('a\tb'), 'a b');
  });

  it('oneLine: line breaks become ⏎, the length is capped by code points with …', () => {
    assert.equal(oneLine('Estimate: 1\nBudget: 2', 100), 'Estimate: 1 ⏎ Budget: 2');
    assert.equal(oneLine('a\r\nb', 100), 'a ⏎ b');
    assert.equal(oneLine('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
    assert.equal(clip('😀😀😀', 2), '😀…', 'never half a surrogate pair');
  });

  it('block: at most N lines of M characters, indented, with the rest counted', () => {
    const text = ['one', 'two', 'x'.repeat(50), 'four', 'five', ''].join('\n');
    assert.deepEqual(block(text, { maxLines: 3, maxChars: 10, indent: '  ' }), [
      '  one',
      '  two',
      `  ${'x'.repeat(9)}…`,
      '  … 2 more lines (View Script shows all)',
    ]);
    assert.deepEqual(block('only', { maxLines: 3, maxChars: 10, indent: '> ' }), ['> only']);
  });
});
