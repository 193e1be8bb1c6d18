// The plan a run starts with (issue 11 item 5) is kept with the run: made after the start (the
// run never waits for it), announced on the event stream, written to run.json, and read back by a
// resume, which neither makes it again nor loses it. A plan that cannot be made is no plan.
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';
import type { RunPlan } from '../../../src/core/types';

const PLAN: RunPlan = { agents: { low: 3, high: 3 }, costUsd: { low: 0.02, high: 0.4 }, basis: 'static' };
const THREE = `return await parallel([1, 2, 3].map((i) => () => agent('task ' + i)))`;
const cost = { input: 100, output: 50, cacheRead: 0, cacheWrite: 0, costUsd: 0.01 };

describe('engine: the run keeps its priced plan', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('makes the plan after the start, announces it and writes it to run.json; the final record keeps it', async () => {
    h = createHarness({ rules: [{ match: 'task', hold: true, usage: cost }] });
    let release!: (p: RunPlan) => void;
    const run = h.start(THREE, { concurrency: 3, plan: () => new Promise<RunPlan>((r) => (release = r)) });
    // Every agent reaches the runner while the plan is still being made: the start did not wait.
    await waitFor(() => h.runner.calls.length === 3);
    assert.equal(h.store.readRecord(run.runId)?.plan, undefined);
    const planEvent = new Promise<RunPlan>((resolve) =>
      run.events.subscribe((b) => {
        for (const e of b) if (e.type === 'plan') resolve(e.plan);
      }),
    );
    release(PLAN);
    assert.deepEqual(await planEvent, PLAN);
    assert.deepEqual(h.store.readRecord(run.runId)?.plan, PLAN, 'written while the run goes');
    h.runner.release();
    const result = await run.done;
    assert.equal(result.status, 'completed');
    assert.deepEqual(h.store.readRecord(run.runId)?.plan, PLAN, 'kept by the final record');
  });

  it('a plan that fails or is malformed is no plan: the run completes with spend only', async () => {
    h = createHarness();
    const failed = await h.run(THREE, {
      plan: () => {
        throw new Error('estimator broke');
      },
    });
    assert.equal(failed.status, 'completed');
    assert.equal(h.store.readRecord(failed.runId)?.plan, undefined);
    assert.ok(!failed.events.some((e) => e.type === 'plan'));
    const rejected = await h.run(THREE, { plan: () => Promise.reject(new Error('no history')) });
    assert.equal(rejected.status, 'completed');
    const malformed = await h.run(THREE, {
      plan: async () => ({ agents: { low: 9, high: 1 }, costUsd: { low: 0, high: 1 }, basis: 'static' }),
    });
    assert.equal(malformed.status, 'completed');
    assert.equal(h.store.readRecord(malformed.runId)?.plan, undefined);
  });

  it("a resume reads the plan from run.json (not made again) and carries the earlier sessions' spend", async () => {
    let holding = true;
    h = createHarness({
      rules: [
        { match: (r) => holding && r.prompt === 'task 2', hold: true, usage: cost },
        { match: 'task', usage: cost },
      ],
    });
    const first = h.start(`await agent('task 1'); await agent('task 2'); return 'ok'`, { plan: async () => PLAN });
    const planned = new Promise<void>((resolve) =>
      first.events.subscribe((b) => b.some((e) => e.type === 'plan') && resolve(), { replay: true }),
    );
    await planned;
    await waitFor(() => h.runner.calls.length === 2);
    holding = false;
    first.stop();
    const stopped = await first.done;
    const spentBefore = h.store.readRecord(first.runId)?.usage.costUsd ?? 0;
    let madeAgain = 0;
    const resumed = await h.resume(stopped.runId, {
      plan: async () => {
        madeAgain++;
        return PLAN;
      },
    });
    assert.equal(resumed.status, 'completed');
    assert.equal(madeAgain, 0, 'the kept plan is used');
    const start = resumed.events.find((e) => e.type === 'run' && e.state === 'running');
    assert.ok(start?.type === 'run');
    assert.deepEqual(start.plan, PLAN);
    assert.ok(spentBefore > 0, 'task 1 was paid in the first session');
    assert.equal(start.earlierCostUsd, spentBefore);
    assert.deepEqual(h.store.readRecord(stopped.runId)?.plan, PLAN);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
