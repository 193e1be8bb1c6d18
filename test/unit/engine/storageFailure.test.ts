// A run whose own files cannot be written (disk full) still ends: `done` settles as failed with an
// error that names the file and says what to do, the lock is released, and every line written
// before the failure stays in the journal, so a resume replays those agents.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createHarness, agentEvents, type Harness } from '../../fakes/engineHarness';
import { FailingRunStore } from '../../fakes/failingRunStore';
import { readJournal } from '../../../src/core/journal/journalFile';
import type { RunResult } from '../../../src/core/run/run';

const THREE = `
const a = await agent('first', { label: 'a' })
const b = await agent('second', { label: 'b' })
const c = await agent('third', { label: 'c' })
return [a, b, c]
`;
const THREE_RESULT = ['echo:first', 'echo:second', 'echo:third'];

/** A run's done, or a rejection if it has not settled in `ms` (a hang fails the test, not the suite). */
function settled(done: Promise<RunResult>, ms = 15_000): Promise<RunResult> {
  return Promise.race([
    done,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`done did not settle within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describe('engine: storage failures end the run (done always settles)', function () {
  this.timeout(60_000);
  let h: Harness;
  let store: FailingRunStore;
  beforeEach(() => {
    h = createHarness({ store: (root) => (store = new FailingRunStore(root)) });
  });
  afterEach(() => h.cleanup());

  // Lines of THREE: 1 launched, 2 started a, 3 result a, 4 started b, 5 result b, 6 started c, 7 result c.
  for (const n of [2, 3, 4, 5, 6, 7]) {
    it(`journal line ${n} fails (ENOSPC): the run fails naming the journal; the ${Math.floor((n - 2) / 2)} result(s) before it replay on resume`, async () => {
      store.failures = { journalLine: n };
      const run = h.start(THREE);
      const r = await settled(run.done);
      const journal = h.store.journalPath(r.runId);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'RunStorageError');
      assert.ok(
        r.error?.message.includes(`Could not write the run journal ${journal}: ENOSPC: no space left on device`),
        r.error?.message,
      );
      assert.match(r.error!.message, /Free disk space .*then resume the run/);
      assert.equal(r.result, undefined);

      // Nothing written before the failure is lost; nothing after it was written.
      const { lines, damaged } = readJournal(journal);
      assert.equal(damaged.length, 0);
      assert.equal(lines.length, n - 1);
      const journaled = lines.filter((l) => l.type === 'result').length;
      assert.equal(journaled, Math.floor((n - 2) / 2));
      assert.equal(r.agents.done, journaled, 'only journaled results count as done');
      assert.equal(
        h.runner.calls.length,
        Math.floor((n - 1) / 2),
        'only agents whose start is journaled reach the runner',
      );

      // The record says failed with the same error; the lock is free, so the run resumes.
      const record = h.store.readRecord(r.runId)!;
      assert.equal(record.status, 'failed');
      assert.equal(record.error?.message, r.error?.message);
      store.failures = {};
      const callsBefore = h.runner.calls.length;
      const again = await h.resume(r.runId);
      assert.equal(again.status, 'completed');
      assert.deepEqual(again.result, THREE_RESULT);
      assert.equal(again.agents.cached, journaled);
      assert.equal(h.runner.calls.length - callsBefore, 3 - journaled, 'journaled agents are replayed, not run again');
    });
  }

  it('the first line fails: start() throws naming the journal and frees the lock', () => {
    store.failures = { journalLine: 1 };
    assert.throws(
      () => h.start(THREE),
      (e: Error) => /^Could not write the run journal .*journal\.jsonl: ENOSPC/.test(e.message),
    );
    const [record] = h.store.list();
    store.failures = {};
    const run = h.engine.resume(record.runId);
    return settled(run.done).then((r) => assert.equal(r.status, 'completed'));
  });

  it('a batch fails while other agents run: they are aborted, unsaved results are shown stopped, not done', async () => {
    h.runner.rule({ match: 'slow', hold: true });
    // 1 launched, 2-5 started (one ops batch), 6 = the first outcome batch.
    store.failures = { journalLine: 6 };
    const run = h.start(`return await parallel(['q1', 'q2', 'q3', 'slow'].map((p) => () => agent(p, { label: p })))`);
    const events: Parameters<typeof agentEvents>[0] = [];
    run.events.subscribe((b) => events.push(...b));
    const r = await settled(run.done);
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.name, 'RunStorageError');
    assert.equal(r.agents.done, 0);
    assert.equal(agentEvents(events, 'done').length, 0, 'no result that missed the journal is announced as done');
    const stopped = agentEvents(events, 'stopped');
    assert.deepEqual(stopped.map((e) => e.label).sort(), ['q1', 'q2', 'q3', 'slow']);
    assert.ok(
      stopped.filter((e) => /could not be written to the run journal/.test(e.error?.message ?? '')).length === 3,
      JSON.stringify(stopped),
    );
    assert.equal(h.runner.heldCount, 0, 'the held agent was aborted');
    assert.equal(h.runner.inFlight, 0);
    const last = events[events.length - 1];
    assert.ok(last.type === 'run' && last.state === 'failed', 'the run event closes the stream');
  });

  it("the journal's fdatasync fails (write-back ENOSPC): the run fails naming the journal; the written result replays", async () => {
    store.failures = { sync: true };
    const r = await settled(h.start(THREE).done);
    assert.equal(r.status, 'failed');
    assert.ok(
      r.error?.message.includes(
        `Could not write the run journal ${h.store.journalPath(r.runId)}: ENOSPC: no space left on device, fdatasync`,
      ),
      r.error?.message,
    );
    store.failures = {};
    const again = await h.resume(r.runId);
    assert.equal(again.status, 'completed');
    assert.ok(again.agents.cached >= 1, `cached ${again.agents.cached}`);
  });

  it('the final record write fails: the run fails naming run.json, says how it had ended, frees the lock', async () => {
    // Write 1 is create(); write 2 the final record.
    store.failures = { recordWrite: 2 };
    const r = await settled(h.start(THREE).done);
    const recordFile = h.store.recordPath(r.runId);
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.name, 'RunStorageError');
    assert.ok(r.error?.message.startsWith(`Could not write the run record ${recordFile}: ENOSPC`), r.error?.message);
    assert.match(r.error!.message, /the run had completed/);
    assert.match(r.error!.message, /resume the run/);
    assert.equal(r.agents.done, 3);
    // The record on disk is still the one create() wrote: listed as interrupted, and resumable.
    assert.equal(JSON.parse(fs.readFileSync(recordFile, 'utf8')).status, 'running');
    assert.equal(h.store.isLive(h.store.readRecord(r.runId)!), false, 'the lock was released');
    store.failures = {};
    const again = await h.resume(r.runId);
    assert.equal(again.status, 'completed');
    assert.equal(again.agents.cached, 3);
  });

  it('a stop whose record write fails still settles, as failed with the record error', async () => {
    h.runner.rule({ match: 'second', hold: true });
    store.failures = { recordWrite: 2 };
    const run = h.start(THREE);
    await h.runner.waitForCalls(2);
    run.stop();
    const r = await settled(run.done);
    assert.equal(r.status, 'failed');
    assert.match(r.error!.message, /^Could not write the run record .*run\.json: ENOSPC.*the run had stopped/s);
    run.stop(); // a second stop after the end changes nothing
    assert.equal((await run.done).status, 'failed');
  });
});
