// dwf's live view against the priced plan (issue 11 item 5, display): agents done of the
// projected count and dollars spent of the projected range, from the plan the run's events carry.
import assert from 'node:assert/strict';
import { RunTrace } from '../../../src/core/run/trace';
import type { RunEvent } from '../../../src/core/run/events';
import type { RunPlan } from '../../../src/core/types';
import { renderFrame } from '../../../src/cli/liveView';

const T0 = 2_000_000;

function trace(more: RunEvent[] = []): RunTrace {
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
    {
      type: 'agent',
      agentId: 'a1',
      index: 1,
      state: 'done',
      label: 'one',
      phase: 'Review',
      position: {},
      usage: { input: 1000, output: 500, cacheRead: 0, cacheWrite: 0, costUsd: 0.42 },
      at: T0 + 10,
    },
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
    ...more,
  ]);
  return t;
}

const plan = (p: RunPlan): RunEvent => ({ type: 'plan', plan: p });

describe('cli: live view against the plan', () => {
  it('shows agents done of the projected count and dollars spent of the projected range, once the plan is made', () => {
    assert.ok(!renderFrame(trace(), { now: T0 + 1000 }).some((l) => l.startsWith('plan:')));
    const lines = renderFrame(
      trace([plan({ agents: { low: 40, high: 40 }, costUsd: { low: 1.5, high: 12 }, basis: 'static' })]),
      { now: T0 + 1000 },
    );
    assert.equal(lines[lines.length - 1], 'plan: 2 of 40 agents · $0.42 of $1.50–$12.00');
  });

  it('past the high end it reads honestly', () => {
    const lines = renderFrame(
      trace([plan({ agents: { low: 1, high: 2 }, costUsd: { low: 0.1, high: 0.3 }, basis: 'history' })]),
      { now: T0 + 1000 },
    );
    assert.equal(
      lines[lines.length - 1],
      "plan: 3 agents — above the plan's 1–2 · $0.42 — above the plan's $0.10–$0.30",
    );
  });

  it("a resumed run keeps its plan and adds earlier sessions' spend; without a plan, spend only", () => {
    const resumed: RunEvent = {
      type: 'run',
      runId: 'wf_plan12345678',
      state: 'running',
      name: 'review',
      description: 'd',
      phases: ['Review'],
      resumed: true,
      plan: { agents: { low: 3, high: 21 }, costUsd: { low: 0.1, high: 2 }, basis: 'static' },
      earlierCostUsd: 0.5,
      at: T0,
    };
    const lines = renderFrame(trace([resumed]), { now: T0 + 1000 });
    assert.equal(lines[lines.length - 1], 'plan: 2 of 3–21 agents · $0.92 of $0.10–$2.00 · $0.42 this session');
    const noPlan = renderFrame(trace([{ ...resumed, plan: undefined }]), { now: T0 + 1000 });
    assert.equal(noPlan[noPlan.length - 1], 'spent: $0.92 · $0.42 this session');
    assert.ok(!renderFrame(trace(), { now: T0 + 1000 }).some((l) => /^(plan|spent):/.test(l)));
  });
});
