// Long synchronous slices (issue 8 item 5): 30 s per slice by default, so real post-processing
// between awaits completes; a runaway still ends at the (explicit) limit with an error naming the
// setting and the flag; a slice past a second is announced as `computing`; Stop ends a busy guest.
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';
import type { RunEvent } from '../../../src/core/run/events';
import { DEFAULT_LIMITS } from '../../../src/core/sandbox/protocol';

type Computing = Extract<RunEvent, { type: 'computing' }>;
const computingEvents = (events: readonly RunEvent[]): Computing[] =>
  events.filter((e): e is Computing => e.type === 'computing');

/** A loop that runs until the run is stopped or killed (there is no clock to watch in the guest). */
const SPIN = 'let n = 0\nfor (;;) n++';

describe('sandbox: long synchronous slices', function () {
  this.timeout(90_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('the default slice is 30 s; computing shows after a second', () => {
    assert.equal(DEFAULT_LIMITS.sliceMs, 30_000);
    assert.equal(DEFAULT_LIMITS.computingMs, 1000);
  });

  it('deduping and sorting 200k findings between two awaits completes under the default limit', async () => {
    const r = await h.run(`
      const first = await agent('find')
      const findings = []
      for (let i = 0; i < 200000; i++) findings.push({ file: 'src/f' + (i % 150000) + '.ts', line: i % 997, text: first })
      const seen = new Set()
      const unique = findings.filter((f) => { const k = f.file + ':' + f.line; if (seen.has(k)) return false; seen.add(k); return true })
      unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
      const second = await agent('report ' + unique.length)
      return { unique: unique.length, first: unique[0].file, last: unique[unique.length - 1].file, second }
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    const result = r.result as { unique: number; first: string; last: string; second: string };
    assert.equal(result.unique, 200000 - countDuplicates());
    assert.equal(result.first, 'src/f0.ts');
    assert.equal(result.last, 'src/f99999.ts');
    assert.equal(result.second, `echo:report ${result.unique}`);
  });

  it('an infinite loop is killed at an explicit limit with an error naming the setting and the flag', async () => {
    const r = await h.run(`await agent('first')\n${SPIN}`, { limits: { sliceMs: 300 } });
    assert.equal(r.status, 'failed');
    assert.match(r.error!.message, /ran for more than 300 ms without awaiting/);
    assert.match(r.error!.message, /dynamicWorkflows\.sliceLimitMs/);
    assert.match(r.error!.message, /dwf --slice-ms/);
    assert.deepEqual(r.agents.done, 1, 'the agent before the loop finished');
  });

  it('a slice past the computing threshold emits computing (busy, then not) and the run still completes', async () => {
    // Well over the (lowered) threshold plus the 250 ms poll on any machine, far below the limit.
    const r = await h.run(
      `
      await agent('first')
      let x = 0
      for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003
      return await agent('after ' + x)
    `,
      { limits: { computingMs: 100 } },
    );
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    const c = computingEvents(r.events);
    assert.deepEqual(
      c.map((e) => e.busy),
      [true, false],
    );
    const firstDone = r.events.findIndex((e) => e.type === 'agent' && e.state === 'done');
    assert.ok(r.events.indexOf(c[0]) > firstDone, 'computing comes after the first agent finished');
  });

  it('a script that awaits promptly emits no computing event', async () => {
    const r = await h.run(`const a = await agent('one'); return a`);
    assert.equal(r.status, 'completed');
    assert.deepEqual(computingEvents(r.events), []);
  });

  it('Stop during a busy loop ends the run as stopped, long before the slice limit', async () => {
    const run = h.start(`await agent('first')\n${SPIN}`);
    const events: RunEvent[] = [];
    const computing = new Promise<void>((resolve) =>
      run.events.subscribe((batch) => {
        events.push(...batch);
        if (computingEvents(batch).some((e) => e.busy)) resolve();
      }),
    );
    await computing;
    const stoppedAt = Date.now();
    run.stop();
    const result = await run.done;
    const stopMs = Date.now() - stoppedAt;
    assert.equal(result.status, 'stopped');
    assert.equal(result.error, undefined, 'stopped, not failed by the slice limit');
    assert.ok(stopMs < DEFAULT_LIMITS.sliceMs / 2, `stop took ${stopMs} ms`);
    // The guest really stopped computing: a spinning worker would burn about a core meanwhile.
    const cpuBefore = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    assert.ok(cpuMs < 250, `the process used ${cpuMs} ms of CPU in the 600 ms after Stop`);
    // The host is free for the next run at once.
    const next = await h.run(`return await agent('next')`);
    assert.equal(next.result, 'echo:next');
  });
});

/** Pairs (file, line) repeat where i and i + 150000 agree on line: i % 997 === (i + 150000) % 997. */
function countDuplicates(): number {
  const seen = new Set<string>();
  let dups = 0;
  for (let i = 0; i < 200000; i++) {
    const k = `${i % 150000}:${i % 997}`;
    if (seen.has(k)) dups++;
    else seen.add(k);
  }
  return dups;
}
