// Caps that pause, not fail (issue 11 item 2): the real engine and the real Anthropic runner
// against the fake Messages API; request counts prove nothing is run twice across a resume.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicServer } from '../../fakes/fakeAnthropic';
import { WORKER_PATH, withMeta } from '../../fakes/engineHarness';
import { AnthropicRunner } from '../../../src/agent/runner';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { AccessGate, ApprovedWrites, emptyRuleSet } from '../../../src/agent/permissions';
import { WorkflowEngine, type ResumeOptions, type StartOptions } from '../../../src/core/run/engine';
import type { RunResult } from '../../../src/core/run/run';
import type { RunEvent } from '../../../src/core/run/events';
import { FileRunStore } from '../../../src/core/journal/runStore';
import { parseWorkflowScript } from '../../../src/core/script';

const SIX_PARALLEL = `return await parallel([1, 2, 3, 4, 5, 6].map((i) => () => agent('task ' + i)))`;
const FIVE_IN_A_ROW = `const out = []; for (let i = 1; i <= 5; i++) out.push(await agent('step ' + i)); return out`;

describe('engine: caps that pause (maxAgents, maxCostUsd)', () => {
  let server: FakeAnthropicServer;
  let root: string;
  let engine: WorkflowEngine;
  let store: FileRunStore;

  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-caps-')));
    store = new FileRunStore(path.join(root, 'runs'));
    const approvedWrites = new ApprovedWrites();
    const access = new AccessGate({ rules: emptyRuleSet(), roots: [root], approvedWrites, approver: { approveCommand: async () => 'deny' } });
    const runner = new AnthropicRunner({
      apiKey: 'test-key',
      baseURL: server.url,
      workspace: new FsWorkspace([root], { approvedWrites }),
      paths: { resolve: (p) => ({ ok: true, real: path.resolve(root, p) }) },
      commands: { check: async () => ({ allowed: false, reason: 'no commands in this test' }) },
      access: (who) => access.forAgent(who),
      transcriptsDir: (runId) => path.join(root, 'runs', runId, 'transcripts'),
      home: path.join(root, '.home'),
    });
    engine = new WorkflowEngine({ runner, store, workerPath: WORKER_PATH });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function collect(run: ReturnType<WorkflowEngine['start']>): Promise<RunResult & { events: RunEvent[] }> {
    const events: RunEvent[] = [];
    run.events.subscribe((b) => events.push(...b), { replay: true });
    return { ...(await run.done), events };
  }
  const start = (source: string, opts: StartOptions) => collect(engine.start(parseWorkflowScript(withMeta(source), 'caps.js'), { eventIntervalMs: 0, ...opts }));
  const resume = (runId: string, opts: ResumeOptions) => collect(engine.resume(runId, { eventIntervalMs: 0, ...opts }));

  it('holds the 4th of 6 parallel agents at maxAgents 3, pauses, and a resume with 6 finishes without re-running any', async () => {
    const first = await start(SIX_PARALLEL, { concurrency: 6, caps: { maxAgents: 3 } });
    assert.equal(first.status, 'paused', first.error?.message);
    assert.deepEqual(first.paused, { reason: 'agent-cap', limit: 3, spent: 3 });
    assert.equal(server.requests.length, 3, 'only three agents reached the model');
    assert.equal(first.agents.done, 3);
    const held = first.events.filter((e) => e.type === 'agent' && e.state === 'stopped');
    assert.equal(held.length, 3);
    for (const e of held) assert.match(e.type === 'agent' ? (e.error?.message ?? '') : '', /held: agent cap 3 reached/);
    const record = store.readRecord(first.runId);
    assert.equal(record?.status, 'paused');
    assert.deepEqual(record?.paused, { reason: 'agent-cap', limit: 3, spent: 3 });

    // The same cap again: the three finished replay, the rest are held again, nothing is sent.
    const again = await resume(first.runId, { concurrency: 6, caps: { maxAgents: 3 } });
    assert.equal(again.status, 'paused');
    assert.equal(server.requests.length, 3);

    const last = await resume(first.runId, { concurrency: 6, caps: { maxAgents: 6 } });
    assert.equal(last.status, 'completed', last.error?.message);
    assert.equal(last.paused, undefined);
    assert.equal((last.result as string[]).length, 6);
    assert.equal(last.agents.cached, 3);
    assert.equal(last.agents.done, 3);
    assert.equal(server.requests.length, 6, 'each agent reached the model exactly once');
    const prompts = server.requests.map((r) => JSON.stringify(r.body.messages)).map((m) => /task (\d)/.exec(m)?.[1]).sort();
    assert.deepEqual(prompts, ['1', '2', '3', '4', '5', '6']);
    const done = store.readRecord(first.runId);
    assert.equal(done?.status, 'completed');
    assert.equal(done?.paused, undefined);
  });

  it('pauses at maxCostUsd once the fake model usage has spent it, and continues with a raised cap', async () => {
    const first = await start(FIVE_IN_A_ROW, { caps: { maxCostUsd: 1e-9 } });
    assert.equal(first.status, 'paused', first.error?.message);
    assert.equal(first.paused?.reason, 'cost-cap');
    assert.equal(first.paused?.limit, 1e-9);
    const spent = first.usage.costUsd ?? 0;
    assert.ok(spent > 1e-9, `the first agent cost something (${spent})`);
    assert.equal(first.paused?.spent, spent);
    assert.equal(server.requests.length, 1, 'the second agent was held, not started');
    assert.equal(store.readRecord(first.runId)?.usage.costUsd, spent);

    // Earlier sessions' spend counts: a cap just above it lets exactly one more agent start.
    const second = await resume(first.runId, { caps: { maxCostUsd: spent * 1.0001 } });
    assert.equal(second.status, 'paused');
    assert.equal(server.requests.length, 2);
    assert.ok((second.paused?.spent ?? 0) > spent * 1.0001);

    const last = await resume(first.runId, { caps: { maxCostUsd: 100 } });
    assert.equal(last.status, 'completed', last.error?.message);
    assert.equal((last.result as string[]).length, 5);
    assert.equal(last.agents.cached, 2);
    assert.equal(server.requests.length, 5, 'each step reached the model exactly once');
  });

  it('keeps budget.total apart: the token ceiling still throws in the script, no pause', async () => {
    const r = await start(`await agent('one'); try { await agent('two'); return 'ran' } catch (e) { return e.name }`, { budgetTotal: 1, caps: { maxAgents: 10 } });
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal(r.result, 'WorkflowBudgetExceededError');
    assert.equal(r.paused, undefined);
  });
});
