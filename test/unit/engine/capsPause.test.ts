// Caps that pause, not fail (issue 11 item 2): the real engine and the real Anthropic runner
// against the fake Messages API; request counts prove nothing is run twice across a resume.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { echo, FakeAnthropicServer, firstUserText } from '../../fakes/fakeAnthropic';
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
  const start = (source: string, opts: StartOptions) =>
    collect(engine.start(parseWorkflowScript(withMeta(source), 'caps.js'), { eventIntervalMs: 0, ...opts }));
  const taskNumbers = () => server.requests.map((r) => /task (\d)/.exec(JSON.stringify(r.body.messages))?.[1]).sort();
  const resume = (runId: string, opts: ResumeOptions) => collect(engine.resume(runId, { eventIntervalMs: 0, ...opts }));

  it('holds the 4th of 6 parallel agents at maxAgents 3, pauses, and a resume with 6 finishes without re-running any', async () => {
    const first = await start(SIX_PARALLEL, { concurrency: 6, caps: { maxAgents: 3 } });
    assert.equal(first.status, 'paused', first.error?.message);
    assert.deepEqual(first.paused, { reason: 'agent-cap', limit: 3, spent: 3 });
    assert.equal(server.requests.length, 3, 'only three agents reached the model');
    assert.deepEqual(taskNumbers(), ['1', '2', '3'], 'the gate is FIFO: the 4th is the first held');
    assert.equal(first.agents.done, 3);
    // Held agents never started: they end the session queued and marked held, not stopped.
    const held = first.events.filter((e) => e.type === 'agent' && e.held);
    assert.equal(held.length, 3);
    for (const e of held) {
      assert.equal(e.type === 'agent' && e.state, 'queued');
      assert.deepEqual(e.type === 'agent' && e.held, { reason: 'agent-cap', limit: 3, spent: 3 });
    }
    assert.equal(first.events.filter((e) => e.type === 'agent' && e.state === 'stopped').length, 0);
    const end = first.events.filter((e) => e.type === 'run').at(-1);
    assert.deepEqual(end?.type === 'run' && end.paused, { reason: 'agent-cap', limit: 3, spent: 3 });
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
    assert.deepEqual(taskNumbers(), ['1', '2', '3', '4', '5', '6']);
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

  it('lets an agent already running finish (journaled, not stopped) before the run pauses', async () => {
    let slowStarted!: () => void;
    const slowSeen = new Promise<void>((r) => (slowStarted = r));
    server.respond(async (req) => {
      // The slow agent answers only after the quick one has spent the cap and the next was held.
      if (firstUserText(req.body) === 'slow') {
        slowStarted();
        await new Promise((r) => setTimeout(r, 1000));
      }
      return echo(req);
    });
    const source = `return await parallel([() => agent('slow'), async () => { const a = await agent('quick 1'); return [a, await agent('quick 2')] }])`;
    const first = await start(source, { concurrency: 2, caps: { maxCostUsd: 1e-9 } });
    await slowSeen;
    assert.equal(first.status, 'paused', first.error?.message);
    const slow = first.events
      .filter((e) => e.type === 'agent' && e.label === 'slow')
      .map((e) => (e.type === 'agent' ? e.state : ''));
    assert.equal(slow[slow.length - 1], 'done', 'the running agent finished');
    const at = (label: string, state: string) =>
      first.events.findIndex((e) => e.type === 'agent' && e.label === label && e.state === state);
    assert.ok(
      first.events.findIndex((e) => e.type === 'agent' && e.label === 'quick 2' && e.held) > at('quick 1', 'done') &&
        at('slow', 'done') > at('quick 1', 'done'),
      'the cap was reached while slow still ran',
    );
    assert.deepEqual(server.requests.map((r) => firstUserText(r.body)).sort(), ['quick 1', 'slow']);

    const last = await resume(first.runId, { concurrency: 2, caps: { maxCostUsd: 100 } });
    assert.equal(last.status, 'completed', last.error?.message);
    assert.deepEqual(last.result, ['echo:slow', ['echo:quick 1', 'echo:quick 2']]);
    assert.deepEqual(
      server.requests.map((r) => firstUserText(r.body)).sort(),
      ['quick 1', 'quick 2', 'slow'],
      'only the held agent ran on resume',
    );
  });

  it('keeps the caps in run.json: a resume naming none pauses again, a named cap replaces only itself', async () => {
    const first = await start(FIVE_IN_A_ROW, { caps: { maxAgents: 2 } });
    assert.equal(first.status, 'paused', first.error?.message);
    assert.deepEqual(store.readRecord(first.runId)?.caps, { maxAgents: 2 });

    // No caps given (as `dwf resume <id>`): the stored cap holds again, nothing reaches the model.
    const again = await resume(first.runId, {});
    assert.equal(again.status, 'paused');
    assert.deepEqual(again.paused, { reason: 'agent-cap', limit: 2, spent: 2 });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(store.readRecord(first.runId)?.caps, { maxAgents: 2 });

    // A cost cap added: the agent cap is kept beside it.
    const costOnly = await resume(first.runId, { caps: { maxCostUsd: 100 } });
    assert.equal(costOnly.paused?.reason, 'agent-cap');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(store.readRecord(first.runId)?.caps, { maxCostUsd: 100, maxAgents: 2 });

    const last = await resume(first.runId, { caps: { maxAgents: 5, maxCostUsd: undefined } });
    assert.equal(last.status, 'completed', last.error?.message);
    assert.equal(server.requests.length, 5, 'each step reached the model exactly once');
    assert.deepEqual(store.readRecord(first.runId)?.caps, { maxCostUsd: 100, maxAgents: 5 });
  });

  it('writes no caps into run.json for an uncapped run', async () => {
    const r = await start(`return await agent('one')`, { caps: { maxCostUsd: undefined, maxAgents: undefined } });
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal('caps' in (store.readRecord(r.runId) ?? {}), false);
  });

  it('keeps budget.total apart: the token ceiling still throws in the script, no pause', async () => {
    const r = await start(`await agent('one'); try { await agent('two'); return 'ran' } catch (e) { return e.name }`, {
      budgetTotal: 1,
      caps: { maxAgents: 10 },
    });
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal(r.result, 'WorkflowBudgetExceededError');
    assert.equal(r.paused, undefined);
  });
});
