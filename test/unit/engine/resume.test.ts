import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createHarness, agentEvents, type Harness } from '../../fakes/engineHarness';
import { slowDelay } from '../../fakes/killableRun';
import { readJournal } from '../../../src/core/journal/journalFile';

describe('engine: resume replays every finished agent', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('replays the other slots when one slot failed (no longest-prefix rule)', async () => {
    let failSlot = true;
    h = createHarness({
      rules: [
        {
          match: 'item 2',
          outcome: () => (failSlot ? { kind: 'null', reason: 'overloaded' } : { kind: 'done', result: 'ok:2' }),
        },
      ],
    });
    const src = `return await parallel([0, 1, 2, 3, 4].map(i => () => agent('item ' + i)))`;
    const first = await h.run(src);
    assert.deepEqual(first.result, ['echo:item 0', 'echo:item 1', null, 'echo:item 3', 'echo:item 4']);
    failSlot = false;
    const before = h.runner.calls.length;
    const second = await h.resume(first.runId);
    const live = h.runner.calls.slice(before).map((c) => c.prompt);
    assert.deepEqual(live, ['item 2']);
    assert.deepEqual(second.result, ['echo:item 0', 'echo:item 1', 'ok:2', 'echo:item 3', 'echo:item 4']);
    const queued = agentEvents(second.events, 'queued');
    assert.equal(queued.length, 1);
    assert.equal(queued[0].reason, 'previously-failed');
  });

  it('hits 100% when concurrent branches finished in a different order than before', async () => {
    // Random-looking delays reverse completion order; raw Promise.all over async arrows included.
    h = createHarness({
      rules: [{ match: () => true, delayMs: (r) => slowDelay(r.prompt) % 30, reply: (r) => `r(${r.prompt})` }],
    });
    const src = `
      const a = await parallel([0, 1, 2, 3].map(i => async () => { const x = await agent('find ' + i); return agent('check ' + x) }))
      const b = await Promise.all([0, 1, 2].map(async i => { const y = await agent('raw ' + i); return agent('then ' + y) }))
      const c = await pipeline(a, (x) => agent('s1 ' + x), (y, x, i) => agent('s2 ' + i + y))
      return { a, b, c }`;
    const first = await h.run(src, { concurrency: 3 });
    const calls = h.runner.calls.length;
    assert.equal(calls, 8 + 6 + 8);
    const second = await h.resume(first.runId, { concurrency: 2 });
    assert.equal(h.runner.calls.length, calls, 'no agent ran twice');
    assert.equal(second.agents.cached, calls);
    assert.deepEqual(second.result, first.result);
  });

  it('after editing one prompt inside one parallel slot, only that slot’s chain re-runs', async () => {
    h = createHarness();
    const src = (edit: string) => `
      const out = await parallel([0, 1, 2].map(i => async () => {
        const a = await agent('read ' + i)
        const b = await agent('analyse ' + a${edit})
        return agent('report ' + i)
      }))
      return out`;
    const first = await h.run(src(''));
    const before = h.runner.calls.length;
    const second = await h.resume(first.runId, { source: src(" + (i === 1 ? ' carefully' : '')") });
    const live = h.runner.calls.slice(before).map((c) => c.prompt);
    assert.deepEqual(live.sort(), ['analyse echo:read 1 carefully', 'report 1']);
    assert.equal(second.agents.cached, 7);
    const reasons = Object.fromEntries(agentEvents(second.events, 'queued').map((e) => [e.label, e.reason]));
    assert.equal(reasons['analyse echo:read 1 carefully'], 'changed');
    assert.equal(reasons['report 1'], 'chain-changed');
  });

  it('reuses the stored args on resume unless new ones are given', async () => {
    h = createHarness();
    const src = `return await agent('topic ' + args.topic)`;
    const first = await h.run(src, { args: { topic: 'caching' } });
    assert.equal(first.result, 'echo:topic caching');
    const second = await h.resume(first.runId);
    assert.equal(second.agents.cached, 1);
    assert.equal(second.result, 'echo:topic caching');
    const third = await h.resume(first.runId, { args: { topic: 'queues' }, argsGiven: true });
    assert.equal(third.result, 'echo:topic queues');
    assert.equal(third.agents.cached, 0);
  });

  it('after a stop, finished agents replay and unfinished ones re-run with the reason', async () => {
    let holding = true;
    h = createHarness({ rules: [{ match: (r) => holding && r.prompt.startsWith('slow'), hold: true }] });
    const run = h.start(
      `return await parallel([() => agent('fast 1'), () => agent('slow 2'), () => agent('fast 3')])`,
      { concurrency: 3 },
    );
    await h.runner.waitForCalls(3);
    await new Promise((r) => setTimeout(r, 50));
    run.stop();
    const stopped = await run.done;
    assert.equal(stopped.status, 'stopped');
    const lines = readJournal(h.store.journalPath(run.runId)).lines;
    assert.equal(lines.filter((l) => l.type === 'result').length, 2);
    holding = false;
    const before = h.runner.calls.length;
    const resumed = await h.resume(run.runId);
    assert.deepEqual(
      h.runner.calls.slice(before).map((c) => c.prompt),
      ['slow 2'],
    );
    assert.deepEqual(resumed.result, ['echo:fast 1', 'echo:slow 2', 'echo:fast 3']);
    assert.equal(agentEvents(resumed.events, 'queued')[0].reason, 'unfinished');
  });

  it('the run record sums spend across resumes; replayed agents cost nothing again', async () => {
    h = createHarness();
    const first = await h.run(`return [await agent('a'), await agent('b')]`);
    assert.equal(h.store.readRecord(first.runId)!.usage.output, 10);
    const second = await h.resume(first.runId, { source: `return [await agent('a'), await agent('b2')]` });
    assert.equal(second.usage.output, 5, 'this resume spent one agent');
    assert.equal(h.store.readRecord(first.runId)!.usage.output, 15);
  });

  it('writes the spec §4.7 journal lines with v2 keys', async () => {
    h = createHarness();
    const first = await h.run(`return await agent('x', { label: 'X', phase: 'P' })`);
    const lines = readJournal(h.store.journalPath(first.runId)).lines;
    assert.deepEqual(
      lines.map((l) => l.type),
      ['launched', 'started', 'result'],
    );
    const started = lines[1] as Extract<(typeof lines)[number], { type: 'started' }>;
    assert.match(started.key, /^v2:[0-9a-f]{64}$/);
    assert.equal(started.label, 'X');
    assert.equal(started.phase, 'P');
    assert.equal((lines[2] as { result: unknown }).result, 'echo:x');
  });

  it('refuses to resume an unknown run or one that is still running', async () => {
    h = createHarness({ rules: [{ match: 'hold', hold: true }] });
    assert.throws(() => h.engine.resume('wf_doesnotexist'), /No run wf_doesnotexist/);
    const run = h.start(`return await agent('hold')`);
    await h.runner.waitForCalls(1);
    assert.throws(
      () => h.engine.resume(run.runId),
      /Run wf_[a-z0-9-]+ is already running \(pid \d+, since .*\)\. Wait for it or stop it/,
    );
    run.stop();
    await run.done;
  });

  it('loses no finished agent when the process is SIGKILLed mid-run, and resumes to the same result', async function () {
    this.timeout(60000);
    h = createHarness({
      rules: [{ match: () => true, delayMs: (r) => slowDelay(r.prompt), reply: (r) => `done:${r.prompt}` }],
    });
    const script = `export const meta = { name: 'killed', description: 'killed mid-run' }
      const found = await parallel(Array.from({ length: 16 }, (_, i) => () => agent('find ' + i)))
      const checked = await pipeline(found, (f) => agent('check ' + f), (c, f, i) => agent('fix ' + i + ' ' + c))
      return { found, checked }`;
    const file = path.join(h.dir, 'killed.js');
    fs.writeFileSync(file, script);
    // The uninterrupted result, computed in this process with the same deterministic runner.
    const reference = await h.run(script);
    const baseline = h.runner.calls.length;

    const runsDir = path.join(h.dir, 'runs');
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../fakes/killableRun.js'), runsDir, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runId = '';
    const done = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.startsWith('RUN ')) runId = line.slice(4);
          if (line.startsWith('DONE ')) done.add(line.slice(5));
          if (line.startsWith('END')) reject(new Error('the run ended before it could be killed'));
          if (done.size >= 20) {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      child.on('error', reject);
    });
    await new Promise((r) => child.on('exit', r));
    assert.ok(runId.startsWith('wf_'));

    const resumed = await h.resume(runId);
    const rerun = h.runner.calls.slice(baseline);
    const rerunIds = new Set(rerun.map((c) => c.agentId));
    for (const id of done) assert.ok(!rerunIds.has(id), `finished agent ${id} ran again`);
    assert.ok(resumed.agents.cached >= done.size, `${resumed.agents.cached} cached < ${done.size} finished`);
    assert.equal(resumed.agents.cached + rerun.length, 48);
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(resumed.result, reference.result);
  });
});
