// readMeta (discovery): the meta-only fast path, its fallback to the full parse, and a
// realistic large script through both readMeta and parseWorkflowScript.
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { MESSAGES, ScriptError } from '../../../src/core/errors';
import { parseWorkflowScript, readMeta } from '../../../src/core/script';

function fails(fn: () => unknown, message: string, line?: number): ScriptError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ScriptError, `expected ScriptError, got ${String(e)}`);
    assert.equal(e.message, message);
    if (line !== undefined) assert.equal(e.line, line);
    assert.ok(e.frame);
    return e;
  }
  assert.fail(`expected "${message}"`);
}

describe('script/readMeta', () => {
  it('reads the normalised meta', () => {
    const src =
      "// c\r\nexport const meta = {\r\n  name: 'r', description: 'd', whenToUse: 'w', phases: [{ title: 'A' }, {}], x: 1,\r\n}\r\nreturn 1";
    assert.deepEqual(readMeta(src, 'r.js'), { name: 'r', description: 'd', whenToUse: 'w', phases: [{ title: 'A' }] });
  });

  it('does not validate the body (only the meta literal is parsed)', () => {
    const src = "export const meta = { name: 'ts', description: 'd' };\nconst x: number = 1\nimport y from 'y'";
    assert.equal(readMeta(src, 'ts.js').name, 'ts');
    assert.throws(() => parseWorkflowScript(src, 'ts.js'), ScriptError);
  });

  it('reports an invalid meta with the same messages as the full parse', () => {
    fails(() => readMeta("export const meta = { name: '', description: 'd' }", 'a.js'), MESSAGES.metaField('name'), 1);
    fails(
      () => readMeta("export const meta = {\n name: 'n', description: 'd', f: g() }", 'a.js'),
      MESSAGES.metaNotLiteral('function calls are not allowed'),
      2,
    );
  });

  it('falls back to the full parse when the file does not start with the meta statement', () => {
    fails(
      () => readMeta("'use strict'\nexport const meta = { name: 'n', description: 'd' }", 'a.js'),
      MESSAGES.metaFirst,
      1,
    );
    fails(
      () => readMeta("import x from 'x'\nexport const meta = { name: 'n', description: 'd' }", 'a.js'),
      MESSAGES.metaFirst,
      1,
    );
    fails(() => readMeta('return 1', 'a.js'), MESSAGES.metaFirst, 1);
  });

  it('falls back when the initializer continues past the object', () => {
    fails(() => readMeta("export const meta = { name: 'n', description: 'd' }, x = 1", 'a.js'), MESSAGES.metaFirst);
    fails(
      () => readMeta("export const meta = { name: 'n', description: 'd' }\n.valueOf()", 'a.js'),
      MESSAGES.metaFirst,
    );
    assert.equal(
      readMeta("export const meta = { name: 'n', description: 'd' } // trailing\nreturn 1", 'a.js').name,
      'n',
    );
  });

  it('reports a broken file as a parse error', () => {
    const e = fails(
      () => readMeta('export const meta = { name: "n", description: "d"\nreturn 1', 'a.js'),
      `${MESSAGES.parseError("Unexpected token 'return'")}\n${MESSAGES.parseHint}`,
      2,
    );
    assert.equal(e.file, 'a.js');
  });

  it('rejects an over-large file', () => {
    fails(
      () => readMeta(`export const meta = { name: 'n', description: 'd' }\n//${'x'.repeat(524288)}`, 'a.js'),
      MESSAGES.scriptTooLarge(524288),
    );
  });
});

describe('script: a realistic large script', () => {
  // The shapes of real scripts (real-world-scripts.md): args in any form, shadowed primitives,
  // pipeline/parallel with async arrows, phase loops, long prompt templates (~140 KB).
  const prompt = 'Review the code carefully; report only real bugs. '.repeat(40);
  const lines = [
    '// Adversarial review workflow',
    'export const meta = {',
    "  name: 'deep-review',",
    "  description: 'Find and verify bugs',",
    "  whenToUse: 'args: a path or {paths: string[]}',",
    "  phases: [{ title: 'Find', model: 'opus' }, { title: 'Verify', detail: 'three votes' }],",
    '}',
    "const input = typeof args === 'string' ? JSON.parse(args) : args",
    'const FINDINGS = { type: "object", properties: { findings: { type: "array" } } }',
  ];
  for (let i = 0; i < 60; i++) lines.push(`const P${i} = \`${prompt} (lens ${i}) \${'x'}\``);
  lines.push(
    'for (const phase of ["a"]) { log(phase) }',
    "phase('Find')",
    'const found = await pipeline(input.paths, async (p) => agent(`${P0} ${p}`, { label: `find:${p}`, schema: FINDINGS }),',
    '  (r, p) => r && parallel(r.findings.map((f) => async () => await agent(`refute ${f} in ${p}`, { phase: "Verify" }))))',
    'let dry = 0, round = 0',
    'while (dry < 2 && round++ < 3) { phase(`Round ${round}`); const r = await agent("more?"); if (!r) dry++ }',
    'return { found: found.flat().filter(Boolean), rounds: round }',
  );
  const src = lines.join('\n');

  it('parses, reads meta quickly and runs with stub primitives', async () => {
    assert.ok(src.length > 100_000, `script is ${src.length} chars`);
    const parsed = parseWorkflowScript(src, '.claude/workflows/deep-review.js');
    assert.deepEqual(readMeta(src, 'x.js'), parsed.meta);
    assert.deepEqual(parsed.meta.phases, [
      { title: 'Find', model: 'opus' },
      { title: 'Verify', detail: 'three votes' },
    ]);
    const calls: string[] = [];
    const globals = {
      args: JSON.stringify({ paths: ['a.ts', 'b.ts'] }),
      log: () => {},
      phase: (t: string) => calls.push(`phase:${t}`),
      agent: async (p: string) => (p.startsWith('refute') ? 'ok' : p === 'more?' ? null : { findings: [1] }),
      parallel: (fns: Array<() => Promise<unknown>>) => Promise.all(fns.map((f) => f())),
      pipeline: (items: unknown[], ...stages: Array<(v: unknown, item: unknown) => unknown>) =>
        Promise.all(
          items.map(async (item) => {
            let v: unknown = item;
            for (const s of stages) v = await s(v, item);
            return v;
          }),
        ),
    };
    const h = { e: () => 1, s: (_c: number, v: unknown) => v, r: (_c: number, v: unknown) => v, x: () => {} };
    const result = await new vm.Script(parsed.compiled).runInNewContext(globals)(h);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), { found: ['ok', 'ok'], rounds: 2 });
    assert.deepEqual(calls, ['phase:Find', 'phase:Round 1', 'phase:Round 2']);
  });
});
