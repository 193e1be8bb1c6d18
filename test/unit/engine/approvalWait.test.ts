// An agent waiting for a person's approval does not hold a concurrency slot: with concurrency 1
// its sibling runs to the end meanwhile, and the waiting agent finishes after the answer. Through
// the real engine (QuickJS script, journal), with a runner that asks through progress.awaitPerson
// as the agent's permission gates do.
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../fakes/engineHarness';

describe('engine: agents waiting for approval lend their slot', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  function askingRunner() {
    let answer!: (v: string) => void;
    const question = new Promise<string>((r) => (answer = r));
    let asked!: () => void;
    const askedPromise = new Promise<void>((r) => (asked = r));
    const finished: string[] = [];
    const inner = h.runner.run.bind(h.runner);
    h.runner.run = async (req, signal, progress) => {
      if (req.prompt === 'asks') {
        assert.ok(progress.awaitPerson, 'the engine offers awaitPerson');
        asked();
        const got = await progress.awaitPerson(question);
        const out = await inner({ ...req, prompt: `asks:${got}` }, signal, progress);
        finished.push(req.prompt);
        return out;
      }
      const out = await inner(req, signal, progress);
      finished.push(req.prompt);
      return out;
    };
    return { answer, asked: askedPromise, finished };
  }

  it('with concurrency 1, the sibling finishes while the first agent waits; then the first goes on', async () => {
    const r = askingRunner();
    const run = h.start(`return await parallel([() => agent('asks'), () => agent('sibling'), () => agent('third')])`, {
      concurrency: 1,
    });
    await r.asked;
    await h.runner.waitForCalls(2);
    // Both siblings get the one slot in turn while the question is open.
    await new Promise<void>((resolve) => {
      const poll = () => (r.finished.length === 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    assert.deepEqual(r.finished, ['sibling', 'third']);
    r.answer('once');
    const res = await run.done;
    assert.equal(res.status, 'completed', res.error?.message);
    assert.deepEqual(res.result, ['echo:asks:once', 'echo:sibling', 'echo:third']);
    assert.equal(h.runner.maxInFlight <= 2, true, 'one running plus the one waiting, never more');
  });

  it('stopping the run while an agent waits ends it cleanly', async () => {
    const r = askingRunner();
    const run = h.start(`return await parallel([() => agent('asks'), () => agent('sibling')])`, { concurrency: 1 });
    await r.asked;
    run.stop();
    const res = await run.done;
    assert.equal(res.status, 'stopped');
  });
});
