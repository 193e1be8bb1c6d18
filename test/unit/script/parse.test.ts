// spec §2.1–2.4: size and hidden characters, parse errors, compile-time rejections,
// the inline determinism check and the ParsedScript fields.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MESSAGES, ScriptError, ScriptSyntaxError } from '../../../src/core/errors';
import { MAX_SCRIPT_BYTES, parseWorkflowScript } from '../../../src/core/script';

const META = "export const meta = { name: 'n', description: 'd' }\n";

function fails(source: string, message: string, line?: number, column?: number, inline = false): ScriptError {
  try {
    parseWorkflowScript(source, 'scripts/w.js', { inline });
  } catch (e) {
    assert.ok(e instanceof ScriptError, `expected ScriptError, got ${String(e)}`);
    assert.equal(e.message, message);
    assert.equal(e.file, 'scripts/w.js');
    if (line !== undefined) assert.equal(e.line, line, 'line');
    if (column !== undefined) assert.equal(e.column, column, 'column');
    assert.equal(typeof e.frame, 'string');
    return e;
  }
  assert.fail(`expected "${message}"`);
}

describe('script/parse: result', () => {
  it('returns meta, normalised source, file, compiled text and the sha256 of the source', () => {
    const raw = `${META}const x = await 1\r\nreturn x\r\n`;
    const p = parseWorkflowScript(raw, 'workflow.js');
    assert.equal(p.source, raw.replace(/\r\n/g, '\n'));
    assert.equal(p.file, 'workflow.js');
    assert.deepEqual(p.meta, { name: 'n', description: 'd', phases: [] });
    assert.equal(p.hash, createHash('sha256').update(p.source).digest('hex'));
    assert.equal(typeof p.compiled, 'string');
  });

  it('gives the same hash for CRLF and LF copies of a script', () => {
    const lf = `${META}return 1\n`;
    assert.equal(parseWorkflowScript(lf, 'a').hash, parseWorkflowScript(lf.replace(/\n/g, '\r\n'), 'b').hash);
  });
});

describe('script/parse: size and hidden characters', () => {
  it(`accepts exactly ${MAX_SCRIPT_BYTES} bytes and rejects one more`, () => {
    const base = `${META}// `;
    const exact = base + 'x'.repeat(MAX_SCRIPT_BYTES - base.length);
    assert.equal(Buffer.byteLength(exact), MAX_SCRIPT_BYTES);
    parseWorkflowScript(exact, 'w.js');
    fails(exact + 'x', MESSAGES.scriptTooLarge(524288), 2);
    assert.equal(MESSAGES.scriptTooLarge(MAX_SCRIPT_BYTES), 'Script exceeds 524288 bytes');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const base = `${META}// `;
    // 'é' is 2 bytes in UTF-8: this is under the limit in characters, over it in bytes.
    const chars = Math.ceil((MAX_SCRIPT_BYTES - base.length) / 2) + 1;
    assert.ok(base.length + chars < MAX_SCRIPT_BYTES);
    fails(base + 'é'.repeat(chars), MESSAGES.scriptTooLarge(MAX_SCRIPT_BYTES), 2);
  });

  const hidden: Array<[string, string]> = [
    ['ESC', '\u001b'],
    ['a lone CR', '\r'],
    ['NUL', '\u0000'],
    ['vertical tab', '\u000b'],
    ['form feed', '\u000c'],
    ['backspace', '\u0008'],
    ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
    ['LEFT-TO-RIGHT EMBEDDING', '\u202a'],
    ['FIRST STRONG ISOLATE', '\u2068'],
    ['POP DIRECTIONAL ISOLATE', '\u2069'],
  ];
  for (const [what, ch] of hidden) {
    it(`rejects ${what} with its line and column`, () => {
      fails(`${META}const s = 'ab${ch}c'\n`, MESSAGES.controlChars, 2, 14);
    });
  }

  it('allows tabs, CRLF line ends and other Unicode', () => {
    parseWorkflowScript(`${META}\tconst s = 'héllo — 世界 🎉'\r\nreturn s\r\n`, 'w.js');
  });
});

