// parallel(thunks): argument errors, order, failing slots become null with a log line, it is a
// barrier, the 4096-item limit, and plain values (spec §3.2; Appendix B row 6).
import assert from 'node:assert/strict';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';

const caught = (expr: string) => `
  try { await ${expr}; return 'no error' } catch (e) { return [e.name, e.message] }
`;

describe('engine: parallel()', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('rejects a non-array with the official TypeError', async () => {
    for (const arg of [`'abc'`, `undefined`, `{ length: 1, 0: () => 1 }`, `() => agent('x')`]) {
      const r = await h.run(caught(`parallel(${arg})`));
      assert.deepEqual(r.result, ['TypeError', MESSAGES.parallelNotArray], arg);
    }
    assert.equal(MESSAGES.parallelNotArray, 'parallel() expects an array of functions');
  });

  it('rejects an element that is a promise (or any non-function) with the wrap hint, starting nothing of its own', async () => {
    const r = await h.run(caught(`parallel([() => agent('ok'), agent('eager')])`));
    assert.deepEqual(r.result, ['TypeError', MESSAGES.parallelNotFunction]);
    assert.equal(
      MESSAGES.parallelNotFunction,
      'parallel() expects an array of functions, not promises. Wrap each call: () => agent(...)',
    );
    // The eager agent() was the script's own call; the thunk never ran.
    assert.deepEqual(
      h.runner.calls.map((c) => c.prompt),
      ['eager'],
    );
    const r2 = await h.run(caught(`parallel([() => 1, 'two'])`));
    assert.deepEqual(r2.result, ['TypeError', MESSAGES.parallelNotFunction]);
  });

  it('resolves an empty array to []', async () => {
    const r = await h.run(`const r = await parallel([]); return [Array.isArray(r), r.length]`);
    assert.deepEqual(r.result, [true, 0]);
    assert.equal(h.runner.calls.length, 0);
  });

  it('keeps input order regardless of completion order', async () => {
    // Slot 0 is the slowest, slot 3 the fastest.
    h.runner.rule({ match: /^p\d$/, delayMs: (req) => (4 - Number(req.prompt[1])) * 20 });
    const r = await h.run(`return await parallel([0, 1, 2, 3].map(i => () => agent('p' + i)))`, { concurrency: 4 });
    assert.deepEqual(r.result, ['echo:p0', 'echo:p1', 'echo:p2', 'echo:p3']);
    // They really did finish in reverse order.
    assert.deepEqual(
      agentEvents(r.events, 'done').map((e) => e.label),
      ['p3', 'p2', 'p1', 'p0'],
    );
  });

  it('turns a throwing or rejecting thunk into null with `parallel[i] failed: <msg>`, never rejecting', async () => {
    h.runner.rule({
      match: 'api-dead',
      outcome: { kind: 'error', error: { name: 'Error', message: 'agent stalled' } },
    });
    const r = await h.run(`
      const r = await parallel([
        () => agent('fine'),
        () => { throw new Error('sync boom') },
        async () => { throw new TypeError('async boom') },
        () => agent('api-dead'),
        () => Promise.reject('a bare string'),
        () => agent('x', { effort: 'wild' }),
      ])
      return r
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, ['echo:fine', null, null, null, null, null]);
    const lines = logLines(r.events);
    assert.ok(lines.includes('parallel[1] failed: sync boom'), lines.join('\n'));
    assert.ok(lines.includes('parallel[2] failed: async boom'));
    assert.ok(lines.includes('parallel[3] failed: agent stalled'));
    assert.ok(lines.includes('parallel[4] failed: a bare string'));
    assert.ok(lines.some((l) => l.startsWith("parallel[5] failed: agent() option 'effort'")));
    assert.ok(!lines.some((l) => l.startsWith('parallel[0]')));
    const end = r.events.find((e) => e.type === 'groupEnd');
    assert.deepEqual(end && end.type === 'groupEnd' ? end.failedSlots.slice().sort() : undefined, [1, 2, 3, 4, 5]);
  });

  it('turns a null agent into a null slot without a parallel[i] line (the agent line says why)', async () => {
    h.runner.rule({ match: 'gone', outcome: { kind: 'null', reason: 'rate limited' } });
    const r = await h.run(`return await parallel([() => agent('gone', { label: 'L' }), () => agent('ok')])`);
    assert.deepEqual(r.result, [null, 'echo:ok']);
    const lines = logLines(r.events);
    assert.ok(lines.includes('[L] failed: rate limited'));
    assert.ok(!lines.some((l) => l.startsWith('parallel[')));
  });

  it('is a barrier: code after it starts only when every slot settled', async () => {
    h.runner.rule({ match: 'slow', hold: true });
    const run = h.start(`
      const r = await parallel([() => agent('fast'), () => agent('slow')])
      const after = await agent('after')
      return [r, after]
    `);
    await h.runner.waitForCalls(2);
    // Give the fast slot every chance to finish and the script to move on if it (wrongly) would.
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(h.runner.calls.map((c) => c.prompt).sort(), ['fast', 'slow']);
    assert.equal(h.runner.release('slow'), 1);
    const res = await run.done;
    assert.equal(res.status, 'completed');
    assert.deepEqual(res.result, [['echo:fast', 'echo:slow'], 'echo:after']);
    assert.equal(h.runner.calls[2].prompt, 'after');
  });

  it('refuses 4097 items with an explicit error (no truncation); 4096 is fine', async () => {
    const r = await h.run(caught(`parallel(Array.from({ length: 4097 }, (_, i) => () => i))`));
    assert.deepEqual(r.result, ['RangeError', MESSAGES.tooManyItems('parallel', 4097, 4096)]);
    const ok = await h.run(
      `const r = await parallel(Array.from({ length: 4096 }, (_, i) => () => i)); return [r.length, r[0], r[4095]]`,
    );
    assert.deepEqual(ok.result, [4096, 0, 4095]);
  });

  it('lets thunks return plain values, undefined and nested parallel results', async () => {
    const r = await h.run(`
      const r = await parallel([
        () => 1,
        () => 'two',
        () => null,
        () => undefined,
        async () => ({ k: 5 }),
        () => parallel([() => agent('inner a'), () => agent('inner b')]),
      ])
      return { r, undefinedKept: r[3] === undefined, len: r.length }
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    const res = r.result as { r: unknown[]; undefinedKept: boolean; len: number };
    assert.deepEqual(res.r, [1, 'two', null, null, { k: 5 }, ['echo:inner a', 'echo:inner b']]);
    assert.equal(res.undefinedKept, true);
    assert.equal(res.len, 6);
  });

  it('starts all thunks at once (agents then queue on the gate)', async () => {
    h.runner.rule({ match: 'w', hold: true });
    const run = h.start(`return await parallel([1, 2, 3, 4].map(i => () => agent('w' + i)))`, { concurrency: 8 });
    await h.runner.waitForCalls(4);
    assert.equal(h.runner.heldCount, 4);
    h.runner.release();
    const res = await run.done;
    assert.deepEqual(res.result, ['echo:w1', 'echo:w2', 'echo:w3', 'echo:w4']);
  });
});
