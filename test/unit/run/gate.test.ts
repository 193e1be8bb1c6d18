import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { ConcurrencyGate } from '../../../src/shared/concurrencyGate';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('ConcurrencyGate', () => {
  it('defaultLimit is min(16, max(2, cpus − 2))', () => {
    assert.deepEqual(
      [1, 2, 4, 5, 8, 18, 64].map((c) => ConcurrencyGate.defaultLimit(c)),
      [2, 2, 2, 3, 6, 16, 16],
    );
    assert.equal(ConcurrencyGate.defaultLimit(), Math.min(16, Math.max(2, availableParallelism() - 2)));
  });

  it('rejects a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => new ConcurrencyGate(bad), RangeError);
    assert.throws(() => new ConcurrencyGate(2).setLimit(0), RangeError);
  });

  it('starts waiters in FIFO order and never exceeds the limit under contention', async () => {
    const gate = new ConcurrencyGate(3);
    const started: number[] = [];
    let active = 0;
    let maxActive = 0;
    const task = async (i: number) => {
      const release = await gate.acquire();
      started.push(i);
      active++;
      maxActive = Math.max(maxActive, active);
      assert.ok(gate.active <= gate.limit);
      await new Promise((r) => setTimeout(r, (i * 7) % 5)); // uneven durations shuffle release order
      active--;
      release();
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => task(i)));
    assert.deepEqual(
      started,
      Array.from({ length: 30 }, (_, i) => i),
    );
    assert.equal(maxActive, 3);
    assert.equal(gate.active, 0);
    assert.equal(gate.waiting, 0);
  });

  it('hands a freed slot to the oldest waiter, not to a newcomer', async () => {
    const gate = new ConcurrencyGate(1);
    const order: string[] = [];
    const releaseA = await gate.acquire();
    const b = gate.acquire().then((rel) => (order.push('b'), rel));
    releaseA();
    // The slot went straight to b, so there is nothing left for a newcomer to grab.
    assert.equal(gate.active, 1);
    assert.equal(gate.waiting, 0);
    const c = gate.acquire().then((rel) => (order.push('c'), rel));
    (await b)();
    (await c)();
    assert.deepEqual(order, ['b', 'c']);
  });

  it('front: an agent taking its lent slot back waits ahead of the queue, not behind it', async () => {
    const gate = new ConcurrencyGate(1);
    const order: string[] = [];
    const releaseA = await gate.acquire();
    const b = gate.acquire().then((rel) => (order.push('b'), rel));
    const back = gate.acquire(undefined, { front: true }).then((rel) => (order.push('back'), rel));
    releaseA();
    (await back)();
    (await b)();
    assert.deepEqual(order, ['back', 'b']);
    assert.equal(gate.active, 0);
  });

  it('release is idempotent', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire();
    let second = false;
    const next = gate.acquire().then((rel) => ((second = true), rel));
    const third = gate.acquire();
    release();
    release(); // must not free a second slot for `third`
    await next;
    await tick();
    assert.equal(second, true);
    assert.equal(gate.active, 1);
    assert.equal(gate.waiting, 1);
    (await next)();
    (await third)();
    assert.equal(gate.active, 0);
  });

  it('an aborted waiter leaves the queue and rejects with the signal reason', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire();
    const ac = new AbortController();
    const aborted = gate.acquire(ac.signal);
    const after = gate.acquire();
    assert.equal(gate.waiting, 2);
    const reason = new Error('stop');
    ac.abort(reason);
    await assert.rejects(aborted, (e) => e === reason);
    assert.equal(gate.waiting, 1);
    release();
    const relAfter = await after;
    assert.equal(gate.active, 1);
    relAfter();
    assert.equal(gate.active, 0);
  });

  it('an already aborted signal rejects at once without queueing', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    const ac = new AbortController();
    ac.abort('gone');
    await assert.rejects(gate.acquire(ac.signal), (e) => e === 'gone');
    assert.equal(gate.waiting, 0);
  });

  it('a granted slot ignores a later abort', async () => {
    const gate = new ConcurrencyGate(1);
    const ac = new AbortController();
    const release = await gate.acquire(ac.signal);
    ac.abort();
    assert.equal(gate.active, 1);
    release();
    assert.equal(gate.active, 0);
  });

  it('raising the limit wakes waiters at once', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    let woke = 0;
    for (let i = 0; i < 3; i++) void gate.acquire().then(() => woke++);
    gate.setLimit(3);
    await tick();
    assert.equal(woke, 2);
    assert.equal(gate.active, 3);
    assert.equal(gate.waiting, 1);
  });

  it('lowering the limit takes effect as slots free', async () => {
    const gate = new ConcurrencyGate(3);
    const held = [await gate.acquire(), await gate.acquire(), await gate.acquire()];
    let woke = 0;
    const waiters = [gate.acquire(), gate.acquire()];
    waiters.forEach((w) => void w.then(() => woke++));
    gate.setLimit(1);
    assert.equal(gate.active, 3); // running agents are not revoked
    held[0]();
    held[1]();
    await tick();
    assert.equal(woke, 0);
    assert.equal(gate.active, 1);
    held[2]();
    await tick();
    assert.equal(woke, 1);
    assert.equal(gate.active, 1);
    assert.equal(gate.waiting, 1);
  });
});
