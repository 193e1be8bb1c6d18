// The messages between the editor's main thread and the agent worker (src/host/agentWorker/protocol.ts):
// progress batches fold usage per agent without reordering anything else, messages are read by
// their type (an unknown one is a clear error), and errors cross as name and message only.
import assert from 'node:assert/strict';
import {
  ProgressBatch,
  decodeError,
  decodeToMain,
  decodeToWorker,
  encodeError,
  isUrgent,
  type Progress,
  type ToMain,
} from '../../../src/host/agentWorker/protocol';

const usage = (output: number, costUsd?: number) => ({
  input: 1,
  output,
  cacheRead: 0,
  cacheWrite: 0,
  ...(costUsd !== undefined ? { costUsd } : {}),
});

describe('agent worker protocol', () => {
  it('folds interleaved usage deltas per agent into one item each, sums and cost included', () => {
    const batch = new ProgressBatch();
    batch.add({ kind: 'usage', call: 1, usage: usage(2, 0.5) });
    batch.add({ kind: 'usage', call: 2, usage: usage(3) });
    batch.add({ kind: 'usage', call: 1, usage: usage(4, 0.25) });
    batch.add({ kind: 'usage', call: 2, usage: usage(5) });
    assert.deepEqual(batch.take(), [
      { kind: 'usage', call: 1, usage: { input: 2, output: 6, cacheRead: 0, cacheWrite: 0, costUsd: 0.75 } },
      { kind: 'usage', call: 2, usage: { input: 2, output: 8, cacheRead: 0, cacheWrite: 0 } },
    ]);
    assert.equal(batch.size, 0, 'take() empties the batch');
  });

  it('never folds usage across another item of the same agent (its order is kept)', () => {
    const batch = new ProgressBatch();
    const first = usage(1);
    batch.add({ kind: 'usage', call: 1, usage: first });
    batch.add({ kind: 'tool', call: 1, name: 'Read' });
    batch.add({ kind: 'usage', call: 1, usage: usage(2) });
    batch.add({ kind: 'outcome', call: 1, outcome: { kind: 'done', result: 'ok' } });
    const items = batch.take();
    assert.deepEqual(
      items.map((p) => p.kind),
      ['usage', 'tool', 'usage', 'outcome'],
    );
    assert.equal((items[0] as Extract<Progress, { kind: 'usage' }>).usage.output, 1);
    assert.equal(first.output, 1, 'the reported delta object itself is never changed');
    batch.add({ kind: 'usage', call: 1, usage: usage(7) });
    assert.deepEqual(batch.take(), [{ kind: 'usage', call: 1, usage: usage(7) }], 'a new batch starts fresh');
  });

  it('sends what frees or ends an agent at once, the rest with the next batch', () => {
    assert.equal(isUrgent({ kind: 'outcome', call: 1, outcome: { kind: 'null', reason: 'x' } }), true);
    assert.equal(isUrgent({ kind: 'awaitPerson', call: 1, wait: 1 }), true);
    assert.equal(isUrgent({ kind: 'personAnswered', wait: 1 }), true);
    assert.equal(isUrgent({ kind: 'usage', call: 1, usage: usage(1) }), false);
    assert.equal(isUrgent({ kind: 'tool', call: 1, name: 'Bash' }), false);
    assert.equal(isUrgent({ kind: 'log', level: 'info', message: 'm' }), false);
  });

  it('reads messages by their type and names an unknown one', () => {
    const batch: ToMain = { type: 'batch', items: [{ kind: 'log', level: 'warn', message: 'w' }] };
    // What postMessage delivers is a structured clone: the decoder reads the copy.
    assert.deepEqual(decodeToMain(structuredClone(batch)), batch);
    assert.deepEqual(decodeToWorker({ type: 'close' }), { type: 'close' });
    assert.throws(() => decodeToMain({ type: 'run' }), /unknown message from the worker \(type "run"\)/);
    assert.throws(() => decodeToWorker({ type: 'batch' }), /unknown message from the main thread \(type "batch"\)/);
    assert.throws(() => decodeToWorker(null), /unknown message from the main thread \(type undefined\)/);
  });

  it('carries an error as its name and message, without the other thread’s stack', () => {
    const e = new TypeError('bad input');
    const wire = encodeError(e);
    assert.deepEqual(wire, { name: 'TypeError', message: 'bad input' });
    const back = decodeError(structuredClone(wire));
    assert.ok(back instanceof Error);
    assert.equal(back.name, 'TypeError');
    assert.equal(back.message, 'bad input');
    assert.deepEqual(encodeError('plain text'), { name: 'Error', message: 'plain text' });
  });
});
