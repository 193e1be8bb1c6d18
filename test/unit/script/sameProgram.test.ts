// The checker (acorn, module goal) and QuickJS (global script, Annex B) must read the same program:
// HTML-like comments are refused where they sit between tokens, and the compiled text is read
// again in QuickJS's goal so any hidden or revealed code is refused before the sandbox sees it.
import assert from 'node:assert/strict';
import { MESSAGES, ScriptError } from '../../../src/core/errors';
import { parseWorkflowScript } from '../../../src/core/script';
import { checkSameProgram } from '../../../src/core/script/sameProgram';
import { createHarness, type Harness } from '../../fakes/engineHarness';

const META = "export const meta = { name: 'n', description: 'd' }\n";

/** `line` counts from the first line of `body` (the meta line is added above it). */
function refusedAt(body: string, line: number, column: number): ScriptError {
  try {
    parseWorkflowScript(META + body, 'w.js');
  } catch (e) {
    assert.ok(e instanceof ScriptError, `expected a ScriptError, got ${String(e)}`);
    assert.match(e.message, /^Script parse error: /);
    assert.equal(e.line, line + 1, `line of ${e.format()}`);
    assert.equal(e.column, column, `column of ${e.format()}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(body)} to be refused`);
}

describe('script/sameProgram: HTML-like comments', () => {
  // Each parses in the module goal (acorn reads `<!--` as `< ! --`), but QuickJS's script goal
  // would read a comment there and run the lines acorn saw inside `/* … */`.
  const PAYLOADS: [string, string, number, number][] = [
    ['the issue payload', "let b = 1, c = 2\nconst x = b <!-- /*\nlog('hidden')\n//*/ c\nreturn 1", 2, 13],
    ['no spaces', "let b = 1, c = 2\nconst x = b<!--/*\nlog('hidden')\n//*/c\nreturn 1", 2, 12],
    ['inside a call argument', 'let c = 2\nlog(0 <!--/*\n, globalThis)\n//*/ c)\nreturn 1', 2, 7],
    ['in a condition', "let c = 2\nif (1 <!-- c /*\n) { log('x') }\n//*/\n) {}\nreturn 1", 2, 7],
    [
      'after a comment on the same line',
      "let c = 2\nconst y = 1 /* a */ <!-- /*\nlog('hidden')\n//*/ c\nreturn 1",
      2,
      21,
    ],
  ];
  for (const [what, body, line, column] of PAYLOADS) {
    it(`refuses ${what} at the \`<!--\` with line:column`, () => {
      const e = refusedAt(body, line, column);
      assert.equal(e.message, MESSAGES.htmlComment);
      assert.match(e.frame ?? '', /<!--/);
    });
  }

  it('accepts `<!--` and `-->` inside strings, templates, regexes and comments', () => {
    const body = [
      "const s = '<!-- not a comment -->'",
      'const t = `<!--${s}-->`',
      'const r = /<!--|-->/',
      '// <!-- a comment',
      '/* --> also a comment */',
      'let i = 3',
      'while (i --> 0) {}',
      'return [s, t, r.source, i]',
    ].join('\n');
    assert.doesNotThrow(() => parseWorkflowScript(META + body, 'w.js'));
  });

  it('refuses escaped keywords (acorn and QuickJS must not disagree on them either)', () => {
    refusedAt('\\u0069f (true) {}\nreturn 1', 1, 1);
  });

  it('refuses a line-start `-->` after a multi-line comment (read as a comment by QuickJS)', () => {
    refusedAt('let a = 1\na /*\n*/ --> log(1)\nreturn 1', 3, 6);
    refusedAt('let a = 1\na /*\u2028*/ --> log(1)\nreturn 1', 2, 11);
  });
});

describe('script/sameProgram: the compiled text is read again in the sandbox goal', () => {
  const site = { source: 'x', file: 'w.js' };

  it('passes when the comments match', () => {
    assert.doesNotThrow(() => checkSameProgram(site, '(function () { /* a */ return 1 // b\n})', ['* a ', '/ b']));
  });

  it('refuses a compiled text where an HTML-like comment hides or reveals code', () => {
    // What the checker saw: one block comment. What QuickJS would see: a line comment, code, a line comment.
    const compiled = '(function (h) { let b, c; b <!-- /*\nh.secret()\n//*/ c\n})';
    assert.throws(
      () => checkSameProgram(site, compiled, ['*\nh.secret()\n//']),
      (e: unknown) => e instanceof ScriptError && /the sandbox would read this script differently/.test(e.message),
    );
  });

  it('refuses a compiled text that does not parse as a script', () => {
    assert.throws(
      () => checkSameProgram(site, '(function () { export const x = 1 })', []),
      /does not parse as a script/,
    );
  });

  it('every example and an ordinary script pass the check unchanged', () => {
    const body =
      "#!/usr/bin/env dwf\n// lead\nconst r = await agent('a') /* inline */\nconst f = async (x /* => */) => x\nreturn f(r)";
    const p = parseWorkflowScript(body.replace('// lead\n', `// lead\n${META}`), 'w.js');
    assert.ok(p.compiled.includes('/* => */'));
  });
});

describe('script/sameProgram: the payload never reaches the sandbox', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it("the transform's reserved helpers stay unreachable: the run is refused before any worker starts", async () => {
    const payload =
      "let b = 1, c = 2\nconst x = b <!-- /*\nawait agent('reached: ' + Object.keys(__wRg$h).join(','))\n//*/ c\nreturn 'end'";
    assert.throws(
      () => h.start(payload),
      (e: unknown) => e instanceof ScriptError && e.message === MESSAGES.htmlComment,
    );
    assert.equal(h.runner.calls.length, 0, 'no agent ran');
    assert.deepEqual(h.store.list(), [], 'no run was created');
  });

  it('the same code without the HTML-like comment runs as the checker read it', async () => {
    const r = await h.run("let b = 1, c = 2\nconst x = b < ! -- /*\nlog('hidden')\n//*/ c\nreturn [x, c]");
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.result, [false, 1]);
    assert.ok(!r.events.some((e) => e.type === 'log'), 'the commented line did not run');
  });
});
