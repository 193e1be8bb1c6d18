// Compiled stack columns back to the author's columns: the await rewrite inserts text before a
// column on the same line, and the wrapper sits on line 1 (transform.ts).
import assert from 'node:assert/strict';
import { parseWorkflowScript } from '../../../src/core/script';
import { sourceColumn } from '../../../src/core/script/transform';
import { parseModule } from '../../../src/core/script/syntax';
import { locateError, sourceStack, withLocation } from '../../../src/core/script/errorLocation';

const META = "export const meta = { name: 'n', description: 'd' }\n";

/** 1-based column of `needle` on `line` of `text`. */
function columnOf(text: string, line: number, needle: string): number {
  const at = text.split('\n')[line - 1].indexOf(needle);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at + 1;
}

function mapped(source: string, line: number, needle: string): { compiled: number; source: number; mapped: number } {
  const parsed = parseWorkflowScript(source, 'wf.js');
  const compiled = columnOf(parsed.compiled, line, needle);
  const program = parseModule({ source: parsed.source, file: 'wf.js' });
  return {
    compiled,
    source: columnOf(parsed.source, line, needle),
    mapped: sourceColumn(parsed.source, program, line, compiled),
  };
}

describe('script/errorLocation: compiled columns to source columns', () => {
  it('takes off the text inserted for awaits earlier on the same line', () => {
    const m = mapped(`${META}const a = await agent('x'); const b = await agent('y'); return a.q.z\n`, 2, 'a.q.z');
    assert.ok(m.compiled > m.source + 40, 'the rewrite shifted the column');
    assert.equal(m.mapped, m.source);
  });

  it('takes off the wrapper on line 1', () => {
    const m = mapped(
      `export const meta = { name: 'n', description: 'd' }; const v = await 1; return v.q.z\n`,
      1,
      'v.q.z',
    );
    assert.equal(m.mapped, m.source);
  });

  it('keeps columns of a line without insertions', () => {
    const m = mapped(`${META}const a = await agent('x')\nreturn a.q.z\n`, 3, 'a.q.z');
    assert.equal(m.compiled, m.source);
    assert.equal(m.mapped, m.source);
  });

  it('a column inside inserted text maps to where the text was inserted (the await)', () => {
    const parsed = parseWorkflowScript(`${META}const a = await agent('x')\n`, 'wf.js');
    const program = parseModule({ source: parsed.source, file: 'wf.js' });
    const inside = columnOf(parsed.compiled, 2, '__wRg$h.r(') + 3;
    assert.equal(sourceColumn(parsed.source, program, 2, inside), columnOf(parsed.source, 2, 'await'));
  });

  it('rewrites the frames of the script in the stack, leaves other files alone, and locates the first one', () => {
    const source = `${META}const a = await agent('x'); return a.q.z\n`;
    const parsed = parseWorkflowScript(source, 'wf.js');
    const compiled = columnOf(parsed.compiled, 2, 'a.q.z');
    const stack = `    at f (prelude.js:9:3)\n    at workflow (wf.js:2:${compiled})\n    at g (other.js:2:${compiled})`;
    const script = { file: 'wf.js', source: parsed.source };
    const mappedStack = sourceStack(stack, script);
    const col = columnOf(source, 2, 'a.q.z');
    assert.equal(
      mappedStack,
      `    at f (prelude.js:9:3)\n    at workflow (wf.js:2:${col})\n    at g (other.js:2:${compiled})`,
    );
    const loc = locateError(mappedStack, script, 'prelude.js');
    assert.deepEqual(
      { file: loc?.file, line: loc?.line, column: loc?.column },
      { file: 'wf.js', line: 2, column: col },
    );
    assert.equal(loc?.frame?.split('\n')[1], `${' '.repeat(col - 1)}^`);
    const e = withLocation({ name: 'TypeError', message: 'm', stack }, script, 'prelude.js');
    assert.equal(e.stack, mappedStack);
    assert.equal(e.location?.column, col);
  });
});
