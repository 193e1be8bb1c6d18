// `dwf run` confirms a large run with its priced plan (issue 11 item 3), end to end with the shipped
// binary: headless (CI, no terminal, --json) a large run is refused with exit 2 before anything
// starts unless --yes or a cap is given; on a real pseudo-terminal the plan is printed and the
// person answers y/N. Small runs are never asked about.
import assert from 'node:assert/strict';
import { describeExit, dwfFixture, runDwf, summaryOf, type Repo } from './harness';
import { dwfOnTerminal } from './terminal';

/** Thirty agents, fixed by the script: large on agents (above 25). */
const THIRTY = `export const meta = { name: 'thirty', description: 'thirty agents at once' }
return await parallel(Array.from({ length: 30 }, (_, i) => () => agent('item ' + i, { label: 'i' + i })))
`;
/** Two agents: below both thresholds, even at the default tokens per agent's high end. */
const TWO = `export const meta = { name: 'two', description: 'two agents' }
return [await agent('first', { label: 'a' }), await agent('second', { label: 'b' })]
`;
/** Four agents over args: large only with --confirm-above-agents below 4. */
const OVER_ARGS = `export const meta = { name: 'over-args', description: 'one agent per word' }
return await parallel(args.map((w) => () => agent('word ' + w, { label: w })))
`;

const runsFolder = (repo: Repo) => repo.exists('.claude/workflow-runs');

