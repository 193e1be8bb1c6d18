// phase()/opts.phase grouping, meta.phases pre-announced, run-time and non-ASCII titles; log()
// and console.* coercions and the 1000-line log cap (spec §3.4, §3.5; Appendix B row 8).
import assert from 'node:assert/strict';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import type { RunEvent } from '../../../src/core/run/events';

const phaseEvents = (events: RunEvent[]) =>
  events.filter((e): e is Extract<RunEvent, { type: 'phase' }> => e.type === 'phase').map((e) => [e.index, e.title]);

const phaseOf = (events: RunEvent[], label: string) =>
  agentEvents(events, 'done').find((e) => e.label === label)?.phase;

describe('engine: phase() and log()', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  describe('phases', () => {
    it('assigns later agents to the current phase(); agents before any phase have none', async () => {
      const r = await h.run(`
        await agent('before', { label: 'before' })
        phase('Find')
        await agent('a', { label: 'a' })
        await parallel([() => agent('b', { label: 'b' })])
        phase('Fix')
        await agent('c', { label: 'c' })
        return 'ok'
      `);
      assert.equal(phaseOf(r.events, 'before'), undefined);
      assert.equal(phaseOf(r.events, 'a'), 'Find');
      assert.equal(phaseOf(r.events, 'b'), 'Find');
      assert.equal(phaseOf(r.events, 'c'), 'Fix');
      assert.deepEqual(phaseEvents(r.events), [
        [0, 'Find'],
        [1, 'Fix'],
      ]);
      assert.equal(h.runner.calls.find((c) => c.label === 'c')?.phase, 'Fix');
    });

    it('lets opts.phase override the current phase, even naming a phase never opened', async () => {
      const r = await h.run(`
        phase('Find')
        await parallel([
          () => agent('x', { label: 'x', phase: 'Verify' }),
          () => agent('y', { label: 'y' }),
        ])
        return 'ok'
      `);
      assert.equal(phaseOf(r.events, 'x'), 'Verify');
      assert.equal(phaseOf(r.events, 'y'), 'Find');
    });

    it('captures the phase at agent() call time, so a later phase() does not move a running agent', async () => {
      h.runner.rule({ match: 'slow', hold: true });
      const run = h.start(`
        phase('One')
        const p = agent('slow', { label: 'slow' })
        phase('Two')
        const q = agent('quick', { label: 'quick' })
        return await Promise.all([p, q])
      `);
      await h.runner.waitForCalls(2);
      h.runner.release();
      await run.done;
      const events: RunEvent[] = [];
      run.events.subscribe((b) => events.push(...b), { replay: true });
      assert.equal(phaseOf(events, 'slow'), 'One');
      assert.equal(phaseOf(events, 'quick'), 'Two');
    });

    it('pre-announces meta.phases at run start in order; phase() of a listed title adds nothing', async () => {
      const src = `export const meta = { name: 'm', description: 'd', phases: [{ title: 'Scope' }, { title: 'Search', detail: 'web' }, { title: 'Report' }] }
        phase('Search')
        await agent('s', { label: 's' })
        phase('Extra')
        await agent('e', { label: 'e' })
        return 'ok'
      `;
      const r = await h.run(src);
      assert.deepEqual(phaseEvents(r.events), [
        [0, 'Scope'],
        [1, 'Search'],
        [2, 'Report'],
        [3, 'Extra'],
      ]);
      // The pre-announced phases come before any agent event.
      const firstAgent = r.events.findIndex((e) => e.type === 'agent');
      const lastPreannounced = r.events.findIndex((e) => e.type === 'phase' && e.title === 'Report');
      assert.ok(lastPreannounced < firstAgent);
      const start = r.events.find((e) => e.type === 'run' && e.state === 'running');
      assert.deepEqual(start && start.type === 'run' ? start.phases : undefined, ['Scope', 'Search', 'Report']);
      assert.equal(phaseOf(r.events, 's'), 'Search');
      assert.equal(phaseOf(r.events, 'e'), 'Extra');
    });

    it('accepts titles built at run time and non-ASCII titles, matched exactly', async () => {
      const r = await h.run(`
        for (let i = 1; i <= 3; i++) {
          phase(\`Round \${i}\`)
          await agent('round ' + i, { label: 'r' + i })
        }
        phase('Überprüfung — 検証 🔍')
        await agent('u', { label: 'u' })
        await agent('v', { label: 'v', phase: 'Ünïcödé ✓' })
        phase(7)
        await agent('n', { label: 'n' })
        return 'ok'
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(
        phaseEvents(r.events).map(([, t]) => t),
        ['Round 1', 'Round 2', 'Round 3', 'Überprüfung — 検証 🔍', '7'],
      );
      assert.equal(phaseOf(r.events, 'r2'), 'Round 2');
      assert.equal(phaseOf(r.events, 'u'), 'Überprüfung — 検証 🔍');
      assert.equal(phaseOf(r.events, 'v'), 'Ünïcödé ✓');
      assert.equal(phaseOf(r.events, 'n'), '7');
    });

    it('a loop variable named phase shadows the global inside the loop only', async () => {
      const r = await h.run(`
        const PHASES = ['A', 'B']
        const out = []
        for (const phase of PHASES) out.push(await agent('do ' + phase, { label: phase, phase }))
        phase('After')
        await agent('z', { label: 'z' })
        return out
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.equal(phaseOf(r.events, 'A'), 'A');
      assert.equal(phaseOf(r.events, 'z'), 'After');
    });
  });

  describe('logs', () => {
    it('coerces log() values: strings verbatim, primitives via String, objects and arrays to "[object]"', async () => {
      const r = await h.run(`
        log('plain text')
        log(42)
        log(true)
        log(null)
        log(undefined)
        log({ a: 1 })
        log([1, 2])
        log(() => 1)
        log('')
        return 'ok'
      `);
      assert.deepEqual(logLines(r.events), [
        'plain text',
        '42',
        'true',
        'null',
        'undefined',
        '[object]',
        '[object]',
        '[function]',
        '',
      ]);
      assert.deepEqual(r.logs, logLines(r.events));
    });

    it('console.log/info/debug JSON-stringify objects; warn/error are prefixed', async () => {
      const r = await h.run(`
        console.log({ a: 1 })
        console.info('info', [1, 2])
        console.debug(3)
        console.warn('careful', { w: true })
        console.error({ e: 'bad' })
        return 'ok'
      `);
      assert.deepEqual(logLines(r.events), [
        '{"a":1}',
        'info [1,2]',
        '3',
        '[warn] careful {"w":true}',
        '[error] {"e":"bad"}',
      ]);
    });

    it('keeps the first 1000 lines in the result and the run record (all are emitted as events)', async () => {
      const r = await h.run(`for (let i = 0; i < 1005; i++) log('line ' + i); return 'ok'`);
      assert.equal(r.status, 'completed');
      assert.equal(r.logs.length, 1000);
      assert.equal(r.logs[0], 'line 0');
      assert.equal(r.logs[999], 'line 999');
      assert.equal(logLines(r.events).length, 1005);
      const record = h.store.readRecord(r.runId);
      assert.equal(record?.logs.length, 1000);
      assert.equal(record?.logs[999], 'line 999');
    });

    it('puts engine lines (agent failures, parallel failures) into the same logs', async () => {
      h.runner.rule({ match: 'nul', outcome: { kind: 'null', reason: 'why' } });
      const r = await h.run(`
        log('start')
        await parallel([() => agent('nul', { label: 'N' }), () => { throw new Error('x') }])
        log('end')
        return 'ok'
      `);
      assert.equal(r.logs[0], 'start');
      assert.deepEqual(r.logs.slice(1, 3).sort(), ['[N] failed: why', 'parallel[1] failed: x']);
      assert.equal(r.logs[3], 'end');
    });
  });
});
