import assert from 'node:assert/strict';
import type { AgentProgress, AgentRequest } from '../../../src/core/ports';
import type { TokenUsage } from '../../../src/core/types';
import { FakeRunner } from '../../fakes/fakeRunner';

let nextId = 0;
const req = (prompt: string, extra: Partial<AgentRequest> = {}): AgentRequest => ({
  runId: 'r1',
  agentId: `a${nextId++}`,
  index: nextId,
  prompt,
  label: prompt,
  options: {},
  attempt: 1,
  ...extra,
});
const live = () => new AbortController().signal;
const noProgress: AgentProgress = {};
const isAbortError = (e: unknown) => e instanceof Error && e.name === 'AbortError';

describe('FakeRunner', () => {
  it('echoes the prompt by default and reports default usage', async () => {
    const runner = new FakeRunner();
    const usage: TokenUsage[] = [];
    const out = await runner.run(req('hello'), live(), { usage: (u) => usage.push(u) });
    assert.deepEqual(out, {
      kind: 'done',
      result: 'echo:hello',
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 },
    });
    assert.deepEqual(usage, [{ input: 10, output: 5, cacheRead: 0, cacheWrite: 0 }]);
  });

  it('uses the first matching rule: substring, regex, predicate', async () => {
    const runner = new FakeRunner({ rules: [{ match: 'review', reply: 'R1' }], defaultReply: (r) => `d:${r.label}` })
      .rule({ match: 'review', reply: 'never: an earlier rule matches' })
      .rule({ match: /^count (\d+)$/g, reply: (r: AgentRequest) => ({ n: Number(r.prompt.split(' ')[1]) }) })
      .rule({
        match: (r) => r.options.model === 'opus',
        reply: 'big',
        usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 },
      });
    const result = async (r: AgentRequest) => {
      const o = await runner.run(r, live(), noProgress);
      assert.equal(o.kind, 'done');
      return o.kind === 'done' ? o : undefined;
    };
    assert.equal((await result(req('please review a.ts')))?.result, 'R1');
    // A /g regex must match every time (no lastIndex carry-over).
    assert.deepEqual((await result(req('count 3')))?.result, { n: 3 });
    assert.deepEqual((await result(req('count 4')))?.result, { n: 4 });
    const big = await result(req('x', { options: { model: 'opus' } }));
    assert.equal(big?.result, 'big');
    assert.deepEqual(big?.usage, { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 });
    assert.equal((await result(req('other', { label: 'L' })))?.result, 'd:L');
  });

  it('returns a rule outcome as given (null, error)', async () => {
    const runner = new FakeRunner({
      rules: [
        { match: 'nil', outcome: { kind: 'null', reason: 'api 400' } },
        { match: 'bad', outcome: (r) => ({ kind: 'error', error: { name: 'StallError', message: r.prompt } }) },
      ],
    });
    assert.deepEqual(await runner.run(req('nil'), live(), noProgress), { kind: 'null', reason: 'api 400' });
    assert.deepEqual(await runner.run(req('bad one'), live(), noProgress), {
      kind: 'error',
      error: { name: 'StallError', message: 'bad one' },
    });
  });

  it('holds matching calls until released, and counts calls in flight', async () => {
    const runner = new FakeRunner({ rules: [{ match: 'slow', hold: true }] });
    const done: string[] = [];
    const all = ['slow 1', 'fast', 'slow 2', 'slow 3'].map((p) =>
      runner.run(req(p), live(), noProgress).then(() => done.push(p)),
    );
    await runner.waitForCalls(4);
    assert.deepEqual(
      runner.calls.map((c) => c.prompt),
      ['slow 1', 'fast', 'slow 2', 'slow 3'],
    );
    assert.equal(runner.heldCount, 3);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(done, ['fast']);
    assert.equal(runner.inFlight, 3);
    assert.equal(runner.maxInFlight, 4);
    assert.equal(runner.release('slow 2'), 1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(done, ['fast', 'slow 2']);
    assert.equal(runner.release(/nothing/), 0);
    assert.equal(runner.release(), 2);
    await Promise.all(all);
    assert.equal(runner.inFlight, 0);
    assert.equal(runner.maxInFlight, 4);
  });

  it('rejects with AbortError when aborted while held, while delayed, or before', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await new Promise((r) => setImmediate(r)); // let mocha arm its own per-test timer first
    const before = timers();
    const runner = new FakeRunner({
      rules: [
        { match: 'held', hold: true },
        { match: 'late', delayMs: 60_000 },
      ],
    });
    const ac1 = new AbortController();
    const held = runner.run(req('held'), ac1.signal, noProgress);
    const ac2 = new AbortController();
    const delayed = runner.run(req('late'), ac2.signal, noProgress);
    ac1.abort();
    ac2.abort();
    await assert.rejects(held, isAbortError);
    await assert.rejects(delayed, isAbortError); // would time the test out if the delay were not cut short
    assert.equal(timers(), before, 'the aborted delay must clear its timer');
    assert.equal(runner.heldCount, 0);
    assert.equal(runner.release(), 0);
    const ac3 = new AbortController();
    ac3.abort();
    await assert.rejects(runner.run(req('instant'), ac3.signal, noProgress), isAbortError);
    assert.equal(runner.inFlight, 0);
  });

  it('applies rule and default delays', async () => {
    const runner = new FakeRunner({ defaultDelayMs: 30, rules: [{ match: 'quick', delayMs: () => 0 }] });
    const t = Date.now();
    await runner.run(req('slow'), live(), noProgress);
    assert.ok(Date.now() - t >= 25);
    // The rule's zero delay wins over the default: the quick call finishes while a 30 ms
    // default-delay call started together is still pending (ordering, not wall time).
    const order: string[] = [];
    await Promise.all([
      runner.run(req('slow'), live(), noProgress).then(() => order.push('slow')),
      runner.run(req('quick'), live(), noProgress).then(() => order.push('quick')),
    ]);
    assert.deepEqual(order, ['quick', 'slow']);
  });

  it('answers on a microtask when there is no delay or hold', async () => {
    const runner = new FakeRunner();
    let settled = false;
    void runner.run(req('now'), live(), noProgress).then(() => (settled = true));
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        // setImmediate runs after all microtasks: an instant runner has answered by then.
        assert.equal(settled, true);
        resolve();
      }),
    );
  });

  it('waitForCalls rejects when the calls never come', async () => {
    const runner = new FakeRunner();
    await assert.rejects(runner.waitForCalls(1, 20), /expected 1 calls/);
    void runner.run(req('x'), live(), noProgress);
    await runner.waitForCalls(1, 20);
  });

  it('reports the configured agent types', () => {
    assert.equal(new FakeRunner().agentTypes(), undefined);
    assert.deepEqual(new FakeRunner({ agentTypes: ['Explore', 'Plan'] }).agentTypes(), ['Explore', 'Plan']);
  });
});
