import assert from 'node:assert/strict';
import { createHarness, agentEvents, type Harness } from '../../fakes/engineHarness';

describe('engine: a script end to end', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('runs agents in the sandbox and returns the script result', async () => {
    const r = await h.run(`
      const a = await agent('first')
      const [b, c] = await parallel([() => agent('b'), () => agent('c')])
      return { a, b, c }
    `);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.result, { a: 'echo:first', b: 'echo:b', c: 'echo:c' });
    assert.equal(h.runner.calls.length, 3);
    assert.deepEqual(r.agents, { total: 3, done: 3, cached: 0, failed: 0, skipped: 0 });
    assert.equal(agentEvents(r.events, 'done').length, 3);
  });

  it('replays every finished agent on resume without calling the runner', async () => {
    const src = `return await parallel([1, 2, 3].map(i => () => agent('p' + i)))`;
    const first = await h.run(src);
    const second = await h.resume(first.runId);
    assert.equal(h.runner.calls.length, 3);
    assert.deepEqual(second.result, first.result);
    assert.equal(second.agents.cached, 3);
  });
});
