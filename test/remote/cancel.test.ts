// Issue 13: stopping a run stops its remote agents. Ctrl+C in dwf (or Ctrl+C at its approval
// prompt) cancels the agent's workflow on the engine: the worker cuts off the turn in flight, asks
// nothing more and spends nothing more; `dwf resume` continues the agent from its last recorded
// turn. The fake model's request counts say which turns were sent again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describeExit, dwf, runDwf, summaryOf } from '../unit/cli-e2e/harness';
import { dwfOnTerminal } from '../unit/cli-e2e/terminal';
import {
  commit,
  flowOnWorkers,
  gate,
  remoteFixture,
  startWorkers,
  stepRecorded,
  turnCounts,
  touching,
  whoRuns,
  writeThenAnswer,
  ASKING_FLOW,
} from './harness';

/** Turn 1 writes a.txt; turn 2 (held) writes b.txt; turn 3 ends. */
function threeTurns(hold: Promise<void>) {
  return writeThenAnswer({
    prompt: 'three turns',
    file: 'a.txt',
    content: 'one\n',
    between: [
      (root) => ({ toolUses: [{ name: 'Write', input: { file_path: path.join(root, 'b.txt'), content: 'two\n' } }] }),
    ],
    hold,
    answer: 'all three turns',
  });
}

