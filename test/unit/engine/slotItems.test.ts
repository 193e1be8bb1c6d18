// Slots named by their item (issue 10 item 7): a pipeline's items cross the real QuickJS boundary as
// short names (strings, numbers, an object's name-like data property; no getter runs), and an agent's
// own label names its parallel slot; the trace shows them on the slot nodes.
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';
import { RunTrace, type SlotNode } from '../../../src/core/run/trace';
import type { RunEvent } from '../../../src/core/run/events';

function slots(events: RunEvent[]): SlotNode[] {
  const t = new RunTrace();
  t.apply(events);
  const out: SlotNode[] = [];
  const walk = (id: string) => {
    for (const n of t.children(id)) {
      if (n.kind === 'slot') out.push(n);
      walk(n.id);
    }
  };
  walk('run');
  return out;
}

describe('engine: slot items', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it("a pipeline sends each item's short name with its group; agents in the slots do not change it", async () => {
    const r = await h.run(
      `
      let reads = 0
      const tricky = { get name() { reads++; return 'getter' }, title: 'from-title' }
      const res = await pipeline(['src/a.ts', 7, { file: 'b.md' }, tricky, { nothing: 1 }, 'x'.repeat(200)],
        (item, _i, i) => agent('one ' + i, { label: 'stage-one:' + i }),
        (prev, _item, i) => agent('two ' + i))
      return reads
    `,
      { concurrency: 4 },
    );
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal(r.result, 0, 'no getter of an item ran');
    const group = r.events.find((e): e is Extract<RunEvent, { type: 'group' }> => e.type === 'group');
    assert.deepEqual(group?.items?.slice(0, 5), ['src/a.ts', '7', 'b.md', 'from-title', '']);
    assert.equal(group?.items?.[5].length, 80, 'long items are cut');
    const bySlot = slots(r.events)
      .sort((a, b) => a.slot - b.slot)
      .map((s) => s.item);
    assert.deepEqual(
      bySlot.slice(0, 5),
      ['src/a.ts', '7', 'b.md', 'from-title', 'stage-one:4'],
      "an item without a name takes its first agent's label",
    );
  });

  it('a parallel slot is named by the label the script gave its agent, not by a default label', async () => {
    const r = await h.run(`
      await parallel([
        () => agent('Review the cart module', { label: 'review:cart' }),
        () => agent('Review the user module without a label'),
      ])
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    const group = r.events.find((e) => e.type === 'group');
    assert.ok(group?.type === 'group' && group.items === undefined, 'parallel() has no items to name');
    // Single-agent slots: the trace keeps the name even though the view flattens them.
    assert.deepEqual(
      slots(r.events)
        .sort((a, b) => a.slot - b.slot)
        .map((s) => s.item),
      ['review:cart', undefined],
    );
  });
});
