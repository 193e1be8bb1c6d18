// Issue 13: live progress of remote agents. The worker publishes its agent's tool calls and tokens
// while it runs; the conductor shows them before the result, and the final usage is not counted twice.
import assert from 'node:assert/strict';
import { describeExit, runDwf, summaryOf } from '../unit/cli-e2e/harness';
import { dwfOnTerminal } from '../unit/cli-e2e/terminal';
import { flowOnWorkers, gate, remoteFixture, writeThenAnswer, TURN_USAGE } from './harness';

/** Turn 1 writes note.txt; turn 2 (held until `hold` settles) ends. */
function twoTurns(hold?: Promise<void>) {
  return writeThenAnswer({
    prompt: 'write a note',
    file: 'note.txt',
    content: 'note\n',
    answer: 'noted',
    hold,
    usage: TURN_USAGE,
  });
}

const SCRIPT = `export const meta = { name: 'progress', description: 'd' }
return await agent('write a note', { isolation: 'remote', label: 'noter' })`;

describe('remote agents: live progress on the conductor', function () {
  this.timeout(180_000);
  const f = remoteFixture();

  it("shows a remote agent's tool call in the live view while the agent still runs", async () => {
    const held = gate();
    f.server.respond(twoTurns(held.promise));
    await flowOnWorkers(f, SCRIPT);
    const term = dwfOnTerminal(f.repo, ['run', 'flow.js', '--engine', f.engine.url], { server: f.server });
    // Turn 2 is held by the fake: the agent has not finished, yet its Write is on the conductor's screen.
    await term.waitFor(/noter[^\n]*· Write/, 60_000);
    // The held final turn has not been answered: the agent cannot have finished.
    assert.ok(f.server.requests.length <= 2, `requests: ${f.server.requests.length}`);
    let exitedEarly = false;
    void term.exited.then(() => (exitedEarly = true));
    await f.server.waitForRequests(2, 60_000);
    assert.equal(exitedEarly, false);
    held.open();
    const exit = await term.exited;
    assert.equal(exit.code, 0, exit.screen);
    assert.equal(f.repo.read('note.txt'), 'note\n');
  });

  it("counts a remote agent's tokens once: live events and the final usage are not added up twice", async () => {
    f.server.respond(twoTurns());
    await flowOnWorkers(f, SCRIPT);
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(summaryOf(exit).result, 'noted');
    assert.equal(f.server.requests.length, 2);
    assert.deepEqual(summaryOf(exit).tokens, { input: 200, output: 20, cacheRead: 0, cacheWrite: 0 });
  });
});
