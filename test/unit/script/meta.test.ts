// spec §2.2: the first-statement rule, every pure-literal rejection and the field rules.
import assert from 'node:assert/strict';
import { MESSAGES, ScriptError } from '../../../src/core/errors';
import { parseWorkflowScript } from '../../../src/core/script/parse';

const BODY = '\nreturn 1\n';

function fails(source: string, message: string, line?: number, column?: number): ScriptError {
  try {
    parseWorkflowScript(source, 'workflow.js');
  } catch (e) {
    assert.ok(e instanceof ScriptError, `expected ScriptError, got ${String(e)}`);
    assert.equal(e.message, message);
    assert.equal(e.file, 'workflow.js');
    if (line !== undefined) assert.equal(e.line, line);
    if (column !== undefined) assert.equal(e.column, column);
    assert.ok(e.frame && e.frame.includes('^'), 'has a frame');
    return e;
  }
  assert.fail(`expected "${message}"`);
}

const metaOf = (literal: string) => parseWorkflowScript(`export const meta = ${literal}${BODY}`, 'workflow.js').meta;
const literalFails = (literal: string, reason: string) =>
  fails(`export const meta = ${literal}${BODY}`, MESSAGES.metaNotLiteral(reason), 1);

describe('script/meta: first statement', () => {
  it('accepts leading comments, blank lines and a hashbang', () => {
    const src =
      '#!/usr/bin/env dwf\n// a workflow\n/* block\n comment */\n\nexport const meta = { name: "n", description: "d" }\nreturn 1';
    assert.equal(parseWorkflowScript(src, 'workflow.js').meta.name, 'n');
  });

  const notFirst: Array<[string, string, number]> = [
    ['a missing meta', 'const x = 1\nreturn x', 1],
    ['meta as the second statement', 'const x = 1\nexport const meta = { name: "n", description: "d" }', 1],
    ['meta without export', 'const meta = { name: "n", description: "d" }', 1],
    ['export let', 'export let meta = { name: "n", description: "d" }', 1],
    ['export var', 'export var meta = { name: "n", description: "d" }', 1],
    ['two declarators', 'export const meta = { name: "n", description: "d" }, x = 1', 1],
    ['another name', 'export const info = { name: "n", description: "d" }', 1],
    ['a non-object initializer', 'export const meta = makeMeta()', 1],
    ['an array initializer', 'export const meta = [1]', 1],
    ['a function export first', 'export function meta() {}', 1],
    ['a directive first', "'use strict'\nexport const meta = { name: 'n', description: 'd' }", 1],
    ['an empty file', '', 1],
    ['only comments', '// nothing here\n', 2],
  ];
  for (const [what, src, line] of notFirst) {
    it(`rejects ${what}`, () => {
      fails(src, MESSAGES.metaFirst, line);
    });
  }
});

