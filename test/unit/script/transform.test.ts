// The compiled text, evaluated with node:vm and a recording helper: results, the order of
// context calls (e = enter, s = suspend, r = resume, x = exit) and exact line numbers.
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { parseWorkflowScript, WRAP_PREFIX, WRAP_SUFFIX } from '../../../src/core/script';

const META = "export const meta = { name: 'n', description: 'd' }\n";

interface Helper {
  e(): number;
  s(c: number, v: unknown): unknown;
  r(c: number, v: unknown): unknown;
  x(c: number): void;
}

/** Runs a script body; `log` records every helper call as e1, s1, r1, x2 … */
async function run(body: string, globals: Record<string, unknown> = {}): Promise<{ value: unknown; log: string[] }> {
  const parsed = parseWorkflowScript(META + body, 'workflow.js');
  const log: string[] = [];
  let next = 0;
  const h: Helper = {
    e: () => {
      log.push(`e${++next}`);
      return next;
    },
    s: (c, v) => (log.push(`s${c}`), v),
    r: (c, v) => (log.push(`r${c}`), v),
    x: (c) => void log.push(`x${c}`),
  };
  const fn = new vm.Script(parsed.compiled, { filename: 'workflow.js' }).runInNewContext({ ...globals });
  assert.equal(typeof fn, 'function');
  // JSON round trip: values from the vm realm have other prototypes, which deepEqual checks.
  const value: unknown = await fn(h);
  return { value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)), log };
}

// A promise that settles on a later macrotask, so interleavings are realistic.
const later = <T>(v: T, ms = 1) => new Promise<T>((res) => setTimeout(() => res(v), ms));

describe('script/transform: wrapper', () => {
  it('wraps on the first line and keeps every source line on the same line number', () => {
    const src = `${META}// two\nconst a = await later(1)\n\nreturn a\n`;
    const { compiled } = parseWorkflowScript(src, 'w.js');
    assert.ok(compiled.startsWith(WRAP_PREFIX) && compiled.endsWith(WRAP_SUFFIX));
    const srcLines = src.split('\n');
    const outLines = compiled.split('\n');
    assert.equal(outLines.length, srcLines.length + 1);
    assert.equal(outLines[1], '// two');
    assert.match(outLines[2], /^const a = .*later\(1\)/);
    assert.equal(outLines[3], '');
    assert.equal(outLines[4], 'return a');
  });

  it('blanks the export keyword with spaces of the same length', () => {
    const { compiled } = parseWorkflowScript(`// c\n${META}`, 'w.js');
    assert.equal(compiled.split('\n')[1], META.trim().replace('export ', '       '));
  });

  it('turns a hashbang into a comment', async () => {
    const parsed = parseWorkflowScript(`#!/usr/bin/env dwf\n${META}return 5`, 'w.js');
    const fn = new vm.Script(parsed.compiled).runInNewContext({});
    assert.equal(
      await fn({ e: () => 1, s: (_c: number, v: unknown) => v, r: (_c: number, v: unknown) => v, x() {} }),
      5,
    );
  });

  it('supports top-level await and return', async () => {
    assert.deepEqual((await run('const a = await later(2)\nreturn [a, await 3]', { later })).value, [2, 3]);
  });

  it('runs the body in strict mode with an undefined top-level this', async () => {
    await assert.rejects(run('undeclared = 1'), /undeclared is not defined/);
    assert.equal((await run('return this === undefined')).value, true);
    assert.equal((await run('return (function () { return this })() === undefined')).value, true);
  });

  it('does not shadow a global named workflow (the primitive)', async () => {
    const workflow = async (name: string) => `child:${name}`;
    assert.equal((await run("return await workflow('x')", { workflow })).value, 'child:x');
  });

  it('keeps the user line numbers in runtime errors', async () => {
    const body = Array.from({ length: 38 }, (_, i) => `// line ${i + 2}`).join('\n');
    const err = await run(`${body}\nawait later(0); throw new Error('on line 40')`, { later }).then(
      () => assert.fail('should throw'),
      (e: Error) => e,
    );
    assert.equal(err.message, 'on line 40');
    assert.match(err.stack ?? '', /workflow\.js:40:\d+/);
    const typeErr = await run(`${body}\nconst r = null\nr.findings.map(String)`).then(
      () => assert.fail('should throw'),
      (e: Error) => e,
    );
    assert.match(typeErr.stack ?? '', /workflow\.js:41:\d+/);
  });
});

