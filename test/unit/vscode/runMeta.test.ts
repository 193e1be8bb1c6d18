// The run node's start time, args and duration, and the finish notification's summary: short and on
// one visible line in the tree, whole (and still literal) in the tooltip.
import assert from 'node:assert/strict';
import { countsText, recordCounts, runCounts } from '../../../src/core/run/runCounts';
import { emptySummary } from '../../../src/core/run/trace';
import {
  argsPreview,
  clockTime,
  finishSummary,
  MAX_ARGS_DESCRIPTION,
  relativeTime,
  runMetaMarkdown,
  runWhenAndArgs,
} from '../../../src/vscode/runs/runMeta';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('vscode/runMeta', () => {
  it('relative start times are coarse and never negative', () => {
    const now = 10 * 24 * HOUR;
    assert.equal(relativeTime(now - 5_000, now), 'just now');
    assert.equal(relativeTime(now + 5_000, now), 'just now', 'a clock a little ahead is not "in the future"');
    assert.equal(relativeTime(now - 5 * MIN - 30_000, now), '5m ago');
    assert.equal(relativeTime(now - 3 * HOUR, now), '3h ago');
    assert.equal(relativeTime(now - 50 * HOUR, now), '2d ago');
  });

  it('the absolute time is local, zero-padded, to the second', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5).getTime();
    assert.equal(clockTime(at), '2026-01-02 03:04:05');
  });

  it('args previews are JSON on one visible line, cut with an ellipsis, none when there are none', () => {
    assert.equal(argsPreview(undefined), '');
    assert.equal(argsPreview('3'), 'args "3"', 'a string stays quoted: it differs from the number');
    assert.equal(argsPreview(['a', 'b']), 'args ["a","b"]');
    assert.equal(
      argsPreview('line1\nline2\u202e'),
      'args "line1\\nline2\\u202e"',
      'JSON escapes the newline and the bidi override',
    );
    const long = argsPreview({ files: Array.from({ length: 50 }, (_, i) => `src/file${i}.ts`) });
    assert.equal([...long].length, 'args '.length + MAX_ARGS_DESCRIPTION);
    assert.ok(long.endsWith('…'));
  });

  it('the description parts: started …, args …', () => {
    const now = 100 * MIN;
    assert.deepEqual(runWhenAndArgs(now - 2 * MIN, [1], now), ['started 2m ago', 'args [1]']);
    assert.deepEqual(runWhenAndArgs(undefined, undefined, now), []);
  });

  it('the tooltip has the absolute start, the duration and the whole args in a fence no arg can close', () => {
    const start = new Date(2026, 11, 4, 15, 7, 33).getTime();
    const args = { note: '```\n[x](command:evil)', files: Array.from({ length: 30 }, (_, i) => `f${i}`) };
    const md = runMetaMarkdown(start, start + 12_000, args, start + 5 * MIN);
    assert.match(md, /Started 2026-12-04 15:07:33 \(5m ago\) · ran 12s/);
    assert.ok(md.includes('"f29"'), 'the whole args, not a preview');
    const fence = /\n(`{4,})json\n/.exec(md);
    assert.ok(fence, 'a fence longer than the backticks inside');
    assert.ok(md.trimEnd().endsWith(fence[1]));
    assert.match(runMetaMarkdown(start, undefined, undefined, start + 3_000), /running for 3\.0s[\s\S]*Args: none/);
  });

  it('the finish summary reads the counts as the tree does, then the time', () => {
    const usage = { input: 10, output: 1234, cacheRead: 0, cacheWrite: 0 };
    const s = emptySummary();
    s.total = 30;
    Object.assign(s.byState, { done: 7, failed: 1, stopped: 22 });
    s.usage = usage;
    assert.equal(
      finishSummary(runCounts(s, { final: true }), 500),
      '7/30 done · 1 failed · 22 stopped · 1.24k tok · 0.5s',
    );
    assert.equal(finishSummary(runCounts(emptySummary(), { final: true }), 12_500), '12s', 'no agents: just the time');
  });

  it('run records read the same way: what did not finish counts as stopped, never done', () => {
    assert.equal(
      countsText(recordCounts({ total: 30, done: 7, cached: 1, failed: 1, skipped: 0 }), { tokens: false }),
      '8/30 done · 1 cached · 1 failed · 21 stopped',
    );
    assert.equal(countsText(recordCounts({ total: 3, done: 3, cached: 0, failed: 0, skipped: 0 })), '3/3 done');
  });
});
