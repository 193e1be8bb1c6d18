// Issue 13 (a): `dwf worker` runs isolation: 'remote' agents from the engine; the conductor
// enqueues each under its journal key, gets the result back and applies the agent's patch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { firstUserText } from '../fakes/fakeAnthropic';
import { describeExit, runDwf, summaryOf } from '../unit/cli-e2e/harness';
import { commit, remoteFixture, startWorkers, turnCounts, writeThenAnswer } from './harness';

describe('remote agents (dwf worker + isolation: remote)', function () {
  this.timeout(180_000);
  const f = remoteFixture();

  it("runs an isolation: 'remote' agent on a worker and applies its patch in the workspace", async () => {
    f.server.respond(
      writeThenAnswer({
        prompt: 'write the greeting',
        file: 'greeting.txt',
        content: 'hello from a worker\n',
        answer: 'wrote greeting.txt',
      }),
    );
    const [worker] = await startWorkers(f, 1);
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'remote-one', description: 'd' }
       const a = await agent('write the greeting', { isolation: 'remote', label: 'greeter' })
       const b = await agent('stay local')
       return { a, b }`,
    );
    commit(f.repo, 'flow');
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.deepEqual(summaryOf(exit).result, { a: 'wrote greeting.txt', b: 'echo:stay local' });
    assert.equal(f.repo.read('greeting.txt'), 'hello from a worker\n');
    assert.match(worker.stderr, /greeter/);
    assert.deepEqual(Object.fromEntries(turnCounts(f.server)), {
      'write the greeting#1': 1,
      'write the greeting#2': 1,
      'stay local#1': 1,
    });
    // The worker's worktree is gone once the agent is done: the repository lists only its main tree.
    const trees = spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: f.repo.root, encoding: 'utf8' }).stdout;
    assert.equal(trees.match(/^worktree /gm)?.length, 1, trees);
  });

  it('--agents remote runs every agent of the run on the workers, spread over two', async () => {
    // Each agent thinks for a second: the worker that is free polls the queue long before the busy one is done.
    f.server.respond(async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return { text: `echo:${firstUserText(req.body)}` };
    });
    const workers = await startWorkers(f, 2, {}, ['--concurrency', '1']);
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'remote-all', description: 'd' }
       return await parallel(['a', 'b', 'c', 'd'].map((p) => () => agent('say ' + p, { label: p })))`,
    );
    commit(f.repo, 'flow');
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--agents', 'remote', '--engine', f.engine.url], {
      server: f.server,
    });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.deepEqual(summaryOf(exit).result, ['echo:say a', 'echo:say b', 'echo:say c', 'echo:say d']);
    const ran = workers.map((w) => (w.stderr.match(/\] agent \S+ of run \S+ done/g) ?? []).length);
    assert.equal(ran[0] + ran[1], 4, workers.map((w) => w.stderr).join('\n'));
    assert.ok(ran[0] > 0 && ran[1] > 0, `both workers took agents: ${ran.join(' / ')}`);
    assert.equal(f.server.requests.length, 4);
  });

  it('DWF_ENGINE_URL works like --engine; the same journal key enqueued again is one execution', async () => {
    f.server.respond((req) => ({ text: `echo:${firstUserText(req.body)}` }));
    await startWorkers(f, 1);
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'remote-twice', description: 'd' }
       return await agent('once only', { isolation: 'remote' })`,
    );
    commit(f.repo, 'flow');
    const first = await runDwf(f.repo, ['run', 'flow.js', '--json'], {
      server: f.server,
      env: { DWF_ENGINE_URL: f.engine.url },
    });
    assert.equal(first.code, 0, describeExit(first));
    const runId = summaryOf(first).runId;
    // The journal forgets the agent: the resumed conductor enqueues it again under the same key.
    fs.rmSync(f.repo.journal(runId));
    const again = await runDwf(f.repo, ['resume', runId, '--json', '--yes'], {
      server: f.server,
      env: { DWF_ENGINE_URL: f.engine.url },
    });
    assert.equal(again.code, 0, describeExit(again));
    assert.equal(summaryOf(again).result, 'echo:once only');
    assert.equal(f.server.requests.length, 1, 'the model was asked once');
  });

  it('an unreachable engine is a clear error before the run, without the password', async () => {
    f.repo.write('flow.js', `export const meta = { name: 'x', description: 'd' }\nreturn await agent('x')`);
    commit(f.repo, 'flow');
    const url = 'postgresql://dwf:sekret-pw@127.0.0.1:1/dwf';
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--agents', 'remote', '--engine', url], { server: f.server });
    assert.equal(exit.code, 2, describeExit(exit));
    assert.match(exit.stderr, /cannot reach the remote engine/);
    assert.doesNotMatch(exit.stderr + exit.stdout, /sekret-pw/);
    assert.equal(f.server.requests.length, 0);
  });

  it('workers of another dwf version are refused by name, and a worker without an engine is a usage error', async () => {
    await startWorkers(f, 1, { DWF_TEST_VERSION: '9.9.9' });
    f.repo.write('flow.js', `export const meta = { name: 'x', description: 'd' }\nreturn await agent('x')`);
    commit(f.repo, 'flow');
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--agents', 'remote', '--engine', f.engine.url], {
      server: f.server,
    });
    assert.equal(exit.code, 2, describeExit(exit));
    assert.match(exit.stderr, /workers run dwf 9\.9\.9, this dwf is \d+\.\d+\.\d+/);
    assert.doesNotMatch(exit.stderr, /dwf-test-secret/);
    const bare = await runDwf(f.repo, ['worker'], { server: f.server });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /needs the engine: --engine <postgres url> or DWF_ENGINE_URL/);
  });

  it("without an engine, isolation: 'remote' makes agent() throw saying how to get one", async () => {
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'x', description: 'd' }
       try { await agent('x', { isolation: 'remote' }) } catch (e) { return e.message }`,
    );
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json'], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.match(String(summaryOf(exit).result), /needs a remote engine: run with dwf --engine/);
  });

  it("a patch that does not apply to the workspace is kept under the run's patches/ and agent() throws saying so", async () => {
    f.server.respond(
      writeThenAnswer({
        prompt: 'rewrite the readme',
        file: 'README.md',
        content: 'from the worker\n',
        answer: 'rewrote it',
      }),
    );
    await startWorkers(f, 1);
    f.repo.write(
      'flow.js',
      `export const meta = { name: 'conflict', description: 'd' }
       try { await agent('rewrite the readme', { isolation: 'remote' }) } catch (e) { return e.message }`,
    );
    commit(f.repo, 'flow');
    // Uncommitted here, unseen by the worker: its patch no longer applies.
    f.repo.write('README.md', 'edited locally\n');
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    const message = String(summaryOf(exit).result);
    assert.match(
      message,
      /the remote agent's changes do not apply to the workspace .*the patch is kept at (\S+\.patch)/,
    );
    const kept = /kept at (\S+\.patch)/.exec(message)![1];
    assert.match(fs.readFileSync(kept, 'utf8'), /\+from the worker/);
    assert.equal(f.repo.read('README.md'), 'edited locally\n');
  });
});
