import assert from 'node:assert/strict';
import type { AgentState, RunEvent } from '../../../src/core/run/events';
import { RunTrace, type TraceNode } from '../../../src/core/run/trace';
import type { DagPosition, TokenUsage } from '../../../src/core/types';

const run = (phases: string[] = [], state: 'running' | 'completed' = 'running'): RunEvent => ({
  type: 'run',
  runId: 'r1',
  state,
  name: 'demo',
  description: 'd',
  phases,
  at: 1,
});
const phase = (index: number, title: string, workflow?: number): RunEvent => ({
  type: 'phase',
  index,
  title,
  workflow,
});
const group = (
  groupId: number,
  kind: 'parallel' | 'pipeline' | 'workflow',
  size: number,
  parent: DagPosition = {},
  title?: string,
): RunEvent => ({
  type: 'group',
  groupId,
  kind,
  size,
  parent,
  title,
});
const agent = (
  id: string | number,
  state: AgentState,
  position: DagPosition = {},
  extra: Partial<Extract<RunEvent, { type: 'agent' }>> = {},
): RunEvent => ({
  type: 'agent',
  agentId: String(id),
  index: Number(id) || 0,
  state,
  label: `L${id}`,
  position,
  at: 2,
  ...extra,
});
const u = (input: number, output: number): TokenUsage => ({ input, output, cacheRead: 0, cacheWrite: 0 });
const ids = (nodes: TraceNode[]) => nodes.map((n) => n.id);

/** Recount a subtree by walking it: the reference the incremental counts must match. */
function recount(t: RunTrace, id: string): { total: number; done: number; output: number } {
  let total = 0,
    done = 0,
    output = 0;
  const walk = (n: TraceNode) => {
    if (n.kind === 'agent') {
      total++;
      if (n.state === 'done') done++;
      output += n.usage.output;
    }
    for (const c of t.children(n.id)) walk(c);
  };
  walk(t.node(id)!);
  return { total, done, output };
}

