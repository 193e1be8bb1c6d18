// Event sites (the guest stack's line and compiled column) mapped back to the author's calls,
// checked against a real run in the sandbox: several calls on one line, awaits rewritten before
// them, calls inside pipeline stages and async helpers.
import assert from 'node:assert/strict';
import { CallSiteMap } from '../../../src/core/script/callSites';
import { parseWorkflowScript } from '../../../src/core/script';
import { createHarness, META } from '../../fakes/engineHarness';

const BODY = [
  "const a = await agent('one')",
  "  await parallel([() => agent('two'), () =>   agent('three')])",
  "await pipeline(['x'], (i) => agent('p' + i), async (r) => { return await agent('q') })",
  'const xs = await Promise.all([1, 2].map((i) =>   agent(`m${i}`)))',
  'return a',
].join('\n');

describe('script/callSites', () => {
  it('lists the agent/parallel/pipeline calls of the source with their columns', () => {
    const map = new CallSiteMap(parseWorkflowScript(META + BODY, 'w.js'));
    assert.deepEqual(
      map.sites.map((s) => `${s.kind}@${s.line}:${s.column}-${s.endColumn}`),
      [
        'agent@2:17-22',
        'parallel@3:9-17',
        'agent@3:25-30',
        'agent@3:47-52',
        'pipeline@4:7-15',
        'agent@4:30-35',
        'agent@4:74-79',
        'agent@5:50-55',
      ],
    );
  });

  it('maps every site a real run reports to the call that made it', async () => {
    const h = createHarness();
    try {
      const r = await h.run(META + BODY);
      assert.equal(r.status, 'completed', r.error?.message);
      const map = new CallSiteMap(parseWorkflowScript(META + BODY, 'w.js'));
      const found: string[] = [];
      for (const e of r.events) {
        if (e.type === 'agent' && e.state === 'queued' && e.site) {
          const s = map.lookup(e.site, 'agent');
          found.push(`${e.label}→${s?.line}:${s?.column}`);
        }
        if (e.type === 'group' && e.site && e.kind !== 'workflow') {
          const s = map.lookup(e.site, e.kind);
          found.push(`${e.kind}→${s?.line}:${s?.column}`);
        }
      }
      assert.deepEqual(
        found.sort(),
        [
          'one→2:17',
          'two→3:25',
          'three→3:47',
          'px→4:30',
          'q→4:74',
          'm1→5:50',
          'm2→5:50',
          'parallel→3:9',
          'pipeline→4:7',
        ].sort(),
      );
    } finally {
      h.cleanup();
    }
  });
});
