import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';
import { AGENT_CAP_ERROR, MESSAGES } from '../../../src/core/errors';

describe('engine: per-run settings', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('maxAgents raises or lowers the agent cap for one run', async () => {
    const src = `
      const out = []
      for (let i = 0; i < 6; i++) {
        try { out.push(await agent('a' + i)) } catch (e) { out.push(e.name + ': ' + e.message) }
      }
      return out`;
    const r = await h.run(src, { maxAgents: 4 });
    assert.deepEqual(r.result, [
      'echo:a0',
      'echo:a1',
      'echo:a2',
      'echo:a3',
      `${AGENT_CAP_ERROR}: ${MESSAGES.agentCap(4)}`,
      `${AGENT_CAP_ERROR}: ${MESSAGES.agentCap(4)}`,
    ]);
    const big = await h.run(
      `return (await pipeline(Array.from({ length: 400 }, (_, i) => i), x => agent('s1 ' + x), y => agent('s2 ' + y), z => agent('s3 ' + z))).length`,
      { maxAgents: 1200 },
    );
    assert.equal(big.result, 400);
    assert.equal(big.agents.done, 1200);
  });

  it('concurrency bounds the agents in flight', async () => {
    h.cleanup();
    h = createHarness({ defaultDelayMs: 5 });
    await h.run(`return await parallel(Array.from({ length: 30 }, (_, i) => () => agent('p' + i)))`, {
      concurrency: 3,
    });
    assert.equal(h.runner.maxInFlight, 3);
  });
});
