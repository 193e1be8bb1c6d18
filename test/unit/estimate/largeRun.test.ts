// Which runs are confirmed with their priced plan (issue 11 item 3): above 25 agents or 1.5M tokens
// at the plan's high end, thresholds the person may loosen and a workspace may only tighten.
import assert from 'node:assert/strict';
import {
  DEFAULT_CONFIRM_THRESHOLDS,
  largeRun,
  largeRunButton,
  largeRunQuestion,
  stricterThreshold,
  type PlanSize,
} from '../../../src/core/estimate/largeRun';
import { pricedPlan, type Pricing } from '../../../src/core/estimate/plan';

const size = (agents: [number, number], input: [number, number], output: [number, number] = [0, 0]): PlanSize => ({
  agents: { low: agents[0], high: agents[1] },
  tokens: { input: { low: input[0], high: input[1] }, output: { low: output[0], high: output[1] } },
  costUsd: { low: 1.2, high: 3.4 },
});
const D = DEFAULT_CONFIRM_THRESHOLDS;

describe('estimate/largeRun: which runs are confirmed', () => {
  it('defaults to Claude Code’s thresholds: 25 agents, 1.5M tokens', () => {
    assert.deepEqual({ ...D }, { agents: 25, tokens: 1_500_000 });
  });

  it('more agents than the threshold is large, with the reason; exactly the threshold is not', () => {
    const l = largeRun(size([40, 40], [1000, 1000]), D);
    assert.deepEqual(l?.reasons, ['up to 40 agents (above 25)']);
    assert.equal(l?.reason, 'up to 40 agents (above 25)');
    assert.equal(largeRun(size([25, 25], [1000, 1000]), D), undefined);
  });

  it('more tokens (input plus output) than the threshold is large, with the reason', () => {
    const l = largeRun(size([3, 3], [10_000, 1_800_000], [1000, 300_000]), D);
    assert.deepEqual(l?.reasons, ['up to 2.1M tokens (above 1.5M)']);
    assert.equal(l?.tokens, 2_100_000);
    // 1.4M in + 0.1M out is exactly the threshold: not above it.
    assert.equal(largeRun(size([3, 3], [0, 1_400_000], [0, 100_000]), D), undefined);
  });

  it('both thresholds crossed: both reasons', () => {
    assert.equal(
      largeRun(size([30, 30], [0, 2_000_000]), D)?.reason,
      'up to 30 agents (above 25); up to 2M tokens (above 1.5M)',
    );
  });

  it('reads the high end (fails closed): 3–40 agents is large, though it may be 3', () => {
    assert.equal(largeRun(size([3, 40], [1000, 1000]), D)?.reason, 'up to 40 agents (above 25)');
    assert.equal(largeRun(size([3, 3], [100_000, 1_600_000]), D)?.reason, 'up to 1.6M tokens (above 1.5M)');
  });

  it('other thresholds: 0 agents confirms every run that starts one', () => {
    assert.ok(largeRun(size([1, 1], [10, 10]), { agents: 0, tokens: D.tokens }));
    assert.equal(largeRun(size([30, 30], [10, 10]), { agents: 100, tokens: D.tokens }), undefined);
  });

  it('a real plan: a parallel over 30 args is large on agents, over 3 is not', async () => {
    const flat: Pricing = {
      resolve: (m) => m ?? 'flat',
      price: () => ({ input: 1, output: 1, cacheRead: 1, cacheWrite: 1 }),
      source: 'flat prices',
    };
    const plan = (n: number) =>
      pricedPlan({
        source:
          "export const meta = { name: 'fan', description: 'd' }\nawait parallel(args.map((f) => () => agent('Review ' + f)))",
        file: '/ws/wf.js',
        name: 'fan',
        args: Array.from({ length: n }, (_, i) => `f${i}.ts`),
        pricing: flat,
      });
    assert.match(largeRun(await plan(30), D)?.reasons[0] ?? '', /^up to 30 agents \(above 25\)$/);
    assert.equal(largeRun(await plan(3), D), undefined);
  });

  describe('stricterThreshold: the person’s value, tightened by the workspace’s', () => {
    it('no values: the default', () => assert.equal(stricterThreshold(25, undefined), 25));
    it('the person may loosen it', () => assert.equal(stricterThreshold(25, 100), 100));
    it('a workspace may tighten it', () => assert.equal(stricterThreshold(25, undefined, 10), 10));
    it('a workspace cannot loosen it (nor switch it off)', () => {
      assert.equal(stricterThreshold(25, undefined, 1e12), 25);
      assert.equal(stricterThreshold(25, 50, 1e12, undefined), 50);
    });
    it('the lower of the person’s and every workspace value wins', () => {
      assert.equal(stricterThreshold(25, 50, 40, 30), 30);
      assert.equal(stricterThreshold(25, 5, 40), 5);
    });
    it('values that are no threshold are ignored', () => {
      assert.equal(stricterThreshold(25, 'lots', -1, Number.NaN, null), 25);
      assert.equal(stricterThreshold(25, 12.7), 12);
    });
  });

  it('the question and the button name the agents and the dollars', () => {
    assert.equal(largeRunQuestion(size([3, 40], [0, 0])), 'Run up to 40 agents, about $1.20–$3.40?');
    assert.equal(largeRunQuestion(size([40, 40], [0, 0])), 'Run 40 agents, about $1.20–$3.40?');
    assert.equal(largeRunButton(size([40, 40], [0, 0])), 'Run 40 Agents');
    assert.equal(largeRunButton(size([3, 40], [0, 0])), 'Run up to 40 Agents');
  });
});