describe('RunTrace', () => {
  it('pre-seeds meta phases and places top-level agents by phase', () => {
    const t = new RunTrace();
    t.apply([
      run(['Plan', 'Build']),
      agent(0, 'queued'),
      phase(1, 'Build'),
      agent(1, 'queued'),
      agent(2, 'queued', {}, { phase: 'Plan' }),
    ]);
    t.apply([agent(3, 'queued', {}, { phase: 'Extra' }), phase(3, 'Late'), agent(4, 'queued')]);
    assert.equal(t.root?.label, 'demo');
    // Before any phase() call an agent hangs under the run itself.
    assert.deepEqual(ids(t.children('run')), ['phase:0', 'phase:1', 'agent:0', 'phase:2', 'phase:3']);
    assert.deepEqual(ids(t.children('phase:0')), ['agent:2']);
    assert.deepEqual(ids(t.children('phase:1')), ['agent:1']);
    assert.equal(t.node('phase:2')?.label, 'Extra');
    assert.deepEqual(ids(t.children('phase:3')), ['agent:4']);
    assert.equal(t.node('agent:4')?.parentId, 'phase:3');
  });

  it('updates one node per agentId and keeps counts when a batch is applied twice', () => {
    const t = new RunTrace();
    const batch = [
      run(['P']),
      phase(0, 'P'),
      agent(7, 'queued'),
      agent(7, 'running'),
      agent(7, 'done', {}, { usage: u(100, 20), resultPreview: 'ok' }),
    ];
    t.apply(batch);
    t.apply(batch);
    assert.equal(t.children('phase:0').length, 1);
    const n = t.node('agent:7');
    assert.equal(n?.kind === 'agent' && n.state, 'done');
    assert.equal(n?.kind === 'agent' && n.resultPreview, 'ok');
    const s = t.summary('run');
    assert.equal(s.total, 1);
    assert.equal(s.byState.done, 1);
    assert.equal(s.byState.queued + s.byState.running, 0);
    assert.deepEqual(s.usage, u(100, 20));
  });

  it('sums usage events up the tree from the latest totals', () => {
    const t = new RunTrace();
    t.apply([
      run(),
      group(1, 'parallel', 2),
      agent(0, 'running', { group: 1, slot: 0 }),
      agent(1, 'running', { group: 1, slot: 1 }),
    ]);
    t.apply([
      { type: 'usage', agentId: '0', delta: u(10, 1), total: u(10, 1) },
      { type: 'usage', agentId: '0', delta: u(5, 2), total: u(15, 3) },
      { type: 'usage', agentId: '1', delta: u(1, 1), total: u(1, 1) },
      { type: 'usage', agentId: 'unknown', delta: u(9, 9), total: u(9, 9) },
    ]);
    assert.deepEqual(t.summary('agent:0').usage, u(15, 3));
    assert.deepEqual(t.summary('slot:1:0').usage, u(15, 3));
    assert.deepEqual(t.summary('group:1').usage, u(16, 4));
    assert.deepEqual(t.summary('run').usage, u(16, 4));
    assert.equal(t.summary('nope').total, 0);
    assert.deepEqual(t.children('nope'), []);
  });

  it('builds slots lazily in slot order and pipeline stages in stage order', () => {
    const t = new RunTrace();
    t.apply([
      run(),
      { ...group(1, 'pipeline', 3), stages: 3 } as RunEvent,
      agent(10, 'queued', { group: 1, slot: 2, stage: 0 }),
    ]);
    assert.deepEqual(ids(t.children('group:1')), ['slot:1:2']);
    t.apply([
      agent(11, 'queued', { group: 1, slot: 0, stage: 2 }),
      group(2, 'parallel', 2, { group: 1, slot: 0, stage: 1 }),
      agent(12, 'queued', { group: 1, slot: 0, stage: 0 }),
      agent(13, 'queued', { group: 2, slot: 1 }),
    ]);
    assert.deepEqual(ids(t.children('group:1')), ['slot:1:0', 'slot:1:2']);
    assert.deepEqual(ids(t.children('slot:1:0')), ['agent:12', 'group:2', 'agent:11']);
    assert.deepEqual(ids(t.children('group:2')), ['slot:2:1']);
    assert.equal(t.summary('slot:1:0').total, 3);
    assert.equal(t.node('group:1')?.label, 'pipeline ×3 · 3 stages');
  });

  it('puts a group under the phase of its first agent, else the current phase', () => {
    const t = new RunTrace();
    t.apply([run(['A', 'B']), phase(0, 'A'), group(1, 'parallel', 2), group(2, 'parallel', 1)]);
    assert.deepEqual(ids(t.children('phase:0')), ['group:1', 'group:2']);
    t.apply([
      phase(1, 'B'),
      agent(0, 'queued', { group: 1, slot: 0 }, { phase: 'B' }),
      agent(1, 'queued', { group: 1, slot: 1 }, { phase: 'A' }),
    ]);
    assert.deepEqual(ids(t.children('phase:0')), ['group:2']);
    assert.deepEqual(ids(t.children('phase:1')), ['group:1']);
    assert.equal(t.node('group:1')?.parentId, 'phase:1');
    assert.equal(t.summary('phase:1').total, 2);
    assert.equal(t.summary('phase:0').total, 0);
  });

  it('keeps a child workflow as one group holding its agents and groups directly', () => {
    const t = new RunTrace();
    t.apply([
      run(['Main']),
      phase(0, 'Main'),
      group(5, 'workflow', 0, {}, '▸ child'),
      phase(0, 'Child phase', 5), // phase() inside a child must not move the parent's phase
      agent(0, 'done', { group: 5 }, { phase: '▸ child' }),
      group(6, 'parallel', 1, { group: 5 }),
      agent(1, 'done', { group: 6, slot: 0 }),
      agent(2, 'queued'),
    ]);
    assert.deepEqual(ids(t.children('phase:0')), ['group:5', 'agent:2']);
    assert.deepEqual(ids(t.children('group:5')), ['agent:0', 'group:6']);
    assert.equal(t.node('group:5')?.label, '▸ child');
    assert.deepEqual(ids(t.children('run')), ['phase:0']);
    assert.equal(t.summary('group:5').byState.done, 2);
  });

  it('marks failed slots at group end', () => {
    const t = new RunTrace();
    t.apply([
      run(),
      group(1, 'parallel', 3),
      agent(0, 'done', { group: 1, slot: 0 }),
      { type: 'groupEnd', groupId: 1, failedSlots: [2] },
    ]);
    const g = t.node('group:1');
    assert.ok(g?.kind === 'group' && g.ended);
    const s = t.node('slot:1:2');
    assert.ok(s?.kind === 'slot' && s.failed);
    const ok = t.node('slot:1:0');
    assert.ok(ok?.kind === 'slot' && !ok.failed);
  });

  it('repairs a group seen first through an agent position', () => {
    const t = new RunTrace();
    t.apply([
      run(),
      group(1, 'parallel', 1),
      agent(0, 'done', { group: 2, slot: 0 }),
      group(2, 'parallel', 1, { group: 1, slot: 0 }),
    ]);
    assert.deepEqual(ids(t.children('run')), ['group:1']);
    assert.deepEqual(ids(t.children('slot:1:0')), ['group:2']);
    assert.equal(t.summary('group:1').total, 1);
    assert.equal(t.summary('run').total, 1);
  });

  it('reports the changed node and its ancestors', () => {
    const t = new RunTrace();
    const seen: string[][] = [];
    t.apply([run(), group(1, 'parallel', 1), agent(0, 'queued', { group: 1, slot: 0 })]);
    t.onDidChange((c) => seen.push(c.sort()));
    t.apply([agent(0, 'running', { group: 1, slot: 0 })]);
    t.apply([{ type: 'log', level: 'info', message: 'x', at: 3 }]);
    assert.deepEqual(seen, [['agent:0', 'group:1', 'run', 'slot:1:0']]);
  });

  it('scales: 1000 agents across 5 phases, with O(batch) updates', () => {
    const t = new RunTrace();
    const titles = ['P0', 'P1', 'P2', 'P3', 'P4'];
    const batch: RunEvent[] = [run(titles)];
    for (let i = 0; i < 1000; i++) {
      if (i % 200 === 0) batch.push(phase(i / 200, titles[i / 200]));
      if (i % 10 === 0) batch.push(group(i, 'parallel', 10));
      const pos = { group: i - (i % 10), slot: i % 10 };
      batch.push(agent(i, 'queued', pos), agent(i, 'running', pos), agent(i, 'done', pos, { usage: u(10, 2) }));
    }
    t.apply(batch);
    assert.equal(t.summary('run').total, 1000);
    assert.equal(t.summary('run').byState.done, 1000);
    assert.deepEqual(t.summary('run').usage, u(10_000, 2_000));
    for (let p = 0; p < 5; p++) {
      assert.equal(t.children(`phase:${p}`).length, 20);
      assert.deepEqual(recount(t, `phase:${p}`), { total: 200, done: 200, output: 400 });
      assert.equal(t.summary(`phase:${p}`).usage.output, 400);
    }
    // One more event touches only its own path, however big the run is.
    let changed: string[] = [];
    t.onDidChange((c) => (changed = c));
    t.apply([agent(555, 'failed', { group: 550, slot: 5 })]);
    assert.deepEqual(changed.sort(), ['agent:555', 'group:550', 'phase:2', 'run', 'slot:550:5']);
    assert.equal(t.summary('run').byState.failed, 1);
    assert.equal(t.summary('run').byState.done, 999);
  });

  it('scales: a 200×3 pipeline with a nested parallel inside each slot', () => {
    const t = new RunTrace();
    const batch: RunEvent[] = [
      run(['Review']),
      phase(0, 'Review'),
      { ...group(1, 'pipeline', 200), stages: 3 } as RunEvent,
    ];
    let id = 0;
    let gid = 2;
    for (let s = 0; s < 200; s++) {
      batch.push(agent(id++, 'done', { group: 1, slot: s, stage: 0 }, { usage: u(1, 1) }));
      const inner = gid++;
      batch.push(group(inner, 'parallel', 2, { group: 1, slot: s, stage: 1 }));
      for (let k = 0; k < 2; k++) batch.push(agent(id++, 'done', { group: inner, slot: k }, { usage: u(1, 1) }));
      batch.push(agent(id++, s % 50 === 0 ? 'null' : 'done', { group: 1, slot: s, stage: 2 }, { usage: u(1, 1) }));
    }
    t.apply(batch);
    assert.deepEqual(ids(t.children('phase:0')), ['group:1']);
    const slots = t.children('group:1');
    assert.equal(slots.length, 200);
    assert.deepEqual(ids(slots.slice(0, 2)), ['slot:1:0', 'slot:1:1']);
    assert.deepEqual(
      t.children('slot:1:7').map((n) => n.kind),
      ['agent', 'group', 'agent'],
    );
    assert.deepEqual(ids(t.children('group:9')), ['slot:9:0', 'slot:9:1']);
    const s = t.summary('run');
    assert.equal(s.total, 800);
    assert.equal(s.byState.null, 4);
    assert.equal(s.byState.done, 796);
    assert.equal(s.usage.output, 800);
    assert.deepEqual(recount(t, 'group:1'), { total: 800, done: 796, output: 800 });
    assert.equal(t.summary('slot:1:3').total, 4);
  });
});
