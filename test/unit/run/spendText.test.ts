// Spend against the plan (issue 11 item 5): the one formatter the run node, the status bar and
// dwf's live view share — within the plan, above it, without one, and on a resumed run whose
// replayed agents are not paid again.
import assert from 'node:assert/strict';
import type { AgentState, RunEvent } from '../../../src/core/run/events';
import { RunTrace } from '../../../src/core/run/trace';
import { runCounts } from '../../../src/core/run/runCounts';
import { spendText } from '../../../src/core/run/spendText';
import { storedRunPlan } from '../../../src/core/estimate/runPlan';
import type { RunPlan, TokenUsage } from '../../../src/core/types';

const usage = (costUsd: number): TokenUsage => ({ input: 1000, output: 200, cacheRead: 0, cacheWrite: 0, costUsd });
const agent = (id: number, state: AgentState, cost?: number): RunEvent => ({
  type: 'agent',
  agentId: `a${id}`,
  index: id,
  state,
  label: `L${id}`,
  position: {},
  at: 2,
  ...(cost !== undefined && { usage: usage(cost) }),
});
const PLAN: RunPlan = { agents: { low: 30, high: 40 }, costUsd: { low: 0.9, high: 1.3 }, basis: 'static' };

/** Counts of a run with `done` agents that cost `each`, `running` more, and `cached` replayed ones. */
function counts(done: number, each: number, extra: { running?: number; cached?: number } = {}) {
  const t = new RunTrace();
  const events: RunEvent[] = [
    { type: 'run', runId: 'wf_spend0001', state: 'running', name: 'n', description: '', phases: [], at: 1 },
  ];
  let id = 0;
  for (let i = 0; i < done; i++) events.push(agent(++id, 'done', each));
  for (let i = 0; i < (extra.running ?? 0); i++) events.push(agent(++id, 'running'));
  for (let i = 0; i < (extra.cached ?? 0); i++) events.push(agent(++id, 'cached', 0.05));
  t.apply(events);
  return runCounts(t.summary('run'), { final: false });
}

describe('spend against the plan (spendText)', () => {
  it('within the plan: agents done of the projected count, dollars of the projected range', () => {
    const s = spendText({ counts: counts(12, 0.035, { running: 4 }), plan: PLAN });
    assert.equal(s.short, '12 of 30–40 agents · $0.42 of $0.90–$1.30');
    assert.ok(
      s.detail.includes('Plan: 30–40 agents, $0.90–$1.30 at list prices (static estimate)'),
      s.detail.join('\n'),
    );
    assert.ok(s.detail.includes('Agents: 12 done of 16 started'));
    assert.ok(s.detail.includes('Spent: $0.42'));
  });

  it('an exact plan reads as one number', () => {
    const exact: RunPlan = { agents: { low: 8, high: 8 }, costUsd: { low: 0.2, high: 0.2 }, basis: 'history' };
    const s = spendText({ counts: counts(3, 0.01), plan: exact });
    assert.equal(s.short, '3 of 8 agents · $0.03 of $0.20');
    assert.match(s.detail[0], /from earlier runs/);
  });

  it('past the high end it says so, for dollars and for agents', () => {
    const dollars = spendText({ counts: counts(30, 0.05), plan: PLAN });
    assert.equal(dollars.short, "30 of 30–40 agents · $1.50 — above the plan's $0.90–$1.30");
    const agents = spendText({ counts: counts(42, 0.01, { running: 3 }), plan: PLAN });
    assert.equal(agents.short, "45 agents — above the plan's 30–40 · $0.42 of $0.90–$1.30");
  });

  it('without a plan: spend only', () => {
    const s = spendText({ counts: counts(5, 0.02) });
    assert.equal(s.short, '$0.10');
    assert.ok(s.detail.includes('No priced plan for this run: spend only'));
    assert.equal(spendText({ counts: counts(0, 0) }).short, '');
  });

  it("a resumed run: replayed agents are not spent again, earlier sessions' spend is in the run total", () => {
    const s = spendText({ counts: counts(2, 0.1, { cached: 10 }), plan: PLAN, earlierUsd: 0.6 });
    // 10 replayed + 2 live done; $0.20 this session on top of $0.60 spent before.
    assert.equal(s.short, '12 of 30–40 agents · $0.80 of $0.90–$1.30 · $0.20 this session');
    assert.ok(
      s.detail.includes('Spent: $0.80 in all — $0.20 this session, $0.60 by earlier sessions'),
      s.detail.join('\n'),
    );
    assert.ok(
      s.detail.includes('10 agents replayed from the journal: not paid again this session ($0.50 when they ran)'),
      s.detail.join('\n'),
    );
  });

  it('a plan read back from run.json is checked: malformed is no plan', () => {
    assert.deepEqual(storedRunPlan(PLAN), PLAN);
    assert.equal(storedRunPlan({ agents: { low: 5, high: 2 }, costUsd: { low: 0, high: 1 } }), undefined);
    assert.equal(storedRunPlan({ agents: { low: 1, high: 2 }, costUsd: { low: '0', high: 1 } }), undefined);
    assert.equal(storedRunPlan('plan'), undefined);
  });
});
