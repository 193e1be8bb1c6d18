import assert from 'node:assert/strict';
import { EventBus } from '../../../src/core/run/eventBus';
import type { RunEvent } from '../../../src/core/run/events';

const log = (message: string): RunEvent => ({ type: 'log', level: 'info', message, at: 0 });
const msgs = (batch: readonly RunEvent[]) => batch.map((e) => (e.type === 'log' ? e.message : e.type));
const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('EventBus', () => {
  it('never calls listeners from emit; delivers one batch in emit order', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    const batches: string[][] = [];
    bus.subscribe((b) => batches.push(msgs(b)));
    bus.emit(log('a'));
    bus.emit(log('b'));
    bus.emit(log('c'));
    assert.deepEqual(batches, []);
    await tick();
    assert.deepEqual(batches, [['a', 'b', 'c']]);
  });

  it('delivers at most once per interval', async () => {
    const bus = new EventBus({ intervalMs: 60 });
    const seen: { at: number; msgs: string[] }[] = [];
    bus.subscribe((b) => seen.push({ at: Date.now(), msgs: msgs(b) }));
    bus.emit(log('first'));
    await sleep(20); // after a quiet spell the first batch goes out promptly
    assert.deepEqual(
      seen.map((s) => s.msgs),
      [['first']],
    );
    bus.emit(log('x'));
    bus.emit(log('y'));
    await sleep(15);
    assert.equal(seen.length, 1, 'second batch must wait for the interval');
    while (seen.length < 2) await sleep(5);
    assert.deepEqual(seen[1].msgs, ['x', 'y']);
    assert.ok(seen[1].at - seen[0].at >= 55, `gap ${seen[1].at - seen[0].at} ms`);
    bus.dispose();
  });

  it('a throwing listener does not break the others', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    const got: string[][] = [];
    bus.subscribe(() => {
      throw new Error('broken view');
    });
    bus.subscribe((b) => got.push(msgs(b)));
    bus.emit(log('a'));
    await tick();
    bus.emit(log('b'));
    await tick();
    assert.deepEqual(got, [['a'], ['b']]);
  });

  it('flush delivers pending events now and only once', async () => {
    const bus = new EventBus({ intervalMs: 10_000 });
    const got: string[][] = [];
    bus.subscribe((b) => got.push(msgs(b)));
    bus.emit(log('a'));
    bus.flush();
    assert.deepEqual(got, [['a']]);
    bus.emit(log('b'));
    bus.flush();
    bus.flush();
    await tick();
    assert.deepEqual(got, [['a'], ['b']]);
    bus.dispose();
  });

  it('keeps every event in history', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    for (let i = 0; i < 5; i++) bus.emit(log(String(i)));
    assert.deepEqual(msgs(bus.history), ['0', '1', '2', '3', '4']);
    await tick();
    bus.emit(log('5'));
    assert.equal(bus.history.length, 6);
  });

  it('replays history to a late subscriber as one batch, without duplicates', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    bus.emit(log('a'));
    bus.emit(log('b'));
    await tick();
    bus.emit(log('c')); // pending at subscribe time
    const got: string[][] = [];
    bus.subscribe((b) => got.push(msgs(b)), { replay: true });
    assert.deepEqual(got, [['a', 'b']]);
    await tick();
    assert.deepEqual(got, [['a', 'b'], ['c']]);
    const plain: string[][] = [];
    bus.subscribe((b) => plain.push(msgs(b)));
    bus.emit(log('d'));
    await tick();
    assert.deepEqual(plain, [['d']]);
  });

  it('unsubscribe stops delivery, even within the current batch', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    const got: string[] = [];
    let offB = () => {};
    bus.subscribe(() => {
      got.push('A');
      offB();
    });
    offB = bus.subscribe(() => got.push('B'));
    bus.emit(log('x'));
    await tick();
    bus.emit(log('y'));
    await tick();
    assert.deepEqual(got, ['A', 'A']);
  });

  it('keeps one order for all listeners when a listener emits and flushes', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    const a: string[] = [];
    const b: string[] = [];
    bus.subscribe((batch) => {
      a.push(...msgs(batch));
      if (msgs(batch).includes('x')) {
        bus.emit(log('reaction'));
        bus.flush();
      }
    });
    bus.subscribe((batch) => b.push(...msgs(batch)));
    bus.emit(log('x'));
    await tick();
    assert.deepEqual(a, ['x', 'reaction']);
    assert.deepEqual(b, ['x', 'reaction']);
  });

  it('delivers nothing after dispose', async () => {
    const bus = new EventBus({ intervalMs: 0 });
    const got: unknown[] = [];
    bus.subscribe((b) => got.push(b));
    bus.emit(log('a'));
    bus.dispose();
    bus.flush();
    await tick();
    assert.deepEqual(got, []);
  });
});
