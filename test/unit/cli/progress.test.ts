// What a person sees while a run works: plain lines off a terminal, a redrawn view on one.
import assert from 'node:assert/strict';
import { Capture, cli, sandbox, TWO_AGENTS, type Sandbox } from './helpers';
import { PlainProgress } from '../../../src/cli/progress';
import { RunTrace } from '../../../src/core/run/trace';

describe('cli: progress output', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('not a TTY: one stderr line per finished agent and per log line, no escape codes', async () => {
    box.write('two.js', TWO_AGENTS.replace("agent('item ' + i", "agent((i === 2 ? 'bad ' : 'item ') + i"));
    const c = cli(box, { rules: [{ match: 'bad', outcome: { kind: 'null', reason: 'overloaded' } }] });
    assert.equal(await c.run('run', 'two.js'), 0, c.stderr.text);
    const lines = c.stderr.lines();
    assert.match(lines[0], /^dwf: two · run wf_[\w-]+/);
    assert.ok(
      lines.some((l) => /^\[\d\/2\] done +item-1 \(Find\) · [\d.]+s · 10 in \/ 5 out$/.test(l)),
      c.stderr.text,
    );
    assert.ok(
      lines.some((l) => /^\[\d\/2\] null +item-2 \(Find\) .*— overloaded$/.test(l)),
      c.stderr.text,
    );
    assert.ok(lines.includes('log: found 2'), c.stderr.text);
    assert.ok(
      lines.some((l) => /^warn: \[item-2\] failed: overloaded$/.test(l)),
      c.stderr.text,
    );
    assert.match(lines[lines.length - 1], /^completed in [\d.]+s · 2 agents: 1 done, 1 failed · tokens in 20 · out 10/);
    assert.ok(!c.stderr.text.includes('\x1b['));
    assert.deepEqual(JSON.parse(c.stdout.text), ['echo:item 1', null]);
  });

  it('a TTY: the live view redraws in place on stdout and ends with the final frame', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box, { tty: true, defaultDelayMs: 20 });
    assert.equal(await c.run('run', 'two.js'), 0, c.stderr.text);
    const out = c.stdout.text;
    assert.match(out, /\x1b\[\d+A\r/, 'cursor up to redraw');
    assert.ok(out.includes('\x1b[2K'), 'lines cleared before they are rewritten');
    assert.ok(out.includes('log: found 2'), 'log lines go above the view');
    // The last frame: completed, the phase 2/2, the totals, then the result.
    const last = out.slice(out.lastIndexOf('✓ two'));
    assert.match(last, /✓ two · wf_[\w-]+ · completed/);
    assert.match(last, /Find +2\/2/);
    assert.match(last, /agents 2 · 2 done · 0 cached · 0 failed · 0 running · 0 queued/);
    assert.match(last, /tokens in 20 · out 10 · cache read 0 · cache write 0/);
    assert.ok(out.trimEnd().endsWith('"echo:item 2"\n]'), 'the result follows the view');
    assert.equal(c.stderr.text, '', 'a completed run adds nothing on stderr');
  });

  it('not a TTY: a slice past a second is announced once, its end is not', () => {
    const out = new Capture();
    const view = new PlainProgress(out, new RunTrace());
    view.events([{ type: 'computing', busy: true, at: 1 }]);
    view.events([{ type: 'computing', busy: false, at: 2 }]);
    assert.deepEqual(out.lines(), ['dwf: script computing…']);
  });
});
