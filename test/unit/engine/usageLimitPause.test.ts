// Usage limits pause the live run and it continues by itself (issue 11 item 4): the real engine
// and the real Anthropic runner against the fake Messages API. The runner's threshold is lowered
// to 200 ms so a 700 ms retry-after counts as a usage limit; request counts prove every agent's
// turn reached the model once, and only the refused request was sent again.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicServer, firstUserText, longRetryAfter, usageLimitReached } from '../../fakes/fakeAnthropic';
import { WORKER_PATH, withMeta } from '../../fakes/engineHarness';
import { AnthropicRunner } from '../../../src/agent/runner';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { AccessGate, ApprovedWrites, emptyRuleSet } from '../../../src/agent/permissions';
import { WorkflowEngine } from '../../../src/core/run/engine';
import type { WorkflowRun } from '../../../src/core/run/run';
import type { RunEvent } from '../../../src/core/run/events';
import { FileRunStore } from '../../../src/core/journal/runStore';
import { parseWorkflowScript } from '../../../src/core/script';

const SIX_PARALLEL = `return await parallel([1, 2, 3, 4, 5, 6].map((i) => () => agent('task ' + i)))`;
type Pause = Extract<RunEvent, { type: 'pause' }>;

describe('engine: usage limits pause the run and it continues by itself', function () {
  this.timeout(30_000);
  let server: FakeAnthropicServer;
  let root: string;
  let engine: WorkflowEngine;

  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-usage-')));
    engine = newEngine();
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A host's engine and runner (a new one is a new process: `dwf resume`). */
  function newEngine(): WorkflowEngine {
    const approvedWrites = new ApprovedWrites();
    const access = new AccessGate({
      rules: emptyRuleSet(),
      roots: [root],
      approvedWrites,
      approver: { approveCommand: async () => 'deny' },
    });
    const runner = new AnthropicRunner({
      apiKey: 'test-key',
      baseURL: server.url,
      workspace: new FsWorkspace([root], { approvedWrites }),
      paths: { resolve: (p) => ({ ok: true, real: path.resolve(root, p) }) },
      commands: { check: async () => ({ allowed: false, reason: 'no commands in this test' }) },
      access: (who) => access.forAgent(who),
      home: path.join(root, '.home'),
      // Only the refusals count as overloads here: one burnt retry would end the agent null.
      policy: { usageLimitMs: 200, maxOverloads: 0 },
    });
    return new WorkflowEngine({ runner, store: new FileRunStore(path.join(root, 'runs')), workerPath: WORKER_PATH });
  }

  const task1 = { match: (r: { body: Parameters<typeof firstUserText>[0] }) => firstUserText(r.body) === 'task 1' };
  const events = (run: WorkflowRun, onPause?: (e: Pause) => void) => {
    const seen: RunEvent[] = [];
    run.events.subscribe(
      (b) => {
        seen.push(...b);
        for (const e of b) if (e.type === 'pause') onPause?.(e);
      },
      { replay: true },
    );
    return seen;
  };
  /** 200 answers per task number: each must be 1. */
  const answered = () => {
    const n = new Map<string, number>();
    for (const r of server.requests)
      if (r.status === 200) n.set(firstUserText(r.body), (n.get(firstUserText(r.body)) ?? 0) + 1);
    return [...n.entries()].sort();
  };
  const ONCE_EACH = [1, 2, 3, 4, 5, 6].map((i) => [`task ${i}`, 1]);

  it('holds queued agents, lets the refused request wait, and completes once the window opens', async () => {
    server.fault(longRetryAfter(1, 700), task1);
    const run = engine.start(parseWorkflowScript(withMeta(SIX_PARALLEL), 'usage.js'), {
      concurrency: 2,
      eventIntervalMs: 0,
    });
    const seen = events(run);
    const result = await run.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.agents.done, 6, 'no agent ended null');
    assert.deepEqual(
      result.result,
      [1, 2, 3, 4, 5, 6].map((i) => `echo:task ${i}`),
    );

    const pauses = seen.filter((e): e is Pause => e.type === 'pause');
    assert.equal(pauses.length, 2, JSON.stringify(pauses));
    const [closed, opened] = pauses;
    assert.equal(closed.paused?.reason, 'usage-limit');
    const refused = server.requests.find((r) => r.status === 429)!;
    const until = Date.parse(closed.paused?.until ?? '');
    assert.ok(until >= refused.receivedAt + 700 && until <= refused.receivedAt + 1500, closed.paused?.until);
    assert.equal(opened.paused, undefined, 'the window reopened: the run goes on');
    assert.ok(opened.at >= until);

    // No new agent started while the window was closed: tasks 3–6 run only after it reopened.
    const openedAt = seen.indexOf(opened);
    for (const i of [3, 4, 5, 6]) {
      const started = seen.findIndex((e) => e.type === 'agent' && e.label === `task ${i}` && e.state === 'running');
      assert.ok(started > openedAt, `task ${i} started after the window reopened`);
    }
    // Requests already on the wire when the refusal came back may land just after it (100 ms slack).
    for (const r of server.requests)
      if (r.receivedAt > closed.at + 100)
        assert.ok(r.receivedAt >= until, `${firstUserText(r.body)} was not sent while the window was closed`);
    assert.deepEqual(answered(), ONCE_EACH, 'each turn sent once after the window; only the refused one twice');
    assert.equal(server.requests.length, 7);
  });

  it('a stop while paused ends the run at once as stopped; a resume replays the finished and completes', async () => {
    server.fault(usageLimitReached(new Date(Date.now() + 3_600_000)), task1);
    const run = engine.start(parseWorkflowScript(withMeta(SIX_PARALLEL), 'usage.js'), {
      concurrency: 2,
      eventIntervalMs: 0,
    });
    events(run, (e) => {
      if (e.paused) setTimeout(() => run.stop(), 50);
    });
    const stopped = await run.done;
    assert.equal(stopped.status, 'stopped', 'the hour-long window was not waited out');
    assert.equal(stopped.paused, undefined);
    const finished = stopped.agents.done;

    // A later `dwf resume` (a new process) once the window has reopened.
    const resumed = newEngine().resume(stopped.runId, { concurrency: 2, eventIntervalMs: 0 });
    const last = await resumed.done;
    assert.equal(last.status, 'completed', last.error?.message);
    assert.equal(last.agents.cached, finished, 'the agents finished before the stop were replayed');
    assert.deepEqual(answered(), ONCE_EACH, 'nothing re-sent beyond the refused request');
  });
});
