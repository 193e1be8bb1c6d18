// The product's key promise (spec §7 row 1): every finished call replays, whatever missed.
import assert from 'node:assert/strict';
import type { JournalLine } from '../../../src/core/journal/journalFile';
import { ReplayIndex } from '../../../src/core/journal/replay';

const st = (key: string, pos: string, content: string): JournalLine => ({
  type: 'started',
  key,
  agentId: 'a-' + key,
  index: 0,
  label: key,
  pos,
  content,
});
const res = (key: string, result: unknown, extra: object = {}): JournalLine =>
  ({ type: 'result', key, agentId: 'a-' + key, result, ...extra }) as JournalLine;
const fail = (key: string): JournalLine => ({ type: 'failed', key, agentId: 'a-' + key, reason: 'boom' });

describe('journal/replay', () => {
  it('replays every key with a result, regardless of misses and finish order', () => {
    const ix = ReplayIndex.fromLines([
      { type: 'launched', runId: 'wf_abcdef', scriptHash: 'h', at: 0 },
      st('k1', 'p1', 'c1'),
      st('k2', 'p2', 'c2'),
      st('k3', 'p3', 'c3'),
      st('k4', 'p4', 'c4'),
      fail('k1'), // an early failure must not end reuse
      res('k4', 'four'), // finished out of start order
      res(
        'k2',
        { two: 2 },
        { usage: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }, toolsUsed: ['Read'], model: 'm' },
      ),
    ]);
    assert.equal(ix.hit('k1'), undefined);
    assert.deepEqual(ix.hit('k2'), {
      kind: 'result',
      result: { two: 2 },
      agentId: 'a-k2',
      usage: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
      toolsUsed: ['Read'],
      model: 'm',
    });
    assert.equal(ix.hit('k3'), undefined);
    assert.deepEqual(ix.hit('k4'), { kind: 'result', result: 'four', agentId: 'a-k4' });
    assert.equal(ix.resultCount, 2);
  });

  it('the latest result wins, and a result beats an earlier failure', () => {
    const ix = ReplayIndex.fromLines([fail('k'), res('k', 'old'), res('k', 'new')]);
    assert.equal(ix.hit('k')?.result, 'new');
    assert.equal(ix.resultCount, 1);
  });

  it('null and missing results replay as null', () => {
    const ix = ReplayIndex.fromLines([res('n', null), { type: 'result', key: 'u', agentId: 'x' } as JournalLine]);
    assert.equal(ix.hit('n')?.result, null);
    assert.equal(ix.hit('u')?.result, null);
  });

  it('two different keys with identical content both hit', () => {
    const ix = ReplayIndex.fromLines([
      st('k1', 'p1', 'same'),
      st('k2', 'p2', 'same'),
      res('k1', 'r1'),
      res('k2', 'r2'),
    ]);
    assert.equal(ix.hit('k1')?.result, 'r1');
    assert.equal(ix.hit('k2')?.result, 'r2');
  });

  describe('reason', () => {
    const ix = ReplayIndex.fromLines([
      st('kf', 'pf', 'cf'),
      fail('kf'),
      st('ku', 'pu', 'cu'),
      st('kd', 'pd', 'cd'),
      res('kd', 'done'),
      fail('kFailedThenRetried'),
      res('kFailedThenRetried', 'ok'),
    ]);

    it("'previously-failed' for a key that failed and has no result", () => {
      assert.equal(ix.reason('kf', 'pf', 'cf'), 'previously-failed');
    });
    it("'unfinished' for a key that started and never finished", () => {
      assert.equal(ix.reason('ku', 'pu', 'cu'), 'unfinished');
    });
    it("'changed' when the position was seen with other content", () => {
      assert.equal(ix.reason('kNew', 'pd', 'cOther'), 'changed');
    });
    it("'chain-changed' when the content was seen at another position", () => {
      assert.equal(ix.reason('kNew', 'pOther', 'cd'), 'chain-changed');
    });
    it("'new' for a position and content never seen", () => {
      assert.equal(ix.reason('kNew', 'pNew', 'cNew'), 'new');
      assert.equal(ReplayIndex.fromLines([]).reason('k', 'p', 'c'), 'new');
    });
    it('a key with a result is not blamed on its own failure line', () => {
      assert.equal(ix.reason('kFailedThenRetried', 'pz', 'cz'), 'new');
    });
    it("'changed' wins when both position and content were seen elsewhere", () => {
      const both = ReplayIndex.fromLines([st('a', 'p1', 'c1'), st('b', 'p2', 'c2')]);
      assert.equal(both.reason('k', 'p1', 'c2'), 'changed');
      // Same position seen with the same content and another: still changed.
      const multi = ReplayIndex.fromLines([st('a', 'p1', 'c1'), st('b', 'p1', 'c2')]);
      assert.equal(multi.reason('k', 'p1', 'c1'), 'changed');
    });
  });
});
