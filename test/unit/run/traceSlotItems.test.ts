// How the trace names slots by item: a pipeline's item names win over an agent's own label, reach
// slots made before the group event (out-of-order streams), and a later agent never renames a slot.
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/core/run/events';
import { RunTrace } from '../../../src/core/run/trace';
import type { DagPosition } from '../../../src/core/types';

const run: RunEvent = { type: 'run', runId: 'r1', state: 'running', name: 'demo', description: '', phases: [], at: 1 };
const agent = (id: number, position: DagPosition, item?: string): RunEvent => ({
  type: 'agent',
  agentId: String(id),
  index: id,
  state: 'queued',
  label: `L${id}`,
  position,
  at: 2,
  ...(item && { item }),
});
const itemOf = (t: RunTrace, id: string) => {
  const n = t.node(id);
  return n?.kind === 'slot' ? n.item : `not a slot: ${n?.kind}`;
};

describe('RunTrace slot items', () => {
  it("names slots from the group's items, else from the first labelled agent", () => {
    const t = new RunTrace();
    t.apply([
      run,
      { type: 'group', groupId: 1, kind: 'pipeline', size: 3, stages: 2, items: ['a.ts', '', 'c.ts'], parent: {} },
    ]);
    t.apply([
      agent(0, { group: 1, slot: 0, stage: 0 }, 'review:a'),
      agent(1, { group: 1, slot: 1, stage: 0 }, 'review:b'),
      agent(2, { group: 1, slot: 2, stage: 0 }),
    ]);
    t.apply([agent(3, { group: 1, slot: 1, stage: 1 }, 'polish:b')]);
    assert.equal(itemOf(t, 'slot:1:0'), 'a.ts', 'the item wins over the agent label');
    assert.equal(itemOf(t, 'slot:1:1'), 'review:b', 'no item name: the first labelled agent, not a later stage');
    assert.equal(itemOf(t, 'slot:1:2'), 'c.ts');
  });

  it('a group event arriving after its agents still names their slots, and says they changed', () => {
    const t = new RunTrace();
    t.apply([run, agent(0, { group: 4, slot: 1 })]);
    assert.equal(itemOf(t, 'slot:4:1'), undefined);
    let changed: string[] = [];
    t.onDidChange((ids) => (changed = ids));
    t.apply([{ type: 'group', groupId: 4, kind: 'pipeline', size: 2, items: ['x', 'topic y'], parent: {} }]);
    assert.equal(itemOf(t, 'slot:4:1'), 'topic y');
    assert.ok(changed.includes('slot:4:1'), 'the view hears about the renamed slot');
    assert.equal(itemOf(t, 'slot:4:0'), 'not a slot: undefined', 'slots are still made only when an agent lands');
  });
});