describe('script/meta: pure literal', () => {
  it('accepts strings, numbers, booleans, null, arrays, nested objects, plain templates and signed numbers', () => {
    const src = `export const meta = {
      name: \`tpl\`, description: 'd', 'quoted key': 1, ['computed string']: 2, 3: 'numeric key',
      extra: { neg: -1, pos: +2, t: true, f: false, n: null, list: [1, 'two', [3]], deep: { x: \`y\` } },
    }`;
    assert.equal(parseWorkflowScript(src, 'w.js').meta.name, 'tpl');
  });

  const rejections: Array<[string, string, string]> = [
    ['object spread', '{ ...base, name: "n", description: "d" }', 'spread (...) is not allowed'],
    ['array spread', '{ name: "n", description: "d", phases: [...x] }', 'spread (...) is not allowed'],
    ['computed expression keys', '{ [k]: 1, name: "n", description: "d" }', 'computed keys are not allowed'],
    ['computed template keys', '{ [`k`]: 1, name: "n", description: "d" }', 'computed keys are not allowed'],
    ['methods', '{ name: "n", description: "d", m() {} }', 'methods are not allowed'],
    ['getters', '{ name: "n", description: "d", get g() { return 1 } }', 'getters and setters are not allowed'],
    ['setters', '{ name: "n", description: "d", set s(v) {} }', 'getters and setters are not allowed'],
    ['shorthand properties', '{ name, description: "d" }', "shorthand property 'name' is not allowed"],
    ['sparse arrays', '{ name: "n", description: "d", phases: [1, , 2] }', 'sparse arrays (holes) are not allowed'],
    ['template interpolation', '{ name: `n${1}`, description: "d" }', 'template interpolation (${…}) is not allowed'],
    ['identifiers', '{ name: NAME, description: "d" }', "identifier 'NAME' is not allowed (only literal values)"],
    [
      'undefined',
      '{ name: "n", description: "d", x: undefined }',
      "identifier 'undefined' is not allowed (only literal values)",
    ],
    ['calls', '{ name: "n", description: String(1) }', 'function calls are not allowed'],
    ['new', '{ name: "n", description: "d", when: new Date(0) }', 'function calls are not allowed'],
    ['arrow functions', '{ name: "n", description: "d", f: () => 1 }', 'functions are not allowed'],
    ['function expressions', '{ name: "n", description: "d", f: function () {} }', 'functions are not allowed'],
    ['regular expressions', '{ name: "n", description: "d", re: /x/ }', 'regular expressions are not allowed'],
    ['BigInt literals', '{ name: "n", description: "d", big: 1n }', 'BigInt literals are not allowed'],
    [
      'binary expressions',
      '{ name: "n" + "x", description: "d" }',
      'BinaryExpression is not allowed (only strings, numbers, booleans, null, arrays and objects)',
    ],
    [
      'other unary operators',
      '{ name: "n", description: "d", x: !0 }',
      "the operator '!' is not allowed (only a sign on a number)",
    ],
    [
      'a sign on a string',
      '{ name: "n", description: "d", x: -"1" }',
      "the operator '-' is not allowed (only a sign on a number)",
    ],
    ['__proto__', '{ __proto__: null, name: "n", description: "d" }', "key '__proto__' is not allowed"],
    ['"__proto__" as a string', '{ "__proto__": {}, name: "n", description: "d" }', "key '__proto__' is not allowed"],
    ['computed __proto__', '{ ["__proto__"]: {}, name: "n", description: "d" }', "key '__proto__' is not allowed"],
    ['constructor', '{ name: "n", description: "d", constructor: 1 }', "key 'constructor' is not allowed"],
    ['nested prototype', '{ name: "n", description: "d", x: { prototype: 1 } }', "key 'prototype' is not allowed"],
  ];
  for (const [what, literal, reason] of rejections) {
    it(`rejects ${what}`, () => {
      literalFails(literal, reason);
    });
  }

  it('points at the offending node on its own line', () => {
    const src = 'export const meta = {\n  name: "n",\n  description: "d",\n  phases: [{ title: t }],\n}';
    fails(src, MESSAGES.metaNotLiteral("identifier 't' is not allowed (only literal values)"), 4, 21);
  });
});

describe('script/meta: fields', () => {
  it('keeps name, description, title, whenToUse and normalised phases; drops unknown keys', () => {
    const meta = metaOf(`{
      name: 'review', description: 'Review a branch', title: 'Branch review', whenToUse: 'args: a path',
      phases: [
        { title: 'Find', detail: 'look', model: 'opus', extra: 1 },
        { detail: 'no title' },
        { title: 7 },
        'Find',
        null,
        { title: 'Verify', detail: 3, model: null },
      ],
      version: 2, owner: { a: 1 },
    }`);
    assert.deepEqual(meta, {
      name: 'review',
      description: 'Review a branch',
      title: 'Branch review',
      whenToUse: 'args: a path',
      phases: [{ title: 'Find', detail: 'look', model: 'opus' }, { title: 'Verify' }],
    });
  });

  it('gives no phases when phases is missing, empty or not an array', () => {
    assert.deepEqual(metaOf('{ name: "n", description: "d" }').phases, []);
    assert.deepEqual(metaOf('{ name: "n", description: "d", phases: [] }').phases, []);
    assert.deepEqual(metaOf('{ name: "n", description: "d", phases: { title: "x" } }').phases, []);
    assert.deepEqual(metaOf('{ name: "n", description: "d", phases: [{}] }').phases, []);
  });

  it('drops a title that is not a non-empty string and a whenToUse that is not a string', () => {
    const meta = metaOf('{ name: "n", description: "d", title: "", whenToUse: 3 }');
    assert.deepEqual(meta, { name: 'n', description: 'd', phases: [] });
    assert.equal(metaOf('{ name: "n", description: "d", whenToUse: "" }').whenToUse, '');
  });

  const bad: Array<[string, string, 'name' | 'description']> = [
    ['a missing name', '{ description: "d" }', 'name'],
    ['an empty name', '{ name: "", description: "d" }', 'name'],
    ['a blank name', '{ name: "   ", description: "d" }', 'name'],
    ['a numeric name', '{ name: 1, description: "d" }', 'name'],
    ['a null name', '{ name: null, description: "d" }', 'name'],
    ['a missing description', '{ name: "n" }', 'description'],
    ['an empty description', '{ name: "n", description: `` }', 'description'],
    ['an array description', '{ name: "n", description: ["d"] }', 'description'],
  ];
  for (const [what, literal, field] of bad) {
    it(`rejects ${what} with "meta.${field} must be a non-empty string"`, () => {
      fails(`export const meta = ${literal}${BODY}`, `meta.${field} must be a non-empty string`, 1);
    });
  }

  it('points a field error at the field', () => {
    fails('export const meta = {\n  name: "n",\n  description: 42,\n}', MESSAGES.metaField('description'), 3, 3);
  });
});
