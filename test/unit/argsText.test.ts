// core/argsText: the one reading of typed `args` for dwf --args and the editor's args boxes.
import assert from 'node:assert/strict';
import { parseArgsText } from '../../src/core/argsText';

describe('core/argsText', () => {
  it('reads JSON as JSON, other text verbatim as a string, blank as no args', () => {
    assert.deepEqual(parseArgsText('[]', 'args'), { ok: true, args: [], given: true });
    assert.deepEqual(parseArgsText('"str"', 'args'), { ok: true, args: 'str', given: true });
    assert.deepEqual(parseArgsText(' {"a": 1} ', 'args'), { ok: true, args: { a: 1 }, given: true });
    assert.deepEqual(parseArgsText('42', 'args'), { ok: true, args: 42, given: true });
    assert.deepEqual(parseArgsText(' src/a.ts ', 'args'), { ok: true, args: ' src/a.ts ', given: true });
    assert.deepEqual(parseArgsText('', 'args'), { ok: true, args: undefined, given: false });
    assert.deepEqual(parseArgsText(' \n\t', 'args'), { ok: true, args: undefined, given: false });
  });

  it('refuses broken JSON that starts like JSON, naming the source, line and column, and the fix', () => {
    const bad = parseArgsText('{bad', '--args');
    assert.deepEqual(bad, {
      ok: false,
      error: `--args is not valid JSON at line 1, column 2: Expected property name or '}'. Text that starts with {, [ or " is read as JSON: fix it, or pass a plain string that does not start with those characters.`,
    });
    // Positions count what was typed: leading blanks and earlier lines included.
    assert.match(
      String((parseArgsText('\n  {"a": 1,}', 'args') as { error: string }).error),
      /^args is not valid JSON at line 2, column 11: /,
    );
    assert.match(
      String((parseArgsText('[1,', 'args') as { error: string }).error),
      /^args is not valid JSON at line 1, column 4: Unexpected end of input\./,
    );
    assert.match(
      String((parseArgsText('"open', 'args') as { error: string }).error),
      /^args is not valid JSON at line 1, column 6: Unterminated string\./,
    );
  });

  it('never copies the typed text into the error (it may be long or hold a secret)', () => {
    const r = parseArgsText('["sk-secret-value", oops]', 'args');
    assert.equal(r.ok, false);
    assert.ok(!(r as { error: string }).error.includes('sk-secret'), (r as { error: string }).error);
  });
});
