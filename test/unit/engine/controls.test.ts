// A person's controls on a live run: skip an agent (queued or running), retry a running agent,
// stop the whole run; and how a failing script fails, including the hint for an unguarded
// null result (spec §4.3, §4.4; real-world-scripts "Unguarded results").
import assert from 'node:assert/strict';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import { readJournal } from '../../../src/core/journal/journalFile';
import { MESSAGES } from '../../../src/core/errors';
import type { WorkflowRun } from '../../../src/core/run/run';
import type { RunEvent } from '../../../src/core/run/events';
import type { AgentRequest } from '../../../src/core/ports';

type AgentEvent = Extract<RunEvent, { type: 'agent' }>;

/** Resolves with the first agent event of `run` that matches (replaying what already happened). */
function waitForAgent(run: WorkflowRun, pred: (e: AgentEvent) => boolean, timeoutMs = 5000): Promise<AgentEvent> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error('timed out waiting for an agent event'));
    }, timeoutMs);
    run.events.subscribe(
      (batch) => {
        if (done) return;
        const hit = batch.find((e): e is AgentEvent => e.type === 'agent' && pred(e));
        if (hit) {
          done = true;
          clearTimeout(timer);
          resolve(hit);
        }
      },
      { replay: true },
    );
  });
}

/** Records the abort signal the runner got for each call. */
function captureSignals(h: Harness): { req: AgentRequest; signal: AbortSignal }[] {
  const seen: { req: AgentRequest; signal: AbortSignal }[] = [];
  const run = h.runner.run.bind(h.runner);
  h.runner.run = (req, signal, progress) => {
    seen.push({ req, signal });
    return run(req, signal, progress);
  };
  return seen;
}

function collect(run: WorkflowRun): RunEvent[] {
  const events: RunEvent[] = [];
  run.events.subscribe((b) => events.push(...b), { replay: true });
  return events;
}

