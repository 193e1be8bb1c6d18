// Usage limits end to end (issue 11 item 4): the shipped `dwf` pauses on the fake server's long
// retry-after, says so with the time it reopens, continues by itself and exits 0; a stop (SIGINT)
// or a kill while paused leaves a run that `dwf resume` completes, nothing finished sent again.
// DWF_USAGE_LIMIT_THRESHOLD_MS (test-only, read in src/cli/agentRunner.ts) makes 2 s count as long.
import assert from 'node:assert/strict';
import { firstUserText, longRetryAfter, usageLimitReached, type RecordedRequest } from '../../fakes/fakeAnthropic';
import { describeExit, dwf, dwfFixture, requestsByPrompt, runDwf, summaryOf } from './harness';

const FOUR = `export const meta = { name: 'e2e-usage', description: 'four agents in a row' }
const out = []
for (const w of ['one', 'two', 'three', 'four']) out.push(await agent('word ' + w, { label: w }))
return out
`;
const RESULT = ['echo:word one', 'echo:word two', 'echo:word three', 'echo:word four'];
const env = { DWF_USAGE_LIMIT_THRESHOLD_MS: '1000' };
const PAUSED_LINE = /dwf: paused: usage limit until (\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d) \(continues by itself\)/;

describe('cli e2e: usage limits pause the run and it continues by itself', function () {
  this.timeout(60_000);
  const f = dwfFixture();
  const onWordTwo = { match: (r: RecordedRequest) => firstUserText(r.body) === 'word two' };

  it('a long retry-after pauses the run, prints the usage-limit line, continues and exits 0', async () => {
    f.repo.write('wf.js', FOUR);
    f.server.fault(longRetryAfter(2), onWordTwo);
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server, env });
    assert.equal(exit.code, 0, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'completed');
    assert.deepEqual(s.result, RESULT);
    assert.equal(s.agents.done, 4, 'no agent ended null');
    assert.match(exit.stderr, PAUSED_LINE);
    assert.match(exit.stderr, /dwf: usage limit reopened — continuing/);
    assert.deepEqual([...requestsByPrompt(f.server).entries()].sort(), [
      ['word four', 1],
      ['word one', 1],
      ['word three', 1],
      ['word two', 2],
    ]);
  });

  it('SIGINT while paused stops at once (exit 130, status stopped); dwf resume completes, nothing finished re-sent', async () => {
    f.repo.write('wf.js', FOUR);
    f.server.fault(usageLimitReached(new Date(Date.now() + 3_600_000)), onWordTwo);
    const run = dwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server, env });
    await run.waitForStderr(PAUSED_LINE);
    run.child.kill('SIGINT');
    const exit = await run.exited;
    assert.equal(exit.code, 130, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'stopped');
    assert.equal(s.paused, undefined);
    assert.equal(s.agents.done, 1);

    const resumed = await runDwf(f.repo, ['resume', s.runId, '--json'], { server: f.server, env });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const r = summaryOf(resumed);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.result, RESULT);
    assert.equal(r.agents.cached, 1, 'the finished agent was replayed');
    assert.equal(requestsByPrompt(f.server).get('word one'), 1);
    assert.equal(requestsByPrompt(f.server).get('word two'), 2, 'the refused request, then once after');
  });

  it('a kill while paused leaves a run that dwf resume completes', async () => {
    f.repo.write('wf.js', FOUR);
    f.server.fault(usageLimitReached(new Date(Date.now() + 3_600_000)), onWordTwo);
    const run = dwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server, env });
    const runId = (await run.waitForStderr(/· run (wf_[a-z0-9-]+)/))[1];
    await run.waitForStderr(PAUSED_LINE);
    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');

    const resumed = await runDwf(f.repo, ['resume', runId, '--json'], { server: f.server, env });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const r = summaryOf(resumed);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.result, RESULT);
    assert.equal(r.agents.cached, 1);
    assert.equal(requestsByPrompt(f.server).get('word one'), 1);
  });
});
