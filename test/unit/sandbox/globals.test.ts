// The script's global environment (spec §2.3–2.5, §3.5, §3.7, §3.9; Appendix B rows 2–4):
// what exists, what does not, strict mode, args, determinism shims, logging and timers — all
// through the real engine and QuickJS worker.
import assert from 'node:assert/strict';
import { createHarness, logLines, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';

describe('sandbox: script globals', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  async function completed(source: string, options?: Parameters<Harness['run']>[1]): Promise<unknown> {
    const r = await h.run(source, options);
    assert.equal(r.status, 'completed', `expected the run to complete, got ${JSON.stringify(r.error)}`);
    return r.result;
  }

  describe('present', () => {
    it('injects the workflow primitives, console, timers, budget and args', async () => {
      const result = await completed(`
        return {
          agent: typeof agent, parallel: typeof parallel, pipeline: typeof pipeline, workflow: typeof workflow,
          phase: typeof phase, log: typeof log, setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout,
          console: typeof console, budget: typeof budget, argsDeclared: 'args' in globalThis,
          consoleMethods: ['log', 'info', 'debug', 'warn', 'error'].map((m) => typeof console[m]),
        }
      `);
      assert.deepEqual(result, {
        agent: 'function',
        parallel: 'function',
        pipeline: 'function',
        workflow: 'function',
        phase: 'function',
        log: 'function',
        setTimeout: 'function',
        clearTimeout: 'function',
        console: 'object',
        budget: 'object',
        argsDeclared: true,
        consoleMethods: ['function', 'function', 'function', 'function', 'function'],
      });
    });

    it('budget is a frozen { total, spent(), remaining() }: total null → remaining() Infinity', async () => {
      const result = await completed(`
        let assignError = null
        try { budget.total = 5 } catch (e) { assignError = e.name }
        let addError = null
        try { budget.extra = 1 } catch (e) { addError = e.name }
        return {
          frozen: Object.isFrozen(budget),
          keys: Object.keys(budget).sort(),
          total: budget.total,
          spent: budget.spent(),
          remainingIsInfinity: budget.remaining() === Infinity,
          assignError, addError,
        }
      `);
      assert.deepEqual(result, {
        frozen: true,
        keys: ['remaining', 'spent', 'total'],
        total: null,
        spent: 0,
        remainingIsInfinity: true,
        assignError: 'TypeError',
        addError: 'TypeError',
      });
    });

    it('budget.total reflects the run setting and remaining() = total − spent()', async () => {
      const result = await completed(`return [budget.total, budget.spent(), budget.remaining()]`, {
        budgetTotal: 1000,
      });
      assert.deepEqual(result, [1000, 0, 1000]);
    });
  });

  describe('absent (a bare realm)', () => {
    const ABSENT = [
      'require',
      'process',
      'fetch',
      'URL',
      'module',
      'exports',
      'Buffer',
      'XMLHttpRequest',
      'WebSocket',
      'setInterval',
      'queueMicrotask',
      'performance',
      'WebAssembly',
      'std',
      'os',
    ];

    it('has no Node, web or QuickJS host APIs', async () => {
      // Both the bare identifier (scope lookup) and the global object's own/inherited property.
      const result = (await completed(`
        return {
          ${ABSENT.map((n) => `${n}: [typeof ${n}, ${JSON.stringify(n)} in globalThis]`).join(',\n          ')}
        }
      `)) as Record<string, [string, boolean]>;
      for (const name of ABSENT) assert.deepEqual(result[name], ['undefined', false], `${name} must not exist`);
    });

    it('Error.captureStackTrace is removed', async () => {
      assert.equal(await completed(`return typeof Error.captureStackTrace`), 'undefined');
    });
  });

  describe('scoping and body semantics', () => {
    it('globals can be shadowed by loop variables, top-level consts and parameters', async () => {
      const result = await completed(`
        for (const phase of ['a']) { if (phase !== 'a') throw new Error('loop binding') }
        const log = 1
        function f(agent) { return agent * 2 }
        const g = (parallel, pipeline) => parallel + pipeline
        const viaGlobal = await globalThis.agent('still works')
        return { log, f: f(3), g: g(1, 2), viaGlobal, phaseAfterLoop: typeof phase }
      `);
      assert.deepEqual(result, { log: 1, f: 6, g: 3, viaGlobal: 'echo:still works', phaseAfterLoop: 'function' });
    });

    it('runs in strict mode: assigning an undeclared variable throws ReferenceError', async () => {
      const r = await h.run(`undeclaredVariable = 1\nreturn 'not strict'`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'ReferenceError');
      assert.match(r.error!.message, /undeclaredVariable/);
    });

    it('strict mode is observable from inside (a sloppy function would have this = globalThis)', async () => {
      assert.equal(await completed(`return (function () { return this === undefined })()`), true);
    });

    it('supports top-level await and top-level return', async () => {
      const result = await completed(`
        const first = await agent('one')
        if (first) {
          return { first, second: await agent('two') }
        }
        return 'unreachable'
      `);
      assert.deepEqual(result, { first: 'echo:one', second: 'echo:two' });
      assert.deepEqual(
        h.runner.calls.map((c) => c.prompt),
        ['one', 'two'],
      );
    });

    it('a script without a return value completes with an undefined result', async () => {
      const r = await h.run(`await agent('x')`);
      assert.equal(r.status, 'completed');
      assert.equal(r.result, undefined);
      const r2 = await h.run(`return undefined`);
      assert.equal(r2.status, 'completed');
      assert.equal(r2.result, undefined);
    });
  });

  describe('args (spec §2.5, §3.6)', () => {
    const echoArgs = `return { type: typeof args, isArray: Array.isArray(args), value: args === undefined ? '(undefined)' : args }`;

    it('a string arrives verbatim', async () => {
      assert.deepEqual(await completed(echoArgs, { args: 'hello "world"\n' }), {
        type: 'string',
        isArray: false,
        value: 'hello "world"\n',
      });
    });

    it('an array arrives verbatim', async () => {
      assert.deepEqual(await completed(echoArgs, { args: [1, 'two', { three: [3] }, null] }), {
        type: 'object',
        isArray: true,
        value: [1, 'two', { three: [3] }, null],
      });
    });

    it('an object arrives verbatim', async () => {
      const args = { files: ['a.ts', 'b.ts'], depth: 2, nested: { ok: true, none: null } };
      assert.deepEqual(await completed(echoArgs, { args }), { type: 'object', isArray: false, value: args });
    });

    it('is undefined when not given', async () => {
      assert.deepEqual(await completed(echoArgs), { type: 'undefined', isArray: false, value: '(undefined)' });
    });

    it('is a copy: the script mutating args does not touch the host object', async () => {
      const args = { list: [1], n: 1 };
      const result = await completed(`args.list.push(2); args.n = 99; return args`, { args });
      assert.deepEqual(result, { list: [1, 2], n: 99 });
      assert.deepEqual(args, { list: [1], n: 1 });
    });
  });

  describe('determinism shims (spec §2.4)', () => {
    for (const [what, expr] of [
      ['Date.now()', 'Date.now()'],
      ['Date() called as a function', 'Date()'],
      ['new Date() without arguments', 'new Date()'],
      ['new Date(0).constructor without arguments', 'new (new Date(0).constructor)()'],
      ['Reflect.construct(Date, [])', 'Reflect.construct(Date, [])'],
      ['a Date subclass without arguments', 'new (class D extends Date {})()'],
      ['Date.prototype.constructor.now()', 'Date.prototype.constructor.now()'],
    ]) {
      it(`${what} throws the official message`, async () => {
        const r = await h.run(`return ${expr}`);
        assert.equal(r.status, 'failed');
        assert.equal(r.error?.message, MESSAGES.dateNow);
      });
    }

    it('Math.random() throws the official message', async () => {
      const r = await h.run(`return Math.random()`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.message, MESSAGES.mathRandom);
    });

    it('the determinism errors are catchable in the script', async () => {
      const result = await completed(`
        const out = []
        try { Date.now() } catch (e) { out.push(e.message) }
        try { Math.random() } catch (e) { out.push(e.message) }
        return out
      `);
      assert.deepEqual(result, [MESSAGES.dateNow, MESSAGES.mathRandom]);
    });

    it('the shims cannot be replaced: Date, Date.now and Math.random are read-only', async () => {
      const result = await completed(`
        const out = []
        try { Date.now = () => 1; out.push('Date.now replaced') } catch (e) { out.push(e.name) }
        try { Math.random = () => 0.5; out.push('Math.random replaced') } catch (e) { out.push(e.name) }
        try { globalThis.Date = function () {}; out.push('Date replaced') } catch (e) { out.push(e.name) }
        try { Date.prototype.constructor = function () {}; out.push('constructor replaced') } catch (e) { out.push(e.name) }
        let stillThrows = false
        try { Date.now() } catch (e) { stillThrows = true }
        return { out, stillThrows }
      `);
      assert.deepEqual(result, { out: ['TypeError', 'TypeError', 'TypeError', 'TypeError'], stillThrows: true });
    });

    it('dates from explicit values, Date.parse and Date.UTC work', async () => {
      const result = await completed(`
        const d = new Date(0)
        return {
          iso: d.toISOString(),
          parsed: Date.parse('2020-01-02T03:04:05.000Z'),
          utc: Date.UTC(2020, 0, 2, 3, 4, 5),
          fromParts: new Date(Date.UTC(2021, 5, 15)).toISOString(),
          fromString: new Date('2022-03-04T00:00:00Z').getTime(),
          isDate: d instanceof Date,
          sameProto: Object.getPrototypeOf(d) === Date.prototype,
        }
      `);
      assert.deepEqual(result, {
        iso: '1970-01-01T00:00:00.000Z',
        parsed: 1577934245000,
        utc: 1577934245000,
        fromParts: '2021-06-15T00:00:00.000Z',
        fromString: 1646352000000,
        isDate: true,
        sameProto: true,
      });
    });
  });

  describe('log and console (spec §3.5)', () => {
    it('log(obj) → "[object]", console.log(obj) → JSON; warn/error are prefixed', async () => {
      const r = await h.run(`
        log({ a: 1 })
        log([1, 2])
        log('plain')
        log(42)
        console.log({ a: 1 })
        console.info([1, 'two'])
        console.debug('dbg')
        console.warn('careful', { n: 1 })
        console.error('bad')
        return 1
      `);
      assert.equal(r.status, 'completed');
      assert.deepEqual(logLines(r.events), [
        '[object]',
        '[object]',
        'plain',
        '42',
        '{"a":1}',
        '[1,"two"]',
        'dbg',
        '[warn] careful {"n":1}',
        '[error] bad',
      ]);
      assert.deepEqual(r.logs, logLines(r.events));
      const levels = r.events.filter((e) => e.type === 'log').map((e) => (e as { level: string }).level);
      assert.deepEqual(levels, ['info', 'info', 'info', 'info', 'info', 'info', 'info', 'warn', 'error']);
    });

    it('console.log of a cyclic object does not throw', async () => {
      const r = await h.run(`const o = {}; o.o = o; console.log(o); return 'ok'`);
      assert.equal(r.status, 'completed');
      assert.equal(r.result, 'ok');
      assert.equal(logLines(r.events).length, 1);
    });
  });

  describe('timers (spec §3.9)', () => {
    it('setTimeout fires with extra arguments, callback exceptions are swallowed, clearTimeout cancels', async () => {
      const r = await h.run(`
        const seen = []
        setTimeout(() => { seen.push('threw'); throw new Error('swallowed') }, 5)
        const id = setTimeout(() => seen.push('cancelled'), 10)
        clearTimeout(id)
        setTimeout((a, b) => seen.push(a + b), 15, 'x', 'y')
        await new Promise((resolve) => setTimeout(resolve, 60))
        return seen
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.deepEqual(r.result, ['threw', 'xy']);
    });

    it('setTimeout returns an id; clearTimeout of unknown ids is harmless', async () => {
      const result = await completed(`
        const id = setTimeout(() => {}, 1)
        clearTimeout(123456); clearTimeout(undefined); clearTimeout('x')
        await new Promise((r) => setTimeout(r, 5))
        return typeof id
      `);
      assert.equal(result, 'number');
    });

    it('a timer keeps the script alive while it awaits (no false deadlock)', async () => {
      const result = await completed(`
        const v = await new Promise((resolve) => setTimeout(() => resolve('late'), 100))
        return v
      `);
      assert.equal(result, 'late');
    });
  });
});
