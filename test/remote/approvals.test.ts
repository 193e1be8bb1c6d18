// Issue 13 (d): approvals travel. A command an agent on a worker must ask about comes back to the
// person at the conductor's terminal while the agent waits; a headless conductor's rules apply on
// the worker (refused, with the hint).
import assert from 'node:assert/strict';
import { toolResults, type RecordedRequest } from '../fakes/fakeAnthropic';
import { describeExit, runDwf } from '../unit/cli-e2e/harness';
import { dwfOnTerminal } from '../unit/cli-e2e/terminal';
import { ASKING_FLOW, flowOnWorkers, remoteFixture, touching } from './harness';

describe('remote agents: approvals travel', function () {
  this.timeout(180_000);
  const f = remoteFixture();

  it("asks the person at the conductor's terminal while the agent waits on the worker", async () => {
    const seen: RecordedRequest[] = [];
    f.server.respond(touching(seen));
    await flowOnWorkers(f, ASKING_FLOW);
    const term = dwfOnTerminal(f.repo, ['run', 'flow.js', '--engine', f.engine.url], { server: f.server });
    await term.waitFor(
      /Agent "asker" wants to run a command:[\s\S]*touch approved\.txt[\s\S]*Allow\? \[y\] once, \[n\] deny: /,
      60_000,
    );
    term.type('y\n');
    const exit = await term.exited;
    assert.equal(exit.code, 0, exit.screen);
    assert.match(exit.screen, /touched/);
    assert.equal(toolResults(seen[0].body)[0]?.is_error ?? false, false, JSON.stringify(toolResults(seen[0].body)));
    // The worker ran it in its worktree; the file came back with the patch.
    assert.ok(f.repo.exists('approved.txt'));
  });

  it('a headless conductor: the worker refuses what no rule allows, saying how to allow it', async () => {
    const seen: RecordedRequest[] = [];
    f.server.respond(touching(seen));
    await flowOnWorkers(f, ASKING_FLOW);
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    const [result] = toolResults(seen[0].body);
    assert.equal(result?.is_error, true);
    assert.match(String(result?.content), /No one can approve commands in a headless run/);
    assert.ok(!f.repo.exists('approved.txt'));
  });
});
