// Known ways out of the sandbox (spec §2.3–2.4, findings §3): each must fail inside the guest,
// and nothing a script does — patched prototypes, hijacked promises, hostile values — may change
// what reaches the host, or crash the process that runs the engine.
import assert from 'node:assert/strict';
import { createHarness, agentEvents, META, type Harness } from '../../fakes/engineHarness';
import { parseWorkflowScript } from '../../../src/core/script';
import { MESSAGES, ScriptError } from '../../../src/core/errors';

describe('sandbox: escapes', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(() => (h = createHarness({ limits: { sliceMs: 800 } })));
  afterEach(() => h.cleanup());

  async function completed(source: string): Promise<unknown> {
    const r = await h.run(source);
    assert.equal(r.status, 'completed', `expected the run to complete, got ${JSON.stringify(r.error)}`);
    return r.result;
  }

  describe('code generation from strings', () => {
    for (const [what, expr] of [
      ["eval('1')", "eval('1')"],
      ["indirect (0, eval)('1')", "(0, eval)('1')"],
      ["new Function('return 1')", "new Function('return 1')"],
      ["Function('return 1')", "Function('return 1')"],
      ["Function('return this')()", "Function('return this')()"],
    ]) {
      it(`${what} throws EvalError '${MESSAGES.codeGeneration}'`, async () => {
        const result = await completed(`
          try { const v = ${expr}; return { escaped: true, v: String(v) } }
          catch (e) { return { name: e.name, message: e.message, isEvalError: e instanceof EvalError } }
        `);
        assert.deepEqual(result, { name: 'EvalError', message: MESSAGES.codeGeneration, isEvalError: true });
      });
    }

    it('an uncaught eval fails the run with the EvalError', async () => {
      const r = await h.run(`eval('globalThis')`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'EvalError');
      assert.equal(r.error?.message, MESSAGES.codeGeneration);
    });

    const CONSTRUCTORS: [string, string][] = [
      ['(function(){}).constructor', '(function(){}).constructor'],
      ['(async function(){}).constructor', '(async function(){}).constructor'],
      ['(function*(){}).constructor', '(function*(){}).constructor'],
      ['(async function*(){}).constructor', '(async function*(){}).constructor'],
      ['Object.getPrototypeOf(async () => {}).constructor', 'Object.getPrototypeOf(async () => {}).constructor'],
      ['(() => {}).constructor', '(() => {}).constructor'],
      ['(class {}).constructor', '(class {}).constructor'],
      ['[].constructor.constructor', '[].constructor.constructor'],
      ['Object.constructor', 'Object.constructor'],
      ['agent.constructor (a runtime primitive)', 'agent.constructor'],
      ['Function.prototype.constructor', 'Function.prototype.constructor'],
      [
        "the 'constructor' descriptor of Function.prototype",
        "Object.getOwnPropertyDescriptor(Function.prototype, 'constructor').value",
      ],
    ];
    for (const [what, expr] of CONSTRUCTORS) {
      it(`${what} cannot compile code (called or constructed)`, async () => {
        const result = await completed(`
          const C = ${expr}
          const out = []
          try { out.push('called:' + typeof C('return 1')) } catch (e) { out.push(e.name + ': ' + e.message) }
          try { out.push('constructed:' + typeof new C('return 1')) } catch (e) { out.push(e.name + ': ' + e.message) }
          try { out.push('reflected:' + typeof Reflect.construct(C, ['return 1'])) } catch (e) { out.push(e.name + ': ' + e.message) }
          return out
        `);
        const refused = `EvalError: ${MESSAGES.codeGeneration}`;
        assert.deepEqual(result, [refused, refused, refused]);
      });
    }

    it('the function constructors cannot be swapped back in', async () => {
      const result = await completed(`
        const out = []
        const protos = [Function.prototype, Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(function* () {})]
        for (const p of protos) {
          try { p.constructor = function () { return 'mine' }; out.push('assigned') } catch (e) { out.push(e.name) }
          try { Object.defineProperty(p, 'constructor', { value: 1 }); out.push('redefined') } catch (e) { out.push(e.name) }
        }
        try { globalThis.eval = (s) => s; out.push('eval replaced') } catch (e) { out.push(e.name) }
        try { globalThis.Function = function () {}; out.push('Function replaced') } catch (e) { out.push(e.name) }
        return out
      `);
      assert.deepEqual(result, [
        'TypeError',
        'TypeError',
        'TypeError',
        'TypeError',
        'TypeError',
        'TypeError',
        'TypeError',
        'TypeError',
      ]);
    });

    it("this.constructor.constructor('return process')() fails", async () => {
      const r = await h.run(`return this.constructor.constructor('return process')()`);
      assert.equal(r.status, 'failed');
      assert.ok(['TypeError', 'EvalError'].includes(r.error!.name), `unexpected ${JSON.stringify(r.error)}`);
      // The same through the global object, which certainly has a constructor.
      const viaGlobal = await h.run(`return globalThis.constructor.constructor('return process')()`);
      assert.equal(viaGlobal.status, 'failed');
      assert.equal(viaGlobal.error?.name, 'EvalError');
      assert.equal(viaGlobal.error?.message, MESSAGES.codeGeneration);
    });
  });

  describe('modules and reserved names are refused before anything runs', () => {
    function parseError(body: string): ScriptError {
      try {
        parseWorkflowScript(META + body, 'escape.js');
      } catch (e) {
        assert.ok(e instanceof ScriptError, `expected a ScriptError, got ${String(e)}`);
        return e;
      }
      assert.fail(`the script was accepted: ${body}`);
    }

    it("dynamic import('fs') is a ScriptError", () => {
      assert.equal(parseError(`const fs = await import('fs')\nreturn fs`).message, MESSAGES.dynamicImport);
      assert.equal(
        parseError(`import('node:child_process').then((m) => m.execSync('id'))`).message,
        MESSAGES.dynamicImport,
      );
    });

    it("static import x from 'fs' is a ScriptError", () => {
      assert.equal(
        parseError(`import fs from 'fs'\nreturn fs.readFileSync('/etc/passwd', 'utf8')`).message,
        MESSAGES.staticImport,
      );
      assert.equal(parseError(`import * as cp from 'child_process'`).message, MESSAGES.staticImport);
    });

    it('identifiers starting with __wRg$ are reserved', () => {
      assert.equal(parseError(`return __wRg$h`).message, MESSAGES.reservedIdentifier('__wRg$h'));
      assert.equal(parseError(`const __wRg$c = 1`).message, MESSAGES.reservedIdentifier('__wRg$c'));
      assert.equal(
        parseError(`function f(__wRg$x) { return __wRg$x }`).message,
        MESSAGES.reservedIdentifier('__wRg$x'),
      );
    });

    it('the engine refuses such scripts without starting a run or an agent', () => {
      assert.throws(() => h.start(`await agent('never'); await import('fs')`), ScriptError);
      assert.throws(() => h.start(`import fs from 'fs'\nawait agent('never')`), ScriptError);
      assert.equal(h.runner.calls.length, 0);
    });
  });

  describe('the host door is not reachable', () => {
    it('__hostCall, host, __wRg$h and other internals are not globals', async () => {
      const result = (await completed(`
        const names = ['__hostCall', 'host', '__hostSync', '__settle', 'settle', 'helpers', 'config', '__wRg$h', '__wRg$' + 'c']
        const out = {}
        for (const n of names) out[n] = [typeof globalThis[n], n in globalThis]
        out.hostIdentifier = typeof host
        out.hostCallIdentifier = typeof __hostCall
        return out
      `)) as Record<string, unknown>;
      assert.deepEqual(result, {
        __hostCall: ['undefined', false],
        host: ['undefined', false],
        __hostSync: ['undefined', false],
        __settle: ['undefined', false],
        settle: ['undefined', false],
        helpers: ['undefined', false],
        config: ['undefined', false],
        __wRg$h: ['undefined', false],
        __wRg$c: ['undefined', false],
        hostIdentifier: 'undefined',
        hostCallIdentifier: 'undefined',
      });
    });

    it('the only non-standard globals are the documented ones', async () => {
      const names = (await completed(`return Object.getOwnPropertyNames(globalThis)`)) as string[];
      const injected = [
        'agent',
        'parallel',
        'pipeline',
        'workflow',
        'phase',
        'log',
        'console',
        'budget',
        'args',
        'setTimeout',
        'clearTimeout',
      ];
      for (const n of injected) assert.ok(names.includes(n), `${n} missing`);
      const suspicious = names.filter((n) => /^_|host|settle|helper|require|process|import/i.test(n));
      assert.deepEqual(suspicious, []);
    });

    it('the body function receives nothing the script can see (no arguments, this undefined)', async () => {
      const result = await completed(`return [typeof this, typeof arguments === 'undefined' ? 0 : arguments.length]`);
      assert.deepEqual(result, ['undefined', 0]);
    });
  });

  describe('promise hijacking', () => {
    it('Promise.prototype.then cannot be replaced, and agent() results still arrive', async () => {
      const r = await h.run(`
        const errors = []
        try { Promise.prototype.then = function () { return 'hijacked' } } catch (e) { errors.push(e.name) }
        try { Object.defineProperty(Promise.prototype, 'then', { value: () => 'hijacked' }) } catch (e) { errors.push(e.name) }
        try { delete Promise.prototype.then; errors.push(typeof Promise.prototype.then) } catch (e) { errors.push(e.name) }
        const a = await agent('a')
        const b = await parallel([() => agent('b')])
        const c = await pipeline(['c'], (x) => agent(x))
        const d = await agent('d').then((v) => v + '!')
        return { errors, a, b, c, d }
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.deepEqual(r.result, {
        errors: ['TypeError', 'TypeError', 'TypeError'],
        a: 'echo:a',
        b: ['echo:b'],
        c: ['echo:c'],
        d: 'echo:d!',
      });
      assert.deepEqual(
        h.runner.calls.map((c) => c.prompt),
        ['a', 'b', 'c', 'd'],
      );
    });

    it('a Promise subclass installed as Symbol.species does not break the primitives', async () => {
      const r = await h.run(`
        class Evil extends Promise {}
        Object.defineProperty(Promise, Symbol.species, { get() { return Evil }, configurable: true })
        Promise.prototype.constructor = Evil
        const a = await agent('a')
        const b = await parallel([() => agent('b')])
        const c = await pipeline(['c'], (x) => agent(x))
        return { a, b, c }
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.deepEqual(r.result, { a: 'echo:a', b: ['echo:b'], c: ['echo:c'] });
    });
  });

  describe('prototype pollution of the bridge', () => {
    // The same agent calls, with and without a polluted realm: prompts, labels, results and the
    // cache keys (agent ids are derived from them) must be identical.
    const CALLS = `
      const a = await agent('one', { label: 'first' })
      const b = await parallel([() => agent('two'), () => agent('three', { label: 'third' })])
      const c = await pipeline(['i1', 'i2'], (x) => agent('p:' + x), (y, item, i) => agent('q:' + item + ':' + i))
      return { a, b0: b[0], b1: b[1], bLen: b.length, c0: c[0], c1: c[1], cLen: c.length }
    `;
    const POLLUTE = `
      Object.prototype.polluted = 'P'
      Object.prototype.label = 'evil label'
      Object.prototype.model = 'evil-model'
      Object.prototype.prompt = 'evil prompt'
      Array.prototype.map = function () { return ['evil'] }
      Array.prototype.push = function () { throw new Error('push is poisoned') }
      Array.prototype.join = function () { return 'evil' }
      Array.prototype.slice = function () { return ['evil'] }
      Array.prototype.concat = function () { return ['evil'] }
      Array.prototype[Symbol.iterator] = function* () { yield 'evil' }
      Array.isArray = () => false
      Function.prototype.call = function () { throw new Error('call is poisoned') }
      Function.prototype.apply = function () { throw new Error('apply is poisoned') }
      Function.prototype.bind = function () { throw new Error('bind is poisoned') }
      JSON.stringify = function () { return '"evil"' }
      JSON.parse = function () { return 'evil' }
      Map.prototype.get = function () { return 'evil' }
      Map.prototype.set = function () { return this }
      Map.prototype.has = function () { return true }
      String.prototype.split = function () { return ['evil'] }
      String.prototype.slice = function () { return 'evil' }
      String.prototype.indexOf = function () { return 0 }
      Reflect.apply = function () { return 'evil' }
      Reflect.construct = function () { return {} }
      Object.defineProperty = function (o) { return o }
      Object.freeze = function (o) { return o }
      Object.create = function () { return {} }
      globalThis.Promise = function () { throw new Error('Promise is poisoned') }
      globalThis.Error = function () { return { message: 'evil' } }
      globalThis.TypeError = globalThis.Error
      globalThis.String = function () { return 'evil' }
    `;
    // POLLUTE breaks the script's own Array/JSON methods too, so the assertions read the results
    // with plain property access only.

    it('agent(), parallel() and pipeline() still send exactly the right prompts and return the right results', async () => {
      const clean = await h.run(CALLS);
      assert.equal(clean.status, 'completed', JSON.stringify(clean.error));
      const cleanCalls = h.runner.calls
        .splice(0)
        .map((c) => ({ prompt: c.prompt, label: c.label, model: c.options.model }));

      const dirty = await h.run(POLLUTE + CALLS);
      assert.equal(dirty.status, 'completed', JSON.stringify(dirty.error));
      const dirtyCalls = h.runner.calls.map((c) => ({ prompt: c.prompt, label: c.label, model: c.options.model }));

      const expectedResult = {
        a: 'echo:one',
        b0: 'echo:two',
        b1: 'echo:three',
        bLen: 2,
        c0: 'echo:q:i1:0',
        c1: 'echo:q:i2:1',
        cLen: 2,
      };
      assert.deepEqual(clean.result, expectedResult);
      assert.deepEqual(dirty.result, expectedResult);
      const byPrompt = <T extends { prompt: string }>(xs: T[]): T[] =>
        [...xs].sort((x, y) => x.prompt.localeCompare(y.prompt));
      assert.deepEqual(byPrompt(dirtyCalls), byPrompt(cleanCalls));
      assert.deepEqual(
        byPrompt(dirtyCalls),
        byPrompt([
          { prompt: 'one', label: 'first', model: undefined },
          { prompt: 'two', label: 'two', model: undefined },
          { prompt: 'three', label: 'third', model: undefined },
          { prompt: 'p:i1', label: 'p:i1', model: undefined },
          { prompt: 'p:i2', label: 'p:i2', model: undefined },
          { prompt: 'q:i1:0', label: 'q:i1:0', model: undefined },
          { prompt: 'q:i2:1', label: 'q:i2:1', model: undefined },
        ]),
      );
      // Cache keys do not depend on the realm's prototypes.
      const ids = (r: typeof clean) =>
        agentEvents(r.events, 'done')
          .map((e) => e.agentId)
          .sort();
      assert.deepEqual(ids(dirty), ids(clean));
      assert.equal(ids(dirty).length, 7);
    });

    it('Object.prototype.toJSON cannot forge the result, the error or the group bookkeeping', async () => {
      const ok = await h.run(`
        Object.prototype.toJSON = function () { return 'forged' }
        const [x] = await parallel([() => agent('x')])
        return 42
      `);
      assert.equal(ok.status, 'completed', JSON.stringify(ok.error));
      assert.equal(ok.result, 42);
      const groupEnd = ok.events.find((e) => e.type === 'groupEnd') as { failedSlots: unknown } | undefined;
      assert.deepEqual(groupEnd?.failedSlots, []);

      const failed = await h.run(`
        Object.prototype.toJSON = function () { return 'forged' }
        throw new RangeError('real error')
      `);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.name, 'RangeError');
      assert.equal(failed.error?.message, 'real error');

      const fn = await h.run(`
        Object.prototype.toJSON = function () { return 'forged' }
        return () => 1
      `);
      assert.equal(fn.status, 'failed');
      assert.equal(fn.error?.message, MESSAGES.resultFunction);
    });

    it('Object.prototype.get/set do not break how agent errors reach the script', async () => {
      const r = await h.run(`
        Object.prototype.get = function () { return 'evil' }
        Object.prototype.set = function () {}
        let caught
        try { await agent('x', { isolation: 'remote' }) } catch (e) { caught = [e.name, e.message, typeof e.stack] }
        const slots = await parallel([() => agent('y', { isolation: 'remote' }), () => agent('z')])
        return { caught, slot0: slots[0], slot1: slots[1] }
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.deepEqual(r.result, {
        caught: ['Error', MESSAGES.isolationRemote, 'string'],
        slot0: null,
        slot1: 'echo:z',
      });
    });

    it('replacing the global constructors the script sees does not reach the primitives', async () => {
      const r = await h.run(`
        globalThis.JSON = null; globalThis.Reflect = null; globalThis.Object = null; globalThis.Array = null
        globalThis.Map = null; globalThis.Symbol = null
        const a = await agent('one')
        const b = await parallel([() => agent('two')])
        log('still logging')
        return a + '|' + b[0]
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.equal(r.result, 'echo:one|echo:two');
      assert.deepEqual(r.logs, ['still logging']);
    });
  });

  describe('hostile values', () => {
    it('a Proxy or getter thrown as the error cannot hang the run', async () => {
      for (const thrown of [
        `new Proxy({}, { get() { for (;;) {} } })`,
        `{ get message() { for (;;) {} } }`,
        `Object.defineProperty(new Error('m'), 'name', { get() { for (;;) {} } })`,
      ]) {
        const r = await h.run(`throw ${thrown}`);
        assert.equal(r.status, 'failed', thrown);
        assert.equal(typeof r.error?.message, 'string');
        assert.equal(typeof r.error?.name, 'string');
      }
      const rejected = await h.run(`await Promise.reject(new Proxy({}, { get() { for (;;) {} } }))`);
      assert.equal(rejected.status, 'failed');
    });

    it('hostile prompts and options stay data: a Proxy, a Symbol, a throwing toJSON', async () => {
      const r = await h.run(`
        const out = {}
        out.proxyPrompt = await agent(new Proxy({}, { get() { throw new Error('trap') } }))
        out.symbolPrompt = await agent(Symbol('s'))
        try { await agent('opts', { toJSON() { throw new Error('no json') } }) } catch (e) { out.optsError = e.name }
        try { await agent('opts', new Proxy({}, { ownKeys() { throw new Error('trap') } })) } catch (e) { out.proxyOptsError = e.name }
        return out
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.deepEqual(r.result, {
        proxyPrompt: 'echo:[object]',
        symbolPrompt: 'echo:Symbol(s)',
        optsError: 'TypeError',
        proxyOptsError: 'TypeError',
      });
      assert.deepEqual(
        h.runner.calls.map((c) => c.prompt),
        ['[object]', 'Symbol(s)'],
      );
    });
  });

  describe('the host survives', () => {
    it('after a series of hostile scripts the process is intact and a normal run works', async () => {
      const hostile = [
        `Object.prototype.toJSON = function () { return 'x' }; return 1`,
        `Object.prototype.toJSON = function () { return 'x' }; throw new Error('e')`,
        `throw new Proxy({}, { get() { for (;;) {} } })`,
        `let o = []; for (let i = 0; i < 1e5; i++) o = [o]; return o`,
        `const o = {}; o.o = o; return o`,
        `return 10n`,
        `throw Symbol('s')`,
        `throw undefined`,
        `Object.defineProperty(Object.prototype, '0', { set() { throw new Error('set') }, configurable: true }); return [1]`,
        `setTimeout(() => { for (;;) {} }, 1); await new Promise((r) => setTimeout(r, 50))`,
        `agent('a').then(() => { for (;;) {} }); await new Promise(() => {})`,
      ];
      for (const src of hostile) {
        const r = await h.run(src);
        assert.ok(['completed', 'failed'].includes(r.status), src);
        if (r.status === 'failed') {
          assert.equal(typeof r.error?.name, 'string', src);
          assert.equal(typeof r.error?.message, 'string', src);
        }
      }
      const normal = await h.run(`return await agent('after')`);
      assert.equal(normal.status, 'completed');
      assert.equal(normal.result, 'echo:after');
    });
  });
});