describe('script/parse: syntax errors', () => {
  const hint = MESSAGES.parseHint;
  const cases: Array<[string, string, string, number, number]> = [
    ['a type annotation', 'const x: number = 1', "Unexpected token ':'", 2, 8],
    ['an interface', 'interface Finding { title: string }', "The keyword 'interface' is reserved", 2, 1],
    ['generics', 'function first<T>(xs) { return xs[0] }', "Unexpected token '<'", 2, 15],
    ['an `as` cast', 'const y = args as string', "Unexpected token 'as'", 2, 16],
    ['broken quoting', "log('it's broken')", "Unexpected token 's'", 2, 9],
    ['a stray parenthesis', 'log(1, 2))', "Unexpected token ')'", 2, 10],
    ['a long unexpected string, cut', `log('a' '${'q'.repeat(40)}')`, `Unexpected token ''${'q'.repeat(22)}…'`, 2, 9],
    ['an unfinished expression', 'const a = (1 +', 'Unexpected end of input', 2, 15],
    ['an unterminated string', "log('open)\nreturn 1", 'Unterminated string constant', 2, 5],
  ];
  for (const [what, body, acornMsg, line, column] of cases) {
    it(`reports ${what} with line, caret and the plain-JavaScript hint`, () => {
      const e = fails(META + body, `Script parse error: ${acornMsg}\n${hint}`, line, column);
      const [shown, caret] = e.frame!.split('\n');
      assert.equal(shown, body.split('\n')[0]);
      assert.equal(caret, `${' '.repeat(column - 1)}^`);
      assert.ok(!/\(\d+:\d+\)/.test(e.message), 'acorn position suffix removed');
      assert.ok(e instanceof ScriptSyntaxError, 'marked as plain syntax (the editor leaves it to TypeScript)');
    });
  }

  it('marks only plain syntax errors as ScriptSyntaxError, not the workflow rules', () => {
    assert.ok(!(fails(`${META}import x from 'y'`, MESSAGES.staticImport) instanceof ScriptSyntaxError));
    assert.ok(!(fails('return 1', MESSAGES.metaFirst) instanceof ScriptSyntaxError));
    assert.ok(!(fails(`${META}with (a) {}`, MESSAGES.withStatement) instanceof ScriptSyntaxError));
  });
});

describe('script/parse: compile-time rejections', () => {
  it('rejects import declarations before and after meta', () => {
    fails(`import fs from 'fs'\n${META}`, MESSAGES.staticImport, 1, 1);
    fails(`${META}const a = 1\nimport { helper } from './helper.js'\n`, MESSAGES.staticImport, 3, 1);
  });

  it('rejects import(), import.meta and with', () => {
    fails(`${META}const m = await import('fs')`, MESSAGES.dynamicImport, 2, 17);
    fails(`${META}log(import.meta.url)`, MESSAGES.importMeta, 2, 5);
    fails(`${META}\nwith (Math) { log(PI) }`, MESSAGES.withStatement, 3, 1);
  });

  it("rejects 'await using' declarations", () => {
    fails(`${META}{\n  await using r = res()\n}`, MESSAGES.awaitUsing, 3, 3);
  });

  it('rejects identifiers starting with __wRg$ wherever they are', () => {
    fails(`${META}const __wRg$c = 1`, MESSAGES.reservedIdentifier('__wRg$c'), 2, 7);
    fails(`${META}log(__wRg$h)`, MESSAGES.reservedIdentifier('__wRg$h'), 2, 5);
    fails(`${META}function f(__wRg$x) {}`, MESSAGES.reservedIdentifier('__wRg$x'), 2, 12);
    fails(`${META}const o = {}\no.__wRg$y = 1`, MESSAGES.reservedIdentifier('__wRg$y'), 3, 3);
  });

  it('rejects every export other than the leading meta', () => {
    for (const stmt of [
      'export function helper() {}',
      'export default 1',
      'const x = 1\nexport { x }',
      "export * from './other.js'",
      'export const other = {}',
      'export class A {}',
    ]) {
      const line = stmt.split('\n').length + 1;
      fails(META + stmt, MESSAGES.otherExport, line, 1);
    }
  });

  it('accepts top-level await and return, and the primitives as ordinary names', () => {
    parseWorkflowScript(
      `${META}const phase = 'x'\nfor (const agent of []) {}\nconst r = await agent\nreturn r`,
      'w.js',
    );
  });
});

describe('script/parse: determinism (inline scripts only)', () => {
  const bad: Array<[string, string, number]> = [
    ['const t = Date.now()', 'Date.now()', 2],
    ['const r = Math.random() * 2', 'Math.random()', 2],
    ['\n\nconst d = new Date()', 'new Date()', 4],
    ['const d = new Date', 'new Date()', 2],
    ['const now = Date.now', 'Date.now()', 2],
  ];
  for (const [body, what, line] of bad) {
    it(`rejects ${what} in "${body.trim()}" for an inline script`, () => {
      const message = `Workflow scripts must be deterministic: ${what} at line ${line}`;
      assert.equal(MESSAGES.nonDeterministic(what, line), message);
      fails(META + body, message, line, undefined, true);
    });
    it(`leaves "${body.trim()}" to the runtime for a script file`, () => {
      parseWorkflowScript(META + body, 'w.js');
    });
  }

  it('allows new Date(x), Date.parse, Date.UTC, computed access, strings and comments', () => {
    const body = [
      'const a = new Date(0), b = Date.parse("2020-01-01"), c = Date.UTC(2020, 0)',
      "const s = 'never call Date.now() or Math.random() or new Date()'",
      '// Date.now() in a comment',
      '/* Math.random() */',
      'const t = `run date +%F instead of Date.now()`',
      "const r = Math['random']",
    ].join('\n');
    parseWorkflowScript(META + body, 'w.js', { inline: true });
  });
});
