// HOST_TEST_ORDER: the host suite can run its files reversed or shuffled by a seed, to show no test
// depends on what an earlier file left behind.
import assert from 'node:assert/strict';
import { ordered } from '../host/order';

const FILES = ['/x/a.test.js', '/x/b.test.js', '/x/c.test.js', '/x/d.test.js', '/x/e.test.js'];

describe('host test order', () => {
  it('keeps the sorted order by default and reverses it on request', () => {
    assert.deepEqual(ordered(FILES, undefined), FILES);
    assert.deepEqual(ordered(FILES, 'reverse'), [...FILES].reverse());
  });

  it('shuffles by a seed: the same seed gives the same order, every file exactly once', () => {
    const log = console.log;
    console.log = () => undefined;
    try {
      const one = ordered(FILES, 'shuffle:7');
      assert.deepEqual(ordered(FILES, 'shuffle:7'), one);
      assert.deepEqual([...one].sort(), FILES);
      const orders = new Set([1, 2, 3, 4, 5, 6].map((s) => ordered(FILES, `shuffle:${s}`).join()));
      assert.ok(orders.size > 1, 'different seeds give different orders');
    } finally {
      console.log = log;
    }
  });

  it('refuses an order it does not know, naming the choices', () => {
    assert.throws(() => ordered(FILES, 'random'), /use reverse or shuffle:<number>/);
  });
});
