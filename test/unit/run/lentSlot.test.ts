// An agent waiting for a person lends its slot out: with one slot, a sibling runs meanwhile; the
// waiting agent takes a slot back (ahead of agents not yet started) before it goes on; an abort
// while waiting leaves nothing held.
import assert from 'node:assert/strict';
import { ConcurrencyGate } from '../../../src/shared/concurrencyGate';
import { LentSlot } from '../../../src/core/run/lentSlot';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LentSlot', () => {
  it('releases the slot while waiting and takes it back after the answer, ahead of the queue', async () => {
    const gate = new ConcurrencyGate(1);
    const ctl = new AbortController();
    const slot = new LentSlot(gate, await gate.acquire(), () => ctl.signal);
    const answer = deferred<string>();
    const waiting = slot.awaitPerson(answer.promise);
    assert.equal(gate.active, 0, 'lent out while the question is open');
    assert.equal(slot.holding, false);
    const sibling = await gate.acquire();
    const later = gate.acquire();
    answer.resolve('once');
    let got: string | undefined;
    void waiting.then((v) => (got = v));
    await new Promise((r) => setImmediate(r));
    assert.equal(got, undefined, 'the answer waits for a free slot');
    sibling();
    assert.equal(await waiting, 'once');
    assert.equal(slot.holding, true);
    assert.equal(gate.waiting, 1, 'the agent not yet started still waits');
    slot.releaseHeld();
    (await later)();
    assert.equal(gate.active, 0);
  });

  it('an abort while waiting rejects at once and holds nothing; hold() takes a slot for a retry', async () => {
    const gate = new ConcurrencyGate(1);
    let ctl = new AbortController();
    const slot = new LentSlot(gate, await gate.acquire(), () => ctl.signal);
    const waiting = slot.awaitPerson(new Promise<string>(() => {}));
    ctl.abort(new Error('stopped'));
    await assert.rejects(waiting, /stopped/);
    assert.equal(gate.active, 0);
    ctl = new AbortController();
    await slot.hold(ctl.signal);
    assert.equal(gate.active, 1);
    slot.releaseHeld();
    slot.releaseHeld();
    assert.equal(gate.active, 0, 'released once');
  });
});
