// Interrupting the spawned `dwf` binary: SIGKILL mid-run then `dwf resume` (finished agents are
// replayed from the journal and never reach the API again; the result equals an uninterrupted
// run's), SIGINT (exit 130 and the resume command), and a 429 storm that loses no agent.
import assert from 'node:assert/strict';
import { FakeAnthropicServer, firstUserText } from '../../fakes/fakeAnthropic';
import {
  describeExit,
  dwf,
  ensureBuilt,
  finishedLabels,
  readJournal,
  requestsByPrompt,
  runDwf,
  summaryOf,
  tempRepo,
  type Repo,
} from './harness';

const ITEMS = Array.from({ length: 10 }, (_, i) => `item-${String(i).padStart(2, '0')}`);

/** Two stages per item, so a kill lands between an item's agents as well as between items. */
const LONG = `export const meta = { name: 'long', description: 'a two-stage pipeline over ten items' }
const items = ${JSON.stringify(ITEMS)}
return await pipeline(items,
  (it) => agent('first ' + it, { label: 'first ' + it }),
  (r, it) => agent('second ' + it + ' after ' + r, { label: 'second ' + it }))
`;
const EXPECTED = ITEMS.map((it) => `echo:second ${it} after echo:first ${it}`);

/** Requests whose agent prompt belongs to the agent with this label. */
function requestsFor(counts: Map<string, number>, label: string): number {
  let n = 0;
  for (const [prompt, c] of counts) if (prompt === label || prompt.startsWith(label + ' ')) n += c;
  return n;
}

// The plan calls these runs large (12–20 agents at the default tokens per agent); the tests are about
// interrupting, so the large-run question is moved out of the way (confirm.test.ts covers it).
const NOT_LARGE = ['--confirm-above-agents', '1000', '--confirm-above-tokens', '1000000000'];

