// The terminal renderer as a unit: a RunTrace in, frame lines out; redraw mechanics on a fake stream.
import assert from 'node:assert/strict';
import { RunTrace } from '../../../src/core/run/trace';
import type { AgentState, RunEvent } from '../../../src/core/run/events';
import { LiveView, renderFrame } from '../../../src/cli/liveView';
import { Capture } from './helpers';

const T0 = 1_000_000;

function agent(
  id: string,
  state: AgentState,
  phase: string,
  at: number,
  extra: Partial<Extract<RunEvent, { type: 'agent' }>> = {},
): RunEvent {
  return {
    type: 'agent',
    agentId: id,
    index: Number(id.slice(1)),
    state,
    label: `label-${id}`,
    phase,
    position: {},
    at,
    ...extra,
  };
}

function trace(): RunTrace {
  const t = new RunTrace();
  t.apply([
    {
      type: 'run',
      runId: 'wf_abcdef123456',
      state: 'running',
      name: 'review',
      description: 'd',
      phases: ['Find', 'Verify'],
      at: T0,
    },
    agent('a1', 'done', 'Find', T0 + 100, { usage: { input: 1000, output: 200, cacheRead: 5000, cacheWrite: 300 } }),
    agent('a2', 'cached', 'Find', T0 + 100, { usage: { input: 999, output: 999, cacheRead: 0, cacheWrite: 0 } }),
    agent('a3', 'running', 'Find', T0 + 2000, { toolName: 'Grep' }),
    agent('a4', 'null', 'Find', T0 + 300, { error: { name: 'AgentNull', message: 'overloaded' } }),
    agent('a5', 'queued', 'Verify', T0 + 400),
    agent('a6', 'running', 'Verify', T0 + 500),
  ]);
  return t;
}

describe('cli: live view', () => {
  it('a slice past a second shows "script computing…" on the run line until the slice ends', () => {
    const t = trace();
    t.apply([{ type: 'computing', busy: true, at: T0 + 5000 }]);
    assert.match(renderFrame(t, { now: T0 + 6000 })[0], /· running · 6\.0s · script computing…$/);
    t.apply([{ type: 'computing', busy: false, at: T0 + 7000 }]);
    assert.doesNotMatch(renderFrame(t, { now: T0 + 8000 })[0], /computing/);
    // A run that ends mid-slice is no longer computing.
    t.apply([{ type: 'computing', busy: true, at: T0 + 9000 }]);
    t.apply([
      {
        type: 'run',
        runId: 'wf_abcdef123456',
        state: 'stopped',
        name: 'review',
        description: 'd',
        phases: [],
        at: T0 + 9500,
      },
    ]);
    assert.doesNotMatch(renderFrame(t, { now: T0 + 9600 })[0], /computing/);
  });

  it('the frame shows phases with counts, running agents with elapsed time, totals and tokens', () => {
    const lines = renderFrame(trace(), { now: T0 + 12_000, costUsd: 0.5 });
    const text = lines.join('\n');
    assert.match(lines[0], /^● review · wf_abcdef123456 · running · 12s$/);
    assert.match(text, /Find +2\/4 · 1 running · 1 cached · 1 failed/);
    assert.match(text, /Verify +0\/2 · 1 running · 1 queued/);
    // Longest-running first.
    const running = lines.filter((l) => l.includes('⋯'));
    assert.deepEqual(
      running.map((l) => l.trim()),
      ['⋯ label-a6 11s [Verify]', '⋯ label-a3 10s · Grep [Find]'],
    );
    assert.ok(lines.includes('agents 6 · 1 done · 1 cached · 1 failed · 2 running · 1 queued'), text);
    // The replayed agent's tokens were not spent by this run.
    assert.ok(lines.includes('tokens in 1k · out 200 · cache read 5k · cache write 300 · $0.50'), text);
  });

  it('caps the running list and says how many more; agents outside phases get their own row', () => {
    const t = new RunTrace();
    const events: RunEvent[] = [
      { type: 'run', runId: 'wf_abcdef123456', state: 'running', name: 'n', description: 'd', phases: [], at: T0 },
    ];
    for (let i = 0; i < 12; i++)
      events.push({
        type: 'agent',
        agentId: `x${i}`,
        index: i,
        state: 'running',
        label: `x${i}`,
        position: {},
        at: T0 + i,
      });
    t.apply(events);
    const lines = renderFrame(t, { now: T0 + 1000, maxRunning: 5 });
    assert.equal(lines.filter((l) => l.includes('⋯')).length, 5);
    assert.ok(lines.includes('    … 7 more running'), lines.join('\n'));
    assert.ok(
      lines.some((l) => /^ +\(agents\) +0\/12 · 12 running$/.test(l)),
      lines.join('\n'),
    );
  });

  it('the end state shows the status and the run’s duration, without cost when none is known', () => {
    const t = trace();
    t.apply([
      {
        type: 'run',
        runId: 'wf_abcdef123456',
        state: 'stopped',
        name: 'review',
        description: 'd',
        phases: [],
        at: T0 + 65_000,
      },
    ]);
    const lines = renderFrame(t, { now: T0 + 99_000 });
    assert.match(lines[0], /^■ review · wf_abcdef123456 · stopped · 1m05s$/);
    assert.ok(!lines[lines.length - 1].includes('$'));
  });

  it('redraws in place: cursor up over the previous block, log lines above it, at most one draw per interval', async () => {
    const out = new Capture(true, 60);
    const t = trace();
    let now = T0 + 5000;
    const view = new LiveView(out, t, { now: () => now, intervalMs: 100, tickMs: 60_000 });
    view.events([{ type: 'log', level: 'info', message: 'first', at: now }]);
    const firstFrame = out.text.split('\n').length - 2; // lines of the block (minus the log line)
    assert.ok(out.text.startsWith('\x1b[2Klog: first\n'), JSON.stringify(out.text.slice(0, 40)));
    assert.ok(!out.text.includes('\x1b[' + firstFrame + 'A'), 'nothing to go back over on the first draw');

    // Many batches within one interval: one redraw.
    const writes = out.text.length;
    for (let i = 0; i < 20; i++) view.events([]);
    assert.equal(out.text.length, writes, 'throttled: nothing drawn synchronously');
    now += 100;
    await new Promise((r) => setTimeout(r, 120));
    const redraw = out.text.slice(writes);
    assert.ok(redraw.startsWith(`\x1b[${firstFrame}A\r`), JSON.stringify(redraw.slice(0, 20)));
    assert.equal(redraw.split('\x1b[2K').length - 1, firstFrame, 'one redraw of the block');

    // Every line fits the terminal width, so cursor-up counts stay right.
    for (const l of redraw.split('\n')) assert.ok([...l.replace(/\x1b\[\d*[A-Za-z]|\r/g, '')].length < 60, l);

    const seen = out.text.length;
    await view.suspend(async () => {
      assert.ok(out.text.slice(seen).endsWith('\x1b[0J'), 'the block is erased while suspended');
      view.events([{ type: 'log', level: 'warn', message: 'during prompt', at: now }]);
    });
    assert.ok(out.text.includes('warn: during prompt\n'));
    view.finish();
    assert.ok(out.text.endsWith('\x1b[0J'));
  });
});
