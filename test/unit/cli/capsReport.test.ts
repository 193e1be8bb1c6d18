// How a run paused at a cap is reported (issue 11 item 2): exit 3, `paused` in --json, the line
// that says which cap and the resume command with a raised cap; flag checks for --max-cost.
import assert from 'node:assert/strict';
import { afterLines, exitCode, jsonSummary } from '../../../src/cli/summary';
import { positiveNumber, UsageError } from '../../../src/cli/args';
import { raisedCap } from '../../../src/core/run/capText';
import type { RunResult } from '../../../src/core/run/run';

const PAUSED: RunResult = {
  runId: 'wf_abcdef123456',
  status: 'paused',
  paused: { reason: 'cost-cap', limit: 10, spent: 10.4 },
  agents: { total: 6, done: 3, cached: 0, failed: 0, skipped: 0 },
  usage: { input: 10, output: 5, cacheRead: 2, cacheWrite: 1 },
  durationMs: 1234,
  logs: [],
};

describe('cli: the report of a run paused at a cap', () => {
  it('exits 3', () => assert.equal(exitCode('paused'), 3));

  it('--json carries status "paused" and the pause', () => {
    const s = jsonSummary(PAUSED, 10.4);
    assert.equal(s.status, 'paused');
    assert.deepEqual(s.paused, { reason: 'cost-cap', limit: 10, spent: 10.4 });
    assert.equal(s.result, null);
    assert.equal(jsonSummary({ ...PAUSED, status: 'completed', paused: undefined }, 1).paused, undefined);
  });

  it('names the cap and prints the resume command with a raised cap', () => {
    assert.deepEqual(afterLines(PAUSED), [
      'Paused: cost cap $10.00 reached ($10.40 spent). Finished agents are saved; held agents start when you continue with a raised cap:',
      '  dwf resume wf_abcdef123456 --max-cost 20.8',
    ]);
    const agents = afterLines({ ...PAUSED, paused: { reason: 'agent-cap', limit: 3, spent: 3 } });
    assert.deepEqual(agents, [
      'Paused: agent cap 3 reached (3 agents). Finished agents are saved; held agents start when you continue with a raised cap:',
      '  dwf resume wf_abcdef123456 --max-agents 6',
    ]);
  });

  it('suggests a cap above what was spent', () => {
    assert.equal(raisedCap({ reason: 'cost-cap', limit: 10, spent: 9.99 }), 20);
    assert.equal(raisedCap({ reason: 'cost-cap', limit: 0.000001, spent: 0.0056 }), 0.02);
    assert.equal(raisedCap({ reason: 'agent-cap', limit: 1, spent: 1 }), 2);
  });

  it('--max-cost takes dollars and cents, refuses anything else with a usage error', () => {
    assert.equal(positiveNumber({ 'max-cost': '2.50' }, 'max-cost', 'run', 'USD'), 2.5);
    assert.equal(positiveNumber({}, 'max-cost', 'run', 'USD'), undefined);
    for (const bad of ['0', '-1', 'ten', '1e3', 'Infinity', '']) {
      assert.throws(
        () => positiveNumber({ 'max-cost': bad }, 'max-cost', 'run', 'USD'),
        (e: unknown) => e instanceof UsageError && /--max-cost expects a number of USD > 0/.test(e.message),
        bad,
      );
    }
  });
});
