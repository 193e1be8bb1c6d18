// Issue 13 (b, c): per-turn durability. Each model turn and tool call of a remote agent is a
// recorded step: a worker SIGKILLed mid-agent is continued by another from its last finished step,
// and a SIGKILLed conductor re-attaches with `dwf resume`. The fake model's request counts say that
// no finished turn was sent twice.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeExit, dwf, runDwf, summaryOf } from '../unit/cli-e2e/harness';
import {
  commit,
  flowOnWorkers,
  gate,
  remoteFixture,
  startWorkers,
  stepRecorded,
  turnCounts,
  whoRuns,
  writeThenAnswer,
} from './harness';

/** Turn 1 writes a.txt, turn 2 runs `sleep`, turn 3 writes b.txt, turn 4 ends: four recorded turns. */
function fourTurns(prompt: string, sleepS: number, hold?: Promise<void>) {
  return writeThenAnswer({
    prompt,
    file: 'a.txt',
    content: 'turn one\n',
    between: [
      () => ({ toolUses: [{ name: 'Bash', input: { command: `sleep ${sleepS}` } }] }),
      (root) => ({
        toolUses: [{ name: 'Write', input: { file_path: path.join(root, 'b.txt'), content: 'turn three\n' } }],
      }),
    ],
    answer: 'all four turns',
    hold,
  });
}

const SCRIPT = `export const meta = { name: 'chaos', description: 'd' }
return await agent('four turns', { isolation: 'remote', label: 'chaos' })`;

describe('remote agents survive SIGKILL (per-turn durability)', function () {
  this.timeout(240_000);
  const f = remoteFixture();

  it('a worker killed mid-agent is continued on another from its last finished turn; no turn is sent twice', async () => {
    f.server.respond(fourTurns('four turns', 8));
    const workers = await flowOnWorkers(f, SCRIPT, 2);
    const conductor = dwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url, '--allow', 'Bash(sleep:*)'], {
      server: f.server,
    });
    const { worker: victim, runId } = await whoRuns(workers, 'chaos');
    // Turn 2 is recorded and its `sleep` is running: the worker dies between turns.
    await stepRecorded(f.engine.url, runId, 'turn 2');
    victim.child.kill('SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;
    const exit = await conductor.exited;
    assert.equal(exit.code, 0, describeExit(exit) + survivor.stderr);
    assert.equal(summaryOf(exit).result, 'all four turns');
    assert.match(survivor.stderr, /stopped beating: 1 agent taken over/);
    assert.match(survivor.stderr, /\[chaos\] agent \S+ of run \S+ done/);
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), {
      'four turns#1': 1,
      'four turns#2': 1,
      'four turns#3': 1,
      'four turns#4': 1,
    });
    // a.txt was written by the dead worker: the survivor rebuilt its tree from the recorded step.
    assert.equal(f.repo.read('a.txt'), 'turn one\n');
    assert.equal(f.repo.read('b.txt'), 'turn three\n');
  });

  it('a turn in flight when its worker dies is the only one sent again', async () => {
    const held = gate();
    f.server.respond(fourTurns('four turns', 0, held.promise));
    const workers = await flowOnWorkers(f, SCRIPT, 2);
    const conductor = dwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url, '--allow', 'Bash(sleep:*)'], {
      server: f.server,
    });
    const { worker: victim } = await whoRuns(workers, 'chaos');
    await f.server.waitForRequests(2, 60_000);
    victim.child.kill('SIGKILL');
    await victim.exited;
    held.open();
    const exit = await conductor.exited;
    assert.equal(exit.code, 0, describeExit(exit));
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), {
      'four turns#1': 1,
      'four turns#2': 2,
      'four turns#3': 1,
      'four turns#4': 1,
    });
    assert.equal(f.repo.read('a.txt'), 'turn one\n');
  });

  it('a conductor killed mid-agent re-attaches with dwf resume: nothing runs twice, the patch is applied', async () => {
    const held = gate();
    f.server.respond(fourTurns('four turns', 0, held.promise));
    const workers = await startWorkers(f, 1);
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'conductor-dies', description: 'd' }
       const first = await agent('one turn', { isolation: 'remote', label: 'first' })
       const second = await agent('four turns', { isolation: 'remote', label: 'chaos' })
       return { first, second }`,
    );
    commit(f.repo, 'flow');
    const argv = ['--json', '--engine', f.engine.url, '--allow', 'Bash(sleep:*)'];
    const conductor = dwf(f.repo, ['run', 'flow.js', ...argv], { server: f.server });
    const { runId } = await whoRuns(workers, 'chaos');
    await stepRecorded(f.engine.url, runId, 'turn 1');
    conductor.child.kill('SIGKILL');
    await conductor.exited;
    // The agent goes on without its conductor; the resumed one finds it running and waits.
    held.open();
    const resumed = await runDwf(f.repo, ['resume', runId, ...argv], { server: f.server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    assert.deepEqual(summaryOf(resumed).result, { first: 'echo:one turn', second: 'all four turns' });
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), {
      'one turn#1': 1,
      'four turns#1': 1,
      'four turns#2': 1,
      'four turns#3': 1,
      'four turns#4': 1,
    });
    assert.equal(f.repo.read('a.txt'), 'turn one\n');
    assert.equal(f.repo.read('b.txt'), 'turn three\n');
    // Each remote agent ran once, on the one worker.
    assert.equal(workers[0].stderr.match(/\[chaos\] agent \S+ of run \S+ started/g)?.length, 1);
    assert.equal(workers[0].stderr.match(/\[first\] agent \S+ of run \S+ started/g)?.length, 1);
    assert.ok(fs.existsSync(f.repo.journal(runId)));
  });
});