describe('engine: controls (skip, retry, stop) and failing scripts', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  describe('skip', () => {
    it('skips a queued agent: agent() resolves null, state skipped, the runner never sees it', async () => {
      h.runner.rule({ match: 'first', hold: true });
      const run = h.start(`return await parallel([() => agent('first'), () => agent('second')])`, { concurrency: 1 });
      const events = collect(run);
      const queued = await waitForAgent(run, (e) => e.label === 'second' && e.state === 'queued');
      await h.runner.waitForCalls(1);
      assert.equal(run.skip(queued.agentId), true);
      h.runner.release('first');
      const res = await run.done;
      assert.equal(res.status, 'completed');
      assert.deepEqual(res.result, ['echo:first', null]);
      assert.deepEqual(
        h.runner.calls.map((c) => c.prompt),
        ['first'],
      );
      assert.deepEqual(
        agentEvents(events, 'skipped').map((e) => e.label),
        ['second'],
      );
      assert.equal(res.agents.skipped, 1);
      assert.equal(res.agents.failed, 0);
      // A skip is the person's choice, not a failure: no `[label] failed:` line.
      assert.ok(!logLines(events).some((l) => l.includes('failed')));
    });

    it('skips a running (held) agent: its signal aborts and agent() resolves null', async () => {
      h.runner.rule({ match: 'long', hold: true });
      const signals = captureSignals(h);
      const run = h.start(`
        const r = await agent('long job')
        const after = await agent('after')
        return { r, after }
      `);
      const events = collect(run);
      const running = await waitForAgent(run, (e) => e.label === 'long job' && e.state === 'running');
      await h.runner.waitForCalls(1);
      assert.equal(run.skip(running.agentId), true);
      const res = await run.done;
      assert.equal(res.status, 'completed');
      assert.deepEqual(res.result, { r: null, after: 'echo:after' });
      assert.equal(signals[0].signal.aborted, true);
      assert.equal(h.runner.heldCount, 0);
      assert.equal(agentEvents(events, 'skipped')[0]?.agentId, running.agentId);
      assert.equal(res.agents.skipped, 1);
      // Skipping twice, or skipping a finished agent, does nothing.
      assert.equal(run.skip(running.agentId), false);
      assert.equal(run.skip('no-such-agent'), false);
    });

    it('records the skip in the journal as failed, so a resume runs the agent again', async () => {
      h.runner.rule({ match: 'long', hold: true });
      const run = h.start(`return await agent('long job')`);
      const running = await waitForAgent(run, (e) => e.state === 'running');
      run.skip(running.agentId);
      const res = await run.done;
      const { lines } = readJournal(h.store.journalPath(res.runId));
      assert.ok(
        lines.some((l) => l.type === 'failed' && l.agentId === running.agentId && l.reason === 'skipped by user'),
      );
    });
  });

  describe('retry', () => {
    it('retries a running agent: the runner is called again with attempt 2, whose result is final', async () => {
      h.runner.rule({ match: 'job', hold: true, reply: (req: AgentRequest) => `result of attempt ${req.attempt}` });
      const signals = captureSignals(h);
      const run = h.start(`return await agent('job')`);
      const events = collect(run);
      const running = await waitForAgent(run, (e) => e.state === 'running');
      await h.runner.waitForCalls(1);
      assert.equal(run.retry(running.agentId), true);
      await h.runner.waitForCalls(2);
      assert.equal(signals[0].signal.aborted, true, 'the first attempt was aborted');
      assert.equal(signals[1].signal.aborted, false);
      assert.deepEqual(
        h.runner.calls.map((c) => c.attempt),
        [1, 2],
      );
      assert.equal(h.runner.calls[1].agentId, running.agentId);
      h.runner.release();
      const res = await run.done;
      assert.equal(res.status, 'completed');
      assert.equal(res.result, 'result of attempt 2');
      const done = agentEvents(events, 'done');
      assert.equal(done.length, 1);
      assert.equal(done[0].attempt, 2);
      assert.deepEqual(res.agents, { total: 1, done: 1, cached: 0, failed: 0, skipped: 0 });
    });

    it('does not retry a queued or finished agent', async () => {
      h.runner.rule({ match: 'first', hold: true });
      const run = h.start(`return await parallel([() => agent('first'), () => agent('second')])`, { concurrency: 1 });
      const queued = await waitForAgent(run, (e) => e.label === 'second' && e.state === 'queued');
      await h.runner.waitForCalls(1);
      assert.equal(run.retry(queued.agentId), false);
      h.runner.release();
      const res = await run.done;
      assert.deepEqual(res.result, ['echo:first', 'echo:second']);
      assert.equal(run.retry(queued.agentId), false);
      assert.equal(h.runner.calls.length, 2);
    });
  });

  describe('stop', () => {
    it('stops mid-run: status stopped, held agents aborted, finished results in the journal', async () => {
      h.runner.rule({ match: 'held', hold: true });
      const signals = captureSignals(h);
      const run = h.start(
        `
        const a = await agent('one')
        const rest = await parallel([() => agent('held 1'), () => agent('held 2'), () => agent('two')])
        log('unreachable')
        return 'never'
      `,
        { concurrency: 4 },
      );
      const events = collect(run);
      await h.runner.waitForCalls(4);
      await waitForAgent(run, (e) => e.label === 'two' && e.state === 'done');
      run.stop();
      const res = await run.done;
      assert.equal(res.status, 'stopped');
      assert.equal(res.result, undefined);
      const held = signals.filter((s) => s.req.prompt.startsWith('held'));
      assert.equal(held.length, 2);
      assert.ok(held.every((s) => s.signal.aborted));
      assert.equal(h.runner.heldCount, 0);
      assert.deepEqual(
        agentEvents(events, 'stopped')
          .map((e) => e.label)
          .sort(),
        ['held 1', 'held 2'],
      );
      assert.ok(!logLines(events).includes('unreachable'));
      const last = events[events.length - 1];
      assert.equal(last.type === 'run' ? last.state : undefined, 'stopped');

      const { lines } = readJournal(h.store.journalPath(res.runId));
      const results = lines.filter((l): l is Extract<typeof l, { type: 'result' }> => l.type === 'result');
      assert.deepEqual(results.map((l) => l.result).sort(), ['echo:one', 'echo:two']);
      const started = lines.filter((l) => l.type === 'started');
      assert.equal(started.length, 4);
      assert.equal(h.store.readRecord(res.runId)?.status, 'stopped');
      // stop() again is harmless.
      run.stop();
    });

    it('a resume after stop replays the finished agents and runs the stopped ones', async () => {
      let holding = true;
      h.runner.rule({ match: (req) => holding && req.prompt === 'held one', hold: true });
      const src = `return await parallel([() => agent('done one'), () => agent('held one')])`;
      const run = h.start(src, { concurrency: 4 });
      await waitForAgent(run, (e) => e.label === 'done one' && e.state === 'done');
      await h.runner.waitForCalls(2);
      run.stop();
      const first = await run.done;
      holding = false; // let the held agent answer this time
      const second = await h.resume(first.runId);
      assert.equal(second.status, 'completed');
      assert.deepEqual(second.result, ['echo:done one', 'echo:held one']);
      assert.equal(second.agents.cached, 1);
      assert.equal(h.runner.calls.filter((c) => c.prompt === 'done one').length, 1);
    });
  });

  describe('failing scripts', () => {
    it('a thrown error fails the run with status failed and the error', async () => {
      const r = await h.run(`
        await agent('a')
        throw new RangeError('the script gave up')
      `);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'RangeError');
      assert.equal(r.error?.message, 'the script gave up');
      assert.equal(r.result, undefined);
      assert.equal(h.store.readRecord(r.runId)?.status, 'failed');
      const last = r.events[r.events.length - 1];
      assert.equal(last.type === 'run' ? last.state : undefined, 'failed');
    });

    it('a thrown non-Error value fails the run too', async () => {
      const r = await h.run(`throw 'plain string'`);
      assert.equal(r.status, 'failed');
      assert.match(r.error!.message, /plain string/);
    });

    it('an unguarded r.x on a null agent result fails with a TypeError naming the null agent', async () => {
      h.runner.rule({ match: 'find bugs', outcome: { kind: 'null', reason: 'API Error: 529 Overloaded' } });
      const r = await h.run(`
        const r = await agent('find bugs in src/', { label: 'finder' })
        return r.findings.map(f => f.title)
      `);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'TypeError');
      const msg = r.error!.message;
      assert.match(msg, /findings/);
      assert.match(msg, /null/);
      assert.match(msg, /Hint: 1 agent\(s\) resolved null/);
      assert.ok(msg.includes("'finder'"), msg);
      assert.ok(msg.includes('API Error: 529 Overloaded'), msg);
      // The agent() call's line in the file: the harness adds a one-line meta header.
      assert.ok(msg.includes("'finder' (line 3): API Error: 529 Overloaded"), msg);
      // The stack points at the dereference itself.
      assert.match(r.error!.stack ?? '', /test\.js:4:/);
    });

    it('a runtime error carries its location in the script: file, line, column and the code frame', async () => {
      const r = await h.run(`
        function summarize(x) {
          return x.y.z
        }
        return summarize({})
      `);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'TypeError');
      const loc = r.error!.location!;
      assert.equal(loc.file, 'test.js');
      assert.equal(loc.line, 4);
      const [line, caret] = loc.frame!.split('\n');
      assert.equal(line.trim(), 'return x.y.z');
      assert.equal(caret.length, loc.column);
      assert.equal(line[loc.column - 1], line.slice(loc.column - 1).trimStart()[0], 'the caret points into the line');
    });

    it('a runtime error after an await on the same line points at the source column, not the rewritten one', async () => {
      const plain = await h.run(`const x = {}; return x.y.z`);
      const awaited = await h.run(`const x = await agent('first'); return x.y.z`);
      // The same dereference, at the same distance from 'x.y.z', whatever the await rewrite inserted.
      const offset = (r: typeof plain) => {
        const loc = r.error!.location!;
        const line = loc.frame!.split('\n')[0];
        return loc.column - (line.indexOf('x.y.z') + 1);
      };
      assert.equal(awaited.error?.location?.line, plain.error?.location?.line);
      assert.equal(offset(awaited), offset(plain));
      assert.ok(offset(plain) >= 0 && offset(plain) < 'x.y.z'.length, `caret inside x.y.z (offset ${offset(plain)})`);
      assert.match(
        awaited.error!.stack ?? '',
        new RegExp(`test\\.js:${awaited.error!.location!.line}:${awaited.error!.location!.column}\\b`),
      );
    });

    it('names a skipped agent in the hint as well', async () => {
      h.runner.rule({ match: 'slow', hold: true });
      const run = h.start(`
        const r = await agent('slow reviewer', { label: 'reviewer' })
        return r.verdict
      `);
      const running = await waitForAgent(run, (e) => e.state === 'running');
      run.skip(running.agentId);
      const res = await run.done;
      assert.equal(res.status, 'failed');
      assert.equal(res.error?.name, 'TypeError');
      assert.ok(res.error!.message.includes("'reviewer'"), res.error!.message);
      assert.ok(res.error!.message.includes('skipped by user'), res.error!.message);
    });

    it('aborts agents still running when the script returns without awaiting them', async () => {
      h.runner.rule({ match: 'forgotten', hold: true });
      const signals = captureSignals(h);
      const run = h.start(`
        agent('forgotten work', { label: 'forgotten' })
        await agent('awaited')
        return 'early'
      `);
      const events = collect(run);
      const res = await run.done;
      assert.equal(res.status, 'completed');
      assert.equal(res.result, 'early');
      const stopped = agentEvents(events, 'stopped');
      assert.deepEqual(
        stopped.map((e) => e.label),
        ['forgotten'],
      );
      assert.equal(stopped[0].error?.message, MESSAGES.stoppedUnawaited);
      assert.ok(signals.find((s) => s.req.label === 'forgotten')?.signal.aborted);
    });

    it('swallows the rejection of an un-awaited agent() call', async () => {
      const r = await h.run(`
        agent('x', { effort: 'nonsense' })
        parallel('not an array')
        return await agent('fine')
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.equal(r.result, 'echo:fine');
    });

    it('adds no hint when no agent resolved null', async () => {
      const r = await h.run(`const x = null; return x.y`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'TypeError');
      assert.ok(!r.error!.message.includes('Hint:'), r.error!.message);
    });
  });
});
