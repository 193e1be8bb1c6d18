// The one reading of counts the Runs tree, CodeLens and status bar share: event streams in, the
// numbers and text a person reads out. Tables cover stop mid-run, skip, a denied command, replay.
import assert from 'node:assert/strict';
import type { AgentState, RunEvent } from '../../../src/core/run/events';
import { RunTrace } from '../../../src/core/run/trace';
import { countsText, recordCounts, runCounts, type RunCounts } from '../../../src/core/run/runCounts';
import type { RunStatus, TokenUsage } from '../../../src/core/types';

const run = (state: RunStatus, resumed = false): RunEvent => ({
  type: 'run',
  runId: 'r1',
  state,
  name: 'demo',
  description: '',
  phases: [],
  resumed,
  at: 1,
});
const agent = (id: number, state: AgentState, extra: Partial<Extract<RunEvent, { type: 'agent' }>> = {}): RunEvent => ({
  type: 'agent',
  agentId: `a${id}`,
  index: id,
  state,
  label: `L${id}`,
  position: { group: 1, slot: id },
  at: 2,
  ...extra,
});
const group: RunEvent = { type: 'group', groupId: 1, kind: 'parallel', size: 30, parent: {} };
const u = (input: number, output: number): TokenUsage => ({ input, output, cacheRead: 0, cacheWrite: 0 });
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

function countsOf(events: RunEvent[], waiting = 0): { counts: RunCounts; text: string } {
  const t = new RunTrace();
  t.apply(events);
  const counts = runCounts(t.summary('run'), { final: t.root!.state !== 'running', waiting });
  return { counts, text: countsText(counts) };
}

const cases: { name: string; events: RunEvent[]; waiting?: number; text: string; expect: Partial<RunCounts> }[] = [
  {
    name: 'stop mid-run: 8 done, 22 stopped — never 30/30',
    events: [
      run('running'),
      group,
      ...range(30).map((i) => agent(i, 'running')),
      ...range(8).map((i) => agent(i, 'done', { usage: u(40, 10) })),
      ...range(22, 8).map((i) => agent(i, 'stopped')),
      run('stopped'),
    ],
    text: '8/30 done · 22 stopped · 400 tok',
    expect: { done: 8, stopped: 22, total: 30, final: true },
  },
  {
    name: 'while live the total is a lower bound and nothing unfinished counts as done',
    events: [
      run('running'),
      group,
      agent(0, 'done', { usage: u(10, 2) }),
      agent(1, 'running'),
      agent(2, 'queued'),
      agent(3, 'failed'),
      agent(4, 'null'),
    ],
    text: '1 of ≥5 done · 1 running · 1 queued · 2 failed · 12 tok',
    expect: { done: 1, running: 1, queued: 1, failed: 2, final: false },
  },
  {
    name: 'paused at a cap: the held agents read held (they start on resume), not stopped',
    events: [
      run('running'),
      group,
      ...range(4).map((i) => agent(i, 'queued')),
      ...range(2).map((i) => agent(i, 'done')),
      ...range(2, 2).map((i) => agent(i, 'queued', { held: { reason: 'agent-cap', limit: 2, spent: 2 } })),
      run('paused'),
    ],
    text: '2/4 done · 2 held',
    expect: { done: 2, queued: 2, stopped: 0, final: true },
  },
  {
    name: 'a skipped agent is skipped, not done',
    events: [run('running'), group, agent(0, 'running'), agent(0, 'skipped'), agent(1, 'done'), run('completed')],
    text: '1/2 done · 1 skipped',
    expect: { done: 1, skipped: 1 },
  },
  {
    name: 'a done agent with a denied command is done with tool errors, apart from clean ones',
    events: [
      run('running'),
      group,
      agent(0, 'running'),
      agent(0, 'done', { toolErrors: 2, usage: u(5, 5) }),
      agent(1, 'done', { usage: u(5, 5) }),
      run('completed'),
    ],
    text: '2/2 done · 1 with tool errors · 20 tok',
    expect: { done: 1, toolErrors: 1 },
  },
  {
    name: 'a retried agent that ends cleanly loses its tool errors',
    events: [
      run('running'),
      group,
      agent(0, 'done', { toolErrors: 1 }),
      agent(0, 'running'),
      agent(0, 'done'),
      run('completed'),
    ],
    text: '1/1 done',
    expect: { done: 1, toolErrors: 0 },
  },
  {
    name: 'replayed agents: tokens shown as cached, not spent by this run',
    events: [
      run('running', true),
      group,
      agent(0, 'cached', { usage: u(300, 162) }),
      agent(1, 'running', { usage: u(100, 0) }),
      agent(1, 'done', { usage: u(400, 62) }),
      run('completed', true),
    ],
    text: '2/2 done · 1 cached · 462 tok · 462 tok cached',
    expect: { done: 1, cached: 1, spent: u(400, 62), cachedUsage: u(300, 162) },
  },
  {
    name: 'agents waiting for approval are told apart from running ones',
    events: [run('running'), group, agent(0, 'running'), agent(1, 'running'), agent(2, 'running')],
    waiting: 1,
    text: '0 of ≥3 done · 2 running · 1 waiting for approval',
    expect: { running: 2, waiting: 1 },
  },
];

describe('runCounts: one reading of a run for tree, CodeLens and status bar', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { counts, text } = countsOf(c.events, c.waiting);
      assert.equal(text, c.text);
      for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(counts[k as keyof RunCounts], v, k);
    });
  }

  it('usage events on a replayed agent keep the cached part and the spent part apart', () => {
    const t = new RunTrace();
    t.apply([run('running', true), group, agent(0, 'queued'), agent(0, 'cached')]);
    t.apply([{ type: 'usage', agentId: 'a0', delta: u(50, 5), total: u(50, 5) }]);
    const c = runCounts(t.summary('group:1'), { final: false });
    assert.deepEqual([c.cachedUsage, c.spent], [u(50, 5), u(0, 0)]);
  });

  it('a slot counts the same as the run for its agents (containers agree)', () => {
    const t = new RunTrace();
    t.apply([run('running'), group, agent(0, 'running'), agent(0, 'done', { toolErrors: 1, usage: u(3, 4) })]);
    assert.deepEqual(runCounts(t.summary('slot:1:0'), { final: false }), runCounts(t.summary('run'), { final: false }));
  });

  it("a paused run's record counts its unfinished agents held, a stopped run's stopped", () => {
    const agents = { total: 5, done: 2, cached: 1, failed: 0, skipped: 0 };
    assert.equal(countsText(recordCounts(agents, 'paused')), '3/5 done · 2 held · 1 cached');
    assert.equal(countsText(recordCounts(agents, 'stopped')), '3/5 done · 1 cached · 2 stopped');
  });

  it('says nothing before the first agent', () => {
    assert.equal(countsOf([run('running')]).text, '');
  });
});