/** What the engine holds for the remote agents of run `runId`: workflow statuses and questions. */
async function engineState(url: string, runId: string): Promise<{ statuses: string[]; questions: number }> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const like = [`dwf:${runId}:%`];
    const w = await c.query<{ status: string }>(
      'SELECT status FROM dbos.workflow_status WHERE workflow_uuid LIKE $1 ORDER BY workflow_uuid',
      like,
    );
    const q = await c.query('SELECT 1 FROM dwf.approval WHERE workflow_id LIKE $1', like);
    return { statuses: w.rows.map((r) => r.status), questions: q.rowCount ?? 0 };
  } finally {
    await c.end();
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The processes under `pid` (dwf under util-linux `script`), deepest last. */
function descendants(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

const PROMPT = /Agent "asker" wants to run a command:[\s\S]*touch approved\.txt[\s\S]*Allow\? \[y\] once, \[n\] deny: /;

/**
 * ASKING_FLOW on a terminal, run by one worker that gives a question up after 2 s of its
 * conductor's silence; returns once the question is on the screen.
 */
async function askingOnImpatientWorker(f: ReturnType<typeof remoteFixture>) {
  f.server.respond(touching());
  const [worker] = await startWorkers(f, 1, { DWF_WORKER_QUESTION_WAIT_MS: '2000' });
  f.repo.write('flow.js', ASKING_FLOW);
  commit(f.repo, 'flow');
  const term = dwfOnTerminal(f.repo, ['run', 'flow.js', '--engine', f.engine.url], { server: f.server });
  await term.waitFor(PROMPT, 60_000);
  const { runId } = await whoRuns([worker], 'asker');
  return { worker, term, runId };
}

describe('remote agents: stopping the run stops them on their workers', function () {
  this.timeout(240_000);
  const f = remoteFixture();

  it('Ctrl+C in dwf cancels the agent on the engine, its turn in flight is cut off, nothing more is sent; dwf resume goes on from the last recorded turn', async () => {
    const held = gate();
    f.server.respond(threeTurns(held.promise));
    const [worker] = await flowOnWorkers(
      f,
      `export const meta = { name: 'stopper', description: 'd' }
       return await agent('three turns', { isolation: 'remote', label: 'stopper' })`,
    );
    const argv = ['--json', '--engine', f.engine.url];
    const conductor = dwf(f.repo, ['run', 'flow.js', ...argv], { server: f.server });
    const { runId } = await whoRuns([worker], 'stopper');
    await stepRecorded(f.engine.url, runId, 'turn 1');
    // Turn 2 is on its way to the fake, which holds it.
    for (let i = 0; !turnCounts(f.server).get('three turns#2') && i < 600; i++) await settle(100);
    assert.equal(turnCounts(f.server).get('three turns#2'), 1, 'turn 2 reached the model');

    conductor.child.kill('SIGINT');
    const stopped = await conductor.exited;
    assert.equal(stopped.code, 130, describeExit(stopped));
    assert.match(stopped.stderr, /\[stopper\] stopped on its worker/);
    assert.doesNotMatch(stopped.stderr, /Exception|shut down/, 'the engine client closes quietly');
    // DBOS's per-connection SET made pg print a DeprecationWarning on every conductor and worker.
    assert.doesNotMatch(stopped.stderr + worker.stderr, /DeprecationWarning/);
    await worker.waitForStderr(new RegExp(`\\[stopper\\] agent \\S+ of run ${runId} stopped by its conductor`), 30_000);
    assert.deepEqual((await engineState(f.engine.url, runId)).statuses, ['CANCELLED']);

    // The held turn is answered now, but its worker has stopped: no turn 3, no file in the workspace.
    held.open();
    await settle(2000);
    assert.equal(turnCounts(f.server).get('three turns#3'), undefined, 'nothing more is sent for a stopped run');
    assert.ok(!f.repo.exists('a.txt'), "a stopped agent's changes are not applied");

    const resumed = await runDwf(f.repo, ['resume', runId, ...argv], { server: f.server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    assert.match(resumed.stderr, /\[stopper\] continues on a worker from its last finished turn/);
    assert.equal(summaryOf(resumed).result, 'all three turns');
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), {
      'three turns#1': 1,
      // Cut off at the stop (never recorded), so sent again; the recorded turn 1 was not.
      'three turns#2': 2,
      'three turns#3': 1,
    });
    assert.equal(f.repo.read('a.txt'), 'one\n');
    assert.equal(f.repo.read('b.txt'), 'two\n');
    const state = await engineState(f.engine.url, runId);
    assert.deepEqual(state.statuses, ['SUCCESS']);
  });

  it('Ctrl+C at the approval prompt stops the run and withdraws the question; the resumed run asks again', async () => {
    f.server.respond(touching());
    const [worker] = await flowOnWorkers(f, ASKING_FLOW);
    const term = dwfOnTerminal(f.repo, ['run', 'flow.js', '--engine', f.engine.url], { server: f.server });
    await term.waitFor(PROMPT, 60_000);
    const { runId } = await whoRuns([worker], 'asker');
    term.type('\x03');
    const stopped = await term.exited;
    assert.equal(stopped.code, 130, stopped.screen);
    assert.match(stopped.screen, /Stopped\./);
    await worker.waitForStderr(new RegExp(`\\[asker\\] agent \\S+ of run ${runId} stopped by its conductor`), 30_000);
    assert.deepEqual(await engineState(f.engine.url, runId), { statuses: ['CANCELLED'], questions: 0 });
    assert.ok(!f.repo.exists('approved.txt'), 'the command did not run');

    const again = dwfOnTerminal(f.repo, ['resume', runId, '--engine', f.engine.url], { server: f.server });
    await again.waitFor(PROMPT, 60_000);
    again.type('y\n');
    const done = await again.exited;
    assert.equal(done.code, 0, done.screen);
    assert.match(done.screen, /touched/);
    assert.ok(f.repo.exists('approved.txt'), 'asked afresh, allowed, run on the worker, the patch applied');
    // The first turn was recorded before the question; only the refused-by-nobody step ran again.
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), { 'touch a file#1': 1, 'touch a file#2': 1 });
    assert.deepEqual(await engineState(f.engine.url, runId), { statuses: ['SUCCESS'], questions: 0 });
  });

  it('a question whose conductor was killed is given up on the worker after the wait: the worker is free, and a resume asks again', async () => {
    const { worker, term, runId } = await askingOnImpatientWorker(f);
    for (const pid of descendants(term.pid).reverse()) process.kill(pid, 'SIGKILL');
    await term.exited;
    await worker.waitForStderr(/\[asker\] .*its conductor is gone and nobody answers its question/, 30_000);
    await worker.waitForStderr(
      new RegExp(`\\[asker\\] agent \\S+ of run ${runId} stopped waiting for an answer`),
      30_000,
    );
    assert.deepEqual(await engineState(f.engine.url, runId), { statuses: ['CANCELLED'], questions: 0 });

    const again = dwfOnTerminal(f.repo, ['resume', runId, '--engine', f.engine.url], { server: f.server });
    await again.waitFor(PROMPT, 60_000);
    again.type('y\n');
    const done = await again.exited;
    assert.equal(done.code, 0, done.screen);
    assert.ok(f.repo.exists('approved.txt'));
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), { 'touch a file#1': 1, 'touch a file#2': 1 });
  });

  it('a conductor back from sleep (SIGSTOP, SIGCONT) finds its question given up and continues the agent, asking again', async () => {
    const { worker, term, runId } = await askingOnImpatientWorker(f);
    const conductor = descendants(term.pid);
    for (const pid of conductor) process.kill(pid, 'SIGSTOP');
    try {
      await worker.waitForStderr(
        new RegExp(`\\[asker\\] agent \\S+ of run ${runId} stopped waiting for an answer`),
        30_000,
      );
    } finally {
      // util-linux `script` stops itself when its child stops (job control): both go on.
      for (const pid of [term.pid, ...conductor]) process.kill(pid, 'SIGCONT');
    }
    // The person answers the question still on the screen: it was withdrawn, so it is asked again.
    term.type('y\n');
    await term.waitFor(/(?:Allow\? \[y\] once, \[n\] deny: [\s\S]*){2}/, 60_000);
    term.type('y\n');
    const done = await term.exited;
    assert.equal(done.code, 0, done.screen);
    assert.match(done.screen, /\[asker\] continues on a worker from its last finished turn/);
    assert.equal(done.screen.match(/Agent "asker" wants to run a command/g)?.length, 2, 'asked twice');
    assert.ok(f.repo.exists('approved.txt'));
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), { 'touch a file#1': 1, 'touch a file#2': 1 });
    assert.deepEqual(await engineState(f.engine.url, runId), { statuses: ['SUCCESS'], questions: 0 });
  });
});
