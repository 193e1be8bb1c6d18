// The run node's pause: a cap's pause stays on a run that ended paused; the usage limit's pause
// comes and goes while the run is live and never outlives it.
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/core/run/events';
import { RunTrace } from '../../../src/core/run/trace';
import type { PauseInfo } from '../../../src/core/types';

const run = (state: 'running' | 'paused' | 'completed', paused?: PauseInfo): RunEvent => ({
  type: 'run',
  runId: 'r1',
  state,
  name: 'demo',
  description: 'd',
  phases: [],
  at: 1,
  ...(paused && { paused }),
});
const CAP: PauseInfo = { reason: 'cost-cap', limit: 5, spent: 5.02 };
const LIMIT: PauseInfo = { reason: 'usage-limit', limit: 3600, spent: 1.5, until: '2026-12-05T10:00:00.000Z' };

describe('RunTrace: paused runs', () => {
  it('a run that ends paused at a cap keeps the cap, even after a late usage-limit "reopened"', () => {
    const t = new RunTrace();
    t.apply([run('running'), run('paused', CAP), { type: 'pause', at: 2 }]);
    assert.equal(t.root?.state, 'paused');
    assert.deepEqual(t.root?.paused, CAP);
  });

  it('a usage limit shows on the live run, clears when it reopens, and never on a finished run', () => {
    const t = new RunTrace();
    t.apply([run('running'), { type: 'pause', paused: LIMIT, at: 2 }]);
    assert.deepEqual(t.root?.paused, LIMIT);
    t.apply([{ type: 'pause', at: 3 }]);
    assert.equal(t.root?.paused, undefined);
    t.apply([{ type: 'pause', paused: LIMIT, at: 4 }, run('completed'), { type: 'pause', paused: LIMIT, at: 5 }]);
    assert.equal(t.root?.paused, undefined);
  });
});
