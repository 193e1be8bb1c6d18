// dwf's live view against the priced plan (issue 11 item 5, display): agents finished of the
// projected count and dollars spent of the projected range.
import assert from 'node:assert/strict';
import { RunTrace } from '../../../src/core/run/trace';
import { renderFrame } from '../../../src/cli/liveView';

const T0 = 2_000_000;

function trace(): RunTrace {
  const t = new RunTrace();
  t.apply([
    {
      type: 'run',
      runId: 'wf_plan12345678',
      state: 'running',
      name: 'review',
      description: 'd',
      phases: ['Review'],
      at: T0,
    },
    { type: 'agent', agentId: 'a1', index: 1, state: 'done', label: 'one', phase: 'Review', position: {}, at: T0 + 10 },
    {
      type: 'agent',
      agentId: 'a2',
      index: 2,
      state: 'cached',
      label: 'two',
      phase: 'Review',
      position: {},
      at: T0 + 10,
    },
    {
      type: 'agent',
      agentId: 'a3',
      index: 3,
      state: 'running',
      label: 'three',
      phase: 'Review',
      position: {},
      at: T0 + 10,
    },
  ]);
  return t;
}

describe('cli: live view against the plan', () => {
  it('shows agents finished of the projected count and dollars spent of the projected range', () => {
    const lines = renderFrame(trace(), {
      now: T0 + 1000,
      costUsd: 0.42,
      plan: { agents: { low: 40, high: 40 }, costUsd: { low: 1.5, high: 12 } },
    });
    assert.equal(lines[lines.length - 1], 'plan: 2/40 agents · $0.42 of $1.50–$12.00');
    const open = renderFrame(trace(), {
      now: T0 + 1000,
      plan: { agents: { low: 3, high: 21 }, costUsd: { low: 0.1, high: 0.1 } },
    });
    assert.equal(open[open.length - 1], 'plan: 2/3–21 agents · $0.00 of $0.10');
  });

  it('without a plan there is no plan line', () => {
    assert.ok(!renderFrame(trace(), { now: T0 + 1000, costUsd: 0.42 }).some((l) => l.startsWith('plan:')));
  });
});