describe('cli e2e: interrupting dwf (spawned binary, fake Messages API)', function () {
  this.timeout(60_000);
  const repos: Repo[] = [];
  let server: FakeAnthropicServer;
  const repo = () => {
    const r = tempRepo();
    repos.push(r);
    return r;
  };

  before(() => ensureBuilt());
  afterEach(async () => {
    await server?.close();
    for (const r of repos.splice(0)) r.cleanup();
  });

  it('SIGKILL after some agents finished, then `dwf resume`: no finished agent re-runs and the result equals an uninterrupted run', async () => {
    // 150 ms per model response at concurrency 2: twenty agents take well over a second.
    server = await FakeAnthropicServer.start({ latencyMs: 150 });

    const reference = repo();
    reference.write('long.js', LONG);
    const whole = await runDwf(reference, ['run', 'long.js', '--json', '--concurrency', '4', ...NOT_LARGE], { server });
    assert.equal(whole.code, 0, describeExit(whole));
    const uninterrupted = summaryOf(whole);
    assert.deepEqual(uninterrupted.result, EXPECTED);
    server.reset();

    const r = repo();
    r.write('long.js', LONG);
    const first = dwf(r, ['run', 'long.js', '--json', '--concurrency', '2', ...NOT_LARGE], { server });
    const runId = (await first.waitForStderr(/· run (wf_[a-z0-9-]+)/))[1];
    // Progress lines count finished agents; the journal is what survives the kill.
    await first.waitForStderr(/\[5\/\d+\] done/);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL', describeExit(killed));
    assert.equal(killed.stdout, '', 'no summary from a killed process');

    const finished = finishedLabels(readJournal(r.journal(runId)));
    assert.ok(
      finished.size >= 5 && finished.size < ITEMS.length * 2,
      `finished before the kill: ${[...finished].join(', ')}`,
    );
    const before = requestsByPrompt(server);
    const sentBefore = server.requests.length;
    for (const label of finished) assert.equal(requestsFor(before, label), 1, `${label} ran once before the kill`);

    // The killed run shows as interrupted (its record says running, its process is gone).
    const runs = await runDwf(r, ['runs', '--json'], { server });
    assert.equal(runs.code, 0, describeExit(runs));
    const listed = (JSON.parse(runs.stdout) as { runId: string; status: string }[]).find((x) => x.runId === runId);
    assert.equal(listed?.status, 'interrupted');

    const resumed = await runDwf(r, ['resume', runId, '--json'], { server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const s = summaryOf(resumed);
    assert.equal(s.status, 'completed');
    assert.equal(s.runId, runId);
    assert.deepEqual(s.result, uninterrupted.result);
    assert.equal(s.agents.total, ITEMS.length * 2);
    assert.equal(s.agents.cached, finished.size, 'every journaled agent is replayed');
    assert.equal(s.agents.done, ITEMS.length * 2 - finished.size);
    assert.equal(s.agents.failed, 0);
    assert.match(resumed.stderr, /\(resumed\)/);
    assert.match(resumed.stderr, new RegExp(`cached +${finished.size} agents \\(replayed from the journal\\)`));

    const after = requestsByPrompt(server);
    for (const label of finished)
      assert.equal(requestsFor(after, label), 1, `${label} finished before the kill and must not hit the API again`);
    // Every other agent reached the API in the resumed run.
    const resumedPrompts = new Set(server.requests.slice(sentBefore).map((q) => firstUserText(q.body)));
    for (const it of ITEMS) {
      for (const label of [`first ${it}`, `second ${it}`]) {
        if (finished.has(label)) continue;
        assert.ok(
          [...resumedPrompts].some((p) => p === label || p.startsWith(label + ' ')),
          `${label} runs on resume`,
        );
      }
    }
  });

  it('SIGINT stops the run: exit 130, status stopped, the resume command; resuming completes it', async () => {
    server = await FakeAnthropicServer.start({ latencyMs: 150 });
    const r = repo();
    r.write('long.js', LONG);
    const run = dwf(r, ['run', 'long.js', '--json', '--concurrency', '2', ...NOT_LARGE], { server });
    await run.waitForStderr(/\[2\/\d+\] done/);
    run.child.kill('SIGINT');
    const exit = await run.exited;
    assert.equal(exit.code, 130, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'stopped');
    assert.ok(s.agents.done >= 2 && s.agents.done < ITEMS.length * 2, JSON.stringify(s.agents));
    assert.match(exit.stderr, /Stopped\. Finished agents are saved in the journal; continue with:/);
    assert.ok(exit.stderr.includes(`  dwf resume ${s.runId}`), exit.stderr);

    const finished = finishedLabels(readJournal(r.journal(s.runId)));
    assert.equal(finished.size, s.agents.done, 'every agent reported done is in the journal');
    const before = requestsByPrompt(server);
    const resumed = await runDwf(r, ['resume', s.runId, '--json'], { server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const rs = summaryOf(resumed);
    assert.deepEqual(rs.result, EXPECTED);
    assert.equal(rs.agents.cached, s.agents.done);
    const after = requestsByPrompt(server);
    for (const label of finished)
      assert.equal(requestsFor(after, label), requestsFor(before, label), `${label} is replayed, not re-run`);
  });

  it('a 429 storm (retry-after-ms) slows the run down but every agent completes', async () => {
    server = await FakeAnthropicServer.start();
    const n = 12;
    // 28 overloads across 12 agents, 8 in flight: the run-wide pause and the halved concurrency
    // spread them out, so no agent comes near its own retry budget (8 retries per request).
    server.fault({ status: 429, headers: { 'retry-after-ms': '40' } }, { times: 24 });
    server.fault({ status: 529, headers: { 'retry-after-ms': '20' } }, { times: 4 });
    const r = repo();
    r.write(
      'storm.js',
      `export const meta = { name: 'storm', description: 'd' }
return await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('storm ' + i, { label: 'storm ' + i })))
`,
    );
    const exit = await runDwf(r, ['run', 'storm.js', '--json', '--concurrency', '8', ...NOT_LARGE], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'completed');
    assert.deepEqual(s.agents, { total: n, done: n, cached: 0, failed: 0, skipped: 0 });
    assert.deepEqual(
      s.result,
      Array.from({ length: n }, (_, i) => `echo:storm ${i}`),
    );
    assert.equal(server.pendingFaults, 0, 'the whole storm was served');
    assert.equal(server.requests.filter((q) => q.status === 429).length, 24);
    assert.equal(server.requests.filter((q) => q.status === 529).length, 4);
    assert.equal(server.requests.filter((q) => q.status === 200).length, n, 'one successful request per agent');
    assert.match(exit.stderr, /429 rate_limit_error/, 'the retries are logged with the reason');
  });
});
