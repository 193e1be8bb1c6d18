// A stable total: the planned count is given only when the script's source fixes it, and the run's
// counts then read "x of N" while live, "x of ≥N" otherwise or once the run outgrows the plan.
import assert from 'node:assert/strict';
import { plannedAgents } from '../../../src/core/script/plannedAgents';
import { countsText, runCounts } from '../../../src/core/run/runCounts';
import { emptySummary } from '../../../src/core/run/trace';

const META = "export const meta = { name: 'p', description: 'd' }\n";

describe('plannedAgents', () => {
  it('counts literal fan-outs, counted loops and steps', () => {
    assert.equal(
      plannedAgents(
        META +
          `
      const topics = ['a', 'b', 'c']
      const drafts = await parallel(topics.map((t) => () => agent('draft ' + t, { label: t })))
      for (let i = 0; i < 2; i++) await agent('round ' + i)
      await pipeline(['x', 'y'], (x) => agent(x), (r) => agent('check ' + r))
      return await agent('sum ' + drafts.join())
    `,
      ),
      3 + 2 + 4 + 1,
    );
  });

  it('gives no number when data, a branch or an early exit decides', () => {
    const unfixed = {
      'fan-out over args': `await parallel(args.files.map((f) => () => agent(f)))`,
      'an if': `const a = await agent('x'); if (a) await agent('y')`,
      'a short-circuit': `const a = await agent('x'); a && (await agent('y'))`,
      'a ternary': `await (args ? agent('x') : agent('y'))`,
      'try/catch': `try { await agent('x') } catch { await agent('y') }`,
      'an early return': `const a = await agent('x'); return a; await agent('y')`,
      'a while loop': `let i = 0; while (i++ < 3) await agent('x')`,
      'a loop that breaks': `for (let i = 0; i < 3; i++) { await agent('x'); break }`,
      'a search that stops early': `['a', 'b'].some((x) => agent(x))`,
      'a child workflow': `await workflow('other')`,
      'no agent at all': `log('hi')`,
      'a syntax error': `await agent(`,
    };
    for (const [what, body] of Object.entries(unfixed)) assert.equal(plannedAgents(META + body), undefined, what);
  });
});

describe('runCounts with a plan', () => {
  const summary = (total: number, done: number) => {
    const s = emptySummary();
    s.total = total;
    s.byState.done = done;
    s.byState.running = total - done;
    return s;
  };

  it('reads "x of N" live with a plan, "x of ≥N" without one or past it, "x/N" at the end', () => {
    assert.equal(countsText(runCounts(summary(5, 3), { final: false, planned: 12 })), '3 of 12 done · 2 running');
    assert.equal(countsText(runCounts(summary(5, 3), { final: false })), '3 of ≥5 done · 2 running');
    assert.equal(
      countsText(runCounts(summary(14, 3), { final: false, planned: 12 })),
      '3 of ≥14 done · 11 running',
      'the run outgrew the plan',
    );
    assert.equal(
      countsText(runCounts(summary(11, 11), { final: true, planned: 12 })),
      '11/11 done',
      'the end says what ran',
    );
  });
});
