// Resource limits and failure reporting (spec §2.3, §2.6; findings §2): runaway loops, memory
// bombs, deep recursion and deep data end the run with a clear error and leave the host working;
// results and uncaught throws are reported the way the spec says; unawaited agents are stopped.
import assert from 'node:assert/strict';
import { createHarness, agentEvents, META, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';

const RAN_TOO_LONG = /ran for more than \d+ ms without awaiting/;

describe('sandbox: limits and failures', function () {
  this.timeout(60_000);
  let h: Harness;
  // The pre-30 s slice: runaways end fast here; the default is covered in slice.test.ts.
  beforeEach(() => (h = createHarness({ rules: [{ match: 'slow', hold: true }], limits: { sliceMs: 800 } })));
  afterEach(() => h.cleanup());

  /** A run after a failure still works: the host and the engine are intact. */
  async function hostStillWorks(): Promise<void> {
    const r = await h.run(`return await agent('still alive')`);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.equal(r.result, 'echo:still alive');
  }

  describe('a synchronous runaway', () => {
    it('while(true){} fails within a few seconds, saying it ran too long without awaiting', async () => {
      const started = Date.now();
      const r = await h.run(`while (true) {}`);
      const elapsed = Date.now() - started;
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, RAN_TOO_LONG);
      // Stopped within about the harness's explicit slice (800 ms).
      assert.ok(elapsed < 5000, `took ${elapsed} ms`);
      await hostStillWorks();
    });

    it('after an await, a runaway loop is stopped the same way', async () => {
      const r = await h.run(`await agent('first')\nfor (let i = 0; ; i++) {}`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, RAN_TOO_LONG);
    });

    it('the interrupt cannot be caught: neither catch nor finally runs', async () => {
      const r = await h.run(`
        try { while (true) {} }
        catch (e) { log('caught ' + e.message); return 'caught' }
        finally { log('finally ran') }
      `);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, RAN_TOO_LONG);
      assert.deepEqual(r.logs, []);
    });

    it('a runaway inside a .then callback or a timer callback is stopped too', async () => {
      const inThen = await h.run(`await agent('a').then(() => { for (;;) {} })`);
      assert.equal(inThen.status, 'failed');
      assert.match(inThen.error!.message, RAN_TOO_LONG);
      // Timer callback errors are swallowed (spec §3.9), but the interrupt is not an error.
      const inTimer = await h.run(
        `setTimeout(() => { for (;;) {} }, 1)\nawait new Promise((r) => setTimeout(r, 5000))\nreturn 'not stopped'`,
      );
      assert.equal(inTimer.status, 'failed');
      assert.match(inTimer.error!.message, RAN_TOO_LONG);
    });

    // Microtasks run inside one VM entry: a loop awaiting only settled promises never returns to
    // the host, so it is the same runaway and must not be blamed on a promise that never settles.
    const ASYNC_LOOPS: [string, string][] = [
      ['while (true) await null', 'while (true) { await null }'],
      ['for (;;) await Promise.resolve()', 'for (;;) await Promise.resolve()'],
      ['a looping async helper awaited', 'const spin = async () => { for (;;) await 0 }\nawait spin()'],
      [
        'a looping async helper not awaited',
        'const spin = async () => { for (;;) await 0 }\nspin()\nawait new Promise(() => {})',
      ],
      [
        'a .then chain that re-arms itself',
        'const step = () => Promise.resolve().then(step)\nstep()\nawait new Promise(() => {})',
      ],
      [
        'inside parallel(), after an agent',
        "await agent('first')\nawait parallel([async () => { for (;;) await null }])",
      ],
    ];
    for (const [what, body] of ASYNC_LOOPS) {
      it(`a CPU-bound async loop (${what}) is reported as a runaway, not as a promise that can never settle`, async () => {
        const started = Date.now();
        const r = await h.run(body);
        assert.equal(r.status, 'failed');
        assert.match(r.error!.message, RAN_TOO_LONG);
        assert.match(r.error!.message, /awaits only already-settled promises/);
        assert.doesNotMatch(r.error!.message, /can never settle/);
        assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      });
    }

    it('after a CPU-bound async loop the host still runs scripts', async () => {
      await h.run('while (true) { await null }');
      await hostStillWorks();
    });

    it('an interrupted run does not leave agents running', async () => {
      const r = await h.run(`
        agent('slow one')
        agent('slow two')
        await new Promise((resolve) => setTimeout(resolve, 50))
        while (true) {}
      `);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, RAN_TOO_LONG);
      assert.equal(r.agents.total, 2);
      assert.equal(r.agents.done, 0);
      assert.equal(h.runner.calls.length, 2, 'both agents had reached the runner');
      assert.equal(agentEvents(r.events, 'stopped').length, 2);
      assert.equal(agentEvents(r.events, 'done').length, 0);
      // The runner's calls were aborted: nothing is held, nothing is in flight.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(h.runner.heldCount, 0);
      assert.equal(h.runner.inFlight, 0);
    });
  });

  describe('memory', () => {
    it('a memory bomb fails with the memory-cap message and the host survives', async () => {
      const r = await h.run(`let s = 'x'; const a = []; for (;;) a.push(s.repeat(1 << 20))`, {
        limits: { memoryMb: 64 },
      });
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /more than the 64 MB memory cap/);
      await hostStillWorks();
    });

    it('one huge allocation fails the same way', async () => {
      const r = await h.run(`const s = 'x'.repeat(200 * 1024 * 1024); return s.length`, { limits: { memoryMb: 64 } });
      assert.equal(r.status, 'failed');
      assert.equal(typeof r.error?.message, 'string');
      assert.match(r.error!.message, /memory|string too long/i);
      await hostStillWorks();
    });
  });

  describe('deep recursion and deep data', () => {
    it('unbounded recursion fails with a stack-overflow error whose stack is short', async () => {
      const r = await h.run(`function f(n) { return f(n + 1) }\nf(0)`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /stack/i);
      const frames = (r.error!.stack ?? '').split('\n').filter((l) => l.trim());
      assert.ok(frames.length > 0, 'the stack names where it happened');
      assert.ok(frames.length <= 5, `stack has ${frames.length} frames:\n${r.error!.stack}`);
      assert.match(frames[0], /\bf\b/);
      await hostStillWorks();
    });

    it('deeply nested JSON.stringify fails cleanly without crashing the process', async () => {
      const r = await h.run(`let o = []; for (let i = 0; i < 1e5; i++) o = [o]; JSON.stringify(o)`);
      assert.equal(r.status, 'failed');
      assert.equal(typeof r.error?.message, 'string');
      // Either the guest's own stack guard or the parent's watchdog stopped it.
      assert.match(r.error!.message, /stack|stuck|ran for more than/i);
      await hostStillWorks();
    });

    it('deeply nested data as the result fails cleanly too', async () => {
      const r = await h.run(`let o = []; for (let i = 0; i < 1e5; i++) o = [o]; return o`);
      assert.equal(r.status, 'failed');
      assert.equal(typeof r.error?.message, 'string');
      await hostStillWorks();
    });
  });

  describe('the result (spec §2.6)', () => {
    it('a function result fails the run with the official message', async () => {
      for (const src of [`return () => 1`, `return agent`, `return async function named() {}`]) {
        const r = await h.run(src);
        assert.equal(r.status, 'failed', src);
        assert.equal(r.error?.message, MESSAGES.resultFunction, src);
      }
    });

    it('a cyclic result fails with a clear error', async () => {
      const r = await h.run(`const o = { name: 'loop' }; o.self = o; return o`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /workflow result must be JSON data/);
      assert.match(r.error!.message, /circular/i);
    });

    it('a BigInt result fails with a clear error', async () => {
      const r = await h.run(`return { n: 1n }`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /workflow result must be JSON data/);
    });

    it('functions nested in an object result are dropped, the rest is kept', async () => {
      const r = await h.run(`return { keep: 1, drop: () => 2, list: [1, () => 3] }`);
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, { keep: 1, list: [1, null] });
    });
  });

  describe('uncaught exceptions', () => {
    it('report the name, the message and the line of the throw in the user file', async () => {
      const source = `${META}const a = 1
const b = 2

throw new TypeError('boom')
`;
      assert.equal(source.split('\n')[4], "throw new TypeError('boom')");
      const r = await h.run(source);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'TypeError');
      assert.equal(r.error?.message, 'boom');
      assert.match(r.error!.stack ?? '', /test\.js:5:\d+/);
      assert.ok((r.error!.stack ?? '').split('\n').filter((l) => l.trim()).length <= 5);
    });

    it('a throw after an await, inside a helper, points at the helper line', async () => {
      const source = `${META}async function helper(x) {
  await agent('h')
  throw new RangeError('bad ' + x)
}
await helper(7)
`;
      const r = await h.run(source);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'RangeError');
      assert.equal(r.error?.message, 'bad 7');
      assert.match(r.error!.stack ?? '', /test\.js:4:\d+/);
    });

    it("throw 'x' (not an Error) fails the run with the value in the message", async () => {
      const r = await h.run(`throw 'x marks the spot'`);
      assert.equal(r.status, 'failed');
      assert.equal(typeof r.error?.name, 'string');
      assert.match(r.error!.message, /x marks the spot/);
    });

    it('throwing null, undefined, a number or a plain object still fails cleanly', async () => {
      for (const [thrown, shows] of [
        ['null', /null/],
        ['undefined', /undefined/],
        ['42', /42/],
        ['{ code: 7 }', /code/],
      ] as const) {
        const r = await h.run(`throw ${thrown}`);
        assert.equal(r.status, 'failed', thrown);
        assert.match(r.error!.message, shows, thrown);
      }
    });
  });

  describe('promises that can never settle', () => {
    it('awaiting new Promise(() => {}) with nothing pending fails instead of hanging', async () => {
      const r = await h.run(`await new Promise(() => {})\nreturn 'never'`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /can never settle/);
    });

    it('the check runs again once the last timer has fired', async () => {
      const r = await h.run(`await new Promise(() => { setTimeout(() => {}, 20) })\nreturn 'never'`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /can never settle/);
    });

    it('a pending agent is not mistaken for a deadlock', async () => {
      const run = h.start(`return await agent('slow but fine')`);
      await h.runner.waitForCalls(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(h.runner.release('slow'), 1);
      const r = await run.done;
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.equal(r.result, 'echo:slow but fine');
    });
  });

  describe('agents still running when the script returns (spec §2.6)', () => {
    it('are stopped; the run completes with the script result', async () => {
      const r = await h.run(`
        agent('slow, never awaited')
        const fast = await agent('fast')
        return fast
      `);
      assert.equal(r.status, 'completed', JSON.stringify(r.error));
      assert.equal(r.result, 'echo:fast');
      const stopped = agentEvents(r.events, 'stopped');
      assert.equal(stopped.length, 1);
      assert.equal(stopped[0].label, 'slow, never awaited');
      assert.equal(stopped[0].error?.message, MESSAGES.stoppedUnawaited);
      assert.ok(
        h.runner.calls.some((c) => c.prompt === 'slow, never awaited'),
        'the agent had reached the runner',
      );
      assert.deepEqual(
        agentEvents(r.events, 'done').map((e) => e.label),
        ['fast'],
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(h.runner.heldCount, 0);
      assert.equal(h.runner.inFlight, 0);
    });

    it('a script that returns without awaiting anything stops its agents as well', async () => {
      const r = await h.run(`agent('slow a'); parallel([() => agent('slow b')]); return 'bye'`);
      assert.equal(r.status, 'completed');
      assert.equal(r.result, 'bye');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(h.runner.heldCount, 0);
      assert.equal(h.runner.inFlight, 0);
      assert.equal(agentEvents(r.events, 'done').length, 0);
      assert.deepEqual(
        agentEvents(r.events, 'stopped')
          .map((e) => e.label)
          .sort(),
        ['slow a', 'slow b'],
      );
    });
  });
});
