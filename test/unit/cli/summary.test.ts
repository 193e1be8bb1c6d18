// The finished-run report: exit codes, the --json object, number formats.
import assert from 'node:assert/strict';
import { afterLines, exitCode, jsonSummary, resultText } from '../../../src/cli/summary';
import { count, duration } from '../../../src/cli/format';
import type { RunResult } from '../../../src/core/run/run';

const BASE: RunResult = {
  runId: 'wf_abcdef123456',
  status: 'completed',
  result: { ok: true },
  agents: { total: 3, done: 2, cached: 1, failed: 0, skipped: 0 },
  usage: { input: 10, output: 5, cacheRead: 2, cacheWrite: 1 },
  durationMs: 1234,
  logs: ['x'],
};

describe('cli: summary', () => {
  it('exit codes: 0 completed, 1 failed, 130 stopped', () => {
    assert.equal(exitCode('completed'), 0);
    assert.equal(exitCode('failed'), 1);
    assert.equal(exitCode('stopped'), 130);
  });

  it('the --json object has exactly the documented fields', () => {
    assert.deepEqual(jsonSummary(BASE, 0.25), {
      runId: 'wf_abcdef123456',
      status: 'completed',
      result: { ok: true },
      agents: { total: 3, done: 2, cached: 1, failed: 0, skipped: 0 },
      tokens: { input: 10, output: 5, cacheRead: 2, cacheWrite: 1 },
      costUsd: 0.25,
      durationMs: 1234,
      worktrees: [],
    });
    const failed = jsonSummary(
      {
        ...BASE,
        status: 'failed',
        result: undefined,
        error: { name: 'TypeError', message: 'x is null', stack: 'at …' },
      },
      undefined,
    );
    assert.deepEqual(failed.error, { name: 'TypeError', message: 'x is null', stack: 'at …' });
    const located = jsonSummary(
      {
        ...BASE,
        status: 'failed',
        result: undefined,
        error: {
          name: 'TypeError',
          message: 'x is null',
          location: { file: 'wf.js', line: 4, column: 15, frame: 'x.y\n^' },
        },
      },
      undefined,
    );
    assert.deepEqual(
      located.error,
      { name: 'TypeError', message: 'x is null', location: { file: 'wf.js', line: 4, column: 15 } },
      'the frame stays out of the JSON',
    );
    assert.equal(failed.result, null);
    assert.equal(failed.costUsd, null);
  });

  it('failed and stopped runs end with the resume command', () => {
    assert.deepEqual(afterLines(BASE), []);
    assert.equal(afterLines({ ...BASE, status: 'stopped' }).at(-1), '  dwf resume wf_abcdef123456');
    const failed = afterLines({ ...BASE, status: 'failed', error: { name: 'Error', message: 'boom' } });
    assert.equal(failed[0], 'Error: boom');
    assert.equal(failed.at(-1), '  dwf resume wf_abcdef123456');
  });

  it('a located error reads file:line:column: Name: message, then the code frame, as a parse error does', () => {
    const error = {
      name: 'TypeError',
      message: "cannot read property 'z' of undefined",
      location: { file: 'wf.js', line: 4, column: 12, frame: '  return x.y.z\n           ^' },
    };
    const lines = afterLines({ ...BASE, status: 'failed', error });
    assert.equal(
      lines[0],
      "wf.js:4:12: TypeError: cannot read property 'z' of undefined\n  return x.y.z\n           ^",
    );
    assert.equal(lines.at(-1), '  dwf resume wf_abcdef123456');
  });

  it('formats results, counts and durations', () => {
    assert.equal(resultText('report'), 'report');
    assert.equal(resultText(undefined), undefined);
    assert.equal(resultText([1]), '[\n  1\n]');
    assert.deepEqual(
      [count(999), count(1000), count(1234), count(12_345), count(2_500_000)],
      ['999', '1k', '1.23k', '12.3k', '2.5M'],
    );
    assert.deepEqual(
      [duration(400), duration(12_500), duration(185_000), duration(3_720_000)],
      ['0.4s', '12s', '3m05s', '1h02m'],
    );
  });
});