describe('cli e2e: large runs are confirmed with the priced plan (dwf run)', function () {
  this.timeout(60_000);
  const f = dwfFixture();

  it('headless (CI): a 30-agent run is refused with exit 2, the plan and the three ways on; nothing started', async () => {
    f.repo.write('wf.js', THIRTY);
    const exit = await runDwf(f.repo, ['run', 'wf.js'], { server: f.server });
    assert.equal(exit.code, 2, describeExit(exit));
    assert.match(exit.stderr, /^Not started: a large run needs a yes, and nobody can be asked here \(CI is set\)/m);
    assert.match(exit.stderr, /^Large: up to 30 agents \(above 25\)/m);
    assert.match(exit.stderr, /^Plan: 30 agents · \$\d+\.\d+–\$\d+\.\d+ · tokens in /m);
    for (const way of ['--yes', '--max-cost USD', '--max-agents N']) assert.ok(exit.stderr.includes(way), exit.stderr);
    assert.match(exit.stderr, /the plan's high end: 30\)/);
    assert.equal(f.server.requests.length, 0, 'no model request');
    assert.equal(runsFolder(f.repo), false, 'no run folder left behind');
    assert.equal(exit.stdout, '');
  });

  it('headless: a saved workflow run by name is refused the same way', async () => {
    f.repo.write('.claude/workflows/thirty.js', THIRTY);
    const exit = await runDwf(f.repo, ['run', 'thirty'], { server: f.server });
    assert.equal(exit.code, 2, describeExit(exit));
    assert.match(exit.stderr, /Large: up to 30 agents \(above 25\)/);
    assert.equal(f.server.requests.length, 0);
  });

  it('headless with --yes: the large run runs', async () => {
    f.repo.write('wf.js', THIRTY);
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json', '--yes'], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(summaryOf(exit).status, 'completed');
    assert.equal(f.server.requests.length, 30);
  });

  it('headless with a cap (--max-cost, --max-agents): the large run runs', async () => {
    f.repo.write('wf.js', THIRTY);
    const cost = await runDwf(f.repo, ['run', 'wf.js', '--json', '--max-cost', '100'], { server: f.server });
    assert.equal(cost.code, 0, describeExit(cost));
    assert.equal(summaryOf(cost).status, 'completed');
    const agents = await runDwf(f.repo, ['run', 'wf.js', '--json', '--max-agents', '30'], { server: f.server });
    assert.equal(agents.code, 0, describeExit(agents));
    assert.equal(f.server.requests.length, 60);
  });

  it('headless: a small run is never asked about and runs', async () => {
    f.repo.write('wf.js', TWO);
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.doesNotMatch(exit.stderr, /large run|\[y\/N\]/i);
    assert.equal(f.server.requests.length, 2);
  });

  it('--confirm-above-agents and --confirm-above-tokens set the thresholds', async () => {
    f.repo.write('wf.js', OVER_ARGS);
    const args = ['--args', '["a","b","c","d"]'];
    const agents = await runDwf(f.repo, ['run', 'wf.js', ...args, '--confirm-above-agents', '3'], { server: f.server });
    assert.equal(agents.code, 2, describeExit(agents));
    assert.match(agents.stderr, /^Large: up to 4 agents \(above 3\)\.$/m);
    const tokens = await runDwf(f.repo, ['run', 'wf.js', ...args, '--confirm-above-tokens', '1000'], {
      server: f.server,
    });
    assert.equal(tokens.code, 2, describeExit(tokens));
    assert.match(tokens.stderr, /^Large: up to [\d.]+[kM] tokens \(above 1k\)\.$/m);
    assert.equal(f.server.requests.length, 0);
    // The thirty-agent script with the threshold raised past it is not large.
    f.repo.write('big.js', THIRTY);
    const raised = await runDwf(
      f.repo,
      ['run', 'big.js', '--json', '--confirm-above-agents', '30', '--confirm-above-tokens', '1000000000'],
      { server: f.server },
    );
    assert.equal(raised.code, 0, describeExit(raised));
    const bad = await runDwf(f.repo, ['run', 'big.js', '--confirm-above-agents', 'many'], { server: f.server });
    assert.equal(bad.code, 2, describeExit(bad));
    assert.match(bad.stderr, /--confirm-above-agents expects a whole number of agents ≥ 0, got "many"/);
  });

  describe('on a terminal (a real pseudo-terminal)', () => {
    it('prints the priced plan and asks; n starts nothing (exit 2, no request, no run folder)', async () => {
      f.repo.write('wf.js', THIRTY);
      const t = dwfOnTerminal(f.repo, ['run', 'wf.js'], { server: f.server });
      await t.waitFor(/\[y\/N\] $/);
      t.type('n\n');
      const exit = await t.exited;
      assert.equal(exit.code, 2, exit.screen);
      assert.match(exit.screen, /^Large run: up to 30 agents \(above 25\)/m);
      assert.match(exit.screen, /^Agents: 30$/m);
      assert.match(exit.screen, /^Cost: \$\d+\.\d+–\$\d+\.\d+$/m);
      assert.match(exit.screen, /^Basis \(static\): /m);
      assert.match(exit.screen, /Run 30 agents, about \$\d+\.\d+–\$\d+\.\d+\? \[y\/N\] /);
      assert.match(exit.screen, /Not started: not confirmed\. Nothing ran\./);
      assert.equal(f.server.requests.length, 0, 'no model request');
      assert.equal(runsFolder(f.repo), false, 'no run folder left behind');
    });

    it('end of input (Ctrl+D) is a no', async () => {
      f.repo.write('wf.js', THIRTY);
      const t = dwfOnTerminal(f.repo, ['run', 'wf.js'], { server: f.server });
      await t.waitFor(/\[y\/N\] $/);
      t.endInput();
      const exit = await t.exited;
      assert.equal(exit.code, 2, exit.screen);
      assert.match(exit.screen, /Not started: no answer \(end of input\)/);
      assert.equal(f.server.requests.length, 0);
      assert.equal(runsFolder(f.repo), false);
    });

    it('y runs it', async () => {
      f.repo.write('wf.js', OVER_ARGS);
      const t = dwfOnTerminal(f.repo, ['run', 'wf.js', '--args', '["a","b","c","d"]', '--confirm-above-agents', '3'], {
        server: f.server,
      });
      await t.waitFor(/Run 4 agents, about \$[\d.]+–\$[\d.]+\? \[y\/N\] $/);
      assert.equal(f.server.requests.length, 0, 'nothing started before the answer');
      t.type('y\n');
      const exit = await t.exited;
      assert.equal(exit.code, 0, exit.screen);
      assert.equal(f.server.requests.length, 4);
    });

    it('--json on a terminal is headless: refused without asking', async () => {
      f.repo.write('wf.js', THIRTY);
      const exit = await dwfOnTerminal(f.repo, ['run', 'wf.js', '--json'], { server: f.server }).exited;
      assert.equal(exit.code, 2, exit.screen);
      assert.match(exit.screen, /nobody can be asked here \(--json runs are headless\)/);
      assert.doesNotMatch(exit.screen, /\[y\/N\]/);
      assert.equal(f.server.requests.length, 0);
    });

    it('a small run is never asked about', async () => {
      f.repo.write('wf.js', TWO);
      const exit = await dwfOnTerminal(f.repo, ['run', 'wf.js'], { server: f.server }).exited;
      assert.equal(exit.code, 0, exit.screen);
      assert.doesNotMatch(exit.screen, /Large run|\[y\/N\]/);
      assert.equal(f.server.requests.length, 2);
    });
  });
});