describe('script/transform: context tracking', () => {
  it('wraps every await of the root context in s/r', async () => {
    const { value, log } = await run('const a = await later(1)\nconst b = await 2\nreturn a + b', { later });
    assert.equal(value, 3);
    assert.deepEqual(log, ['e1', 's1', 'r1', 's1', 'r1']);
  });

  it('gives nested async functions their own context and exits it', async () => {
    const body = `
      async function inner(v) { const w = await later(v); return w * 2 }
      async function outer(v) { const a = await inner(v); return a + 1 }
      return await outer(5)`;
    const { value, log } = await run(body, { later });
    assert.equal(value, 11);
    // root e1 → outer e2 → inner e3 suspends; outer suspends on inner's promise; root suspends.
    // Then inner resumes and exits, outer resumes and exits, root resumes.
    assert.deepEqual(log, ['e1', 'e2', 'e3', 's3', 's2', 's1', 'r3', 'x3', 'r2', 'x2', 'r1']);
  });

  it('handles async arrows with expression bodies, nested awaits and await (a, b)', async () => {
    const body = `
      const twice = async x => await later(x) * 2
      const wrapped = async (x) => await await later(x)
      const seq = await (0, later(7))
      return [await twice(2), await wrapped(3), seq]`;
    const { value, log } = await run(body, { later });
    assert.deepEqual(value, [4, 3, 7]);
    assert.equal(log.filter((l) => l.startsWith('e')).length, 3);
    assert.deepEqual(log.slice(0, 3), ['e1', 's1', 'r1']);
  });

  it('keeps an async arrow returning an object literal an object', async () => {
    const body =
      'const f = async () => ({ a: 1 })\nconst g = async () => (((({ b: 2 }))))\nreturn [await f(), await g()]';
    assert.deepEqual((await run(body)).value, [{ a: 1 }, { b: 2 }]);
  });

  it('gives each Promise.all branch its own context', async () => {
    const body = `
      const out = await Promise.all([1, 2, 3].map(async (n) => { const v = await later(n, (4 - n) * 25); return v * 10 }))
      return out`;
    const { value, log } = await run(body, { later });
    assert.deepEqual(value, [10, 20, 30]);
    // Each branch enters its own context and suspends; then the root suspends on Promise.all.
    // Branches resume in timer order (n = 3 first), each exiting its own context. The timers are
    // 25 ms apart so a busy machine, which may start them a few ms apart, cannot reorder them.
    assert.deepEqual(log, ['e1', 'e2', 's2', 'e3', 's3', 'e4', 's4', 's1', 'r4', 'x4', 'r3', 'x3', 'r2', 'x2', 'r1']);
  });

  it('restores the context at the start of each for-await iteration', async () => {
    const body = `
      const got = []
      for await (const v of [later(1), later(2)]) got.push(v)
      async function f() { for await (const v of [3]) { got.push(v) } }
      await f()
      return got`;
    const { value, log } = await run(body, { later });
    assert.deepEqual(value, [1, 2, 3]);
    // f suspends inside its loop head (implicit await) before the root's s1.
    assert.deepEqual(log, ['e1', 'r1', 'r1', 'e2', 's1', 'r2', 'x2', 'r1']);
  });

  it('tracks async methods of classes and objects and async function expressions', async () => {
    const body = `
      class A { async m(v) { return await later(v) } static async s() { return 2 } }
      const o = { async m() { return await later(3) } }
      const fe = async function named() { return 4 }
      return [await new A().m(1), await A.s(), await o.m(), await fe()]`;
    const { value, log } = await run(body, { later });
    assert.deepEqual(value, [1, 2, 3, 4]);
    assert.equal(log.filter((l) => l.startsWith('e')).length, 5);
    assert.equal(log.filter((l) => l.startsWith('x')).length, 4);
  });

  it('leaves plain functions and generators alone', async () => {
    const body = `
      function plain(x) { return x + 1 }
      const arrow = (x) => x * 2
      function* gen() { yield 1; yield 2 }
      return [plain(1), arrow(2), [...gen()]]`;
    const { value, log } = await run(body);
    assert.deepEqual(value, [2, 4, [1, 2]]);
    assert.deepEqual(log, ['e1']);
    const { compiled } = parseWorkflowScript(META + body, 'w.js');
    assert.equal(compiled.split('__wRg$h.e()').length, 2, 'only the root enters a context');
  });

  it('exits a context even when the async function throws', async () => {
    const body =
      "async function boom() { await 1; throw new Error('x') }\ntry { await boom() } catch { return 'caught' }";
    const { value, log } = await run(body);
    assert.equal(value, 'caught');
    assert.ok(log.includes('x2'));
  });

  it('keeps comments containing => in arrow heads harmless', async () => {
    const body = 'const f = async (a /* => */, b // =>\n) => a + b\nreturn await f(1, 2)';
    assert.equal((await run(body)).value, 3);
  });
});
