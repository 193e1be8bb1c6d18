// The main thread's AgentRunner proxy against a real agent worker thread (the unbundled
// out/src/host/agentWorker/worker.js) and the fake Messages API: agents run in the worker, reads
// and writes of the main tree come back to this thread's workspace, approvals to this thread's
// approver while the engine's slot is lent, Stop reaches the agent, and a worker that dies ends
// its agents with a clear error and is replaced for the next one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicServer, byTurn, toolResults } from '../../fakes/fakeAnthropic';
import { WORKER_DIED, WorkerRunner, type WorkerHostPorts } from '../../../src/host/agentWorker/runnerProxy';
import { SettingsRefusal } from '../../../src/host/settingsRefusal';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { ApprovedWrites } from '../../../src/agent/permissions/protected';
import type { AgentAssemblyOptions } from '../../../src/host/agentAssembly';
import type { AgentProgress, AgentRequest, ApprovalRequest } from '../../../src/core/ports';
import type { TokenUsage } from '../../../src/core/types';

const KEY = 'sk-ant-worker-test';

describe('host: the agent runner in a worker thread', function () {
  this.timeout(60_000);
  let tmp: string;
  let root: string;
  let server: FakeAnthropicServer;
  let runner: WorkerRunner | undefined;

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-agent-worker-')));
    root = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'config'));
    fs.mkdirSync(path.join(tmp, 'home'));
    server = await FakeAnthropicServer.start({ apiKey: KEY });
  });
  afterEach(async () => {
    await runner?.dispose();
    runner = undefined;
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const options = (): AgentAssemblyOptions => ({
    roots: [root],
    personal: { configDir: path.join(tmp, 'config'), home: path.join(tmp, 'home') },
    runsDir: path.join(root, '.claude', 'workflow-runs'),
    apiKey: KEY,
    baseURL: server.url,
    allow: { source: 'dynamicWorkflows.allow', rules: [], strict: false },
    env: {},
  });

  /** Ports of this (the main) thread, recording what the worker asked of them. */
  function mainPorts(answer: 'once' | 'deny' = 'deny') {
    const granted = new ApprovedWrites();
    const disk = new FsWorkspace([root], { approvedWrites: granted });
    const seen = {
      asked: [] as ApprovalRequest[],
      logged: [] as string[],
      reads: [] as string[],
      writes: [] as { file: string; agent?: string }[],
    };
    const ports: WorkerHostPorts = {
      approver: { approveCommand: async (r) => (seen.asked.push(r), answer) },
      log: { info: (m) => seen.logged.push(m), warn: (m) => seen.logged.push(`warn: ${m}`) },
      workspace: {
        forAgent: (agent) => ({
          roots: disk.roots,
          exists: (f) => disk.exists(f),
          readFile: (f) => (seen.reads.push(f), disk.readFile(f)),
          writeFile: (f, c) => (seen.writes.push({ file: f, agent: agent?.agentId }), disk.writeFile(f, c)),
        }),
        approve: (file) => granted.grant(file),
      },
    };
    return { ports, seen };
  }

  const request = (agentId: string, prompt: string): AgentRequest => ({
    runId: 'wf_worker01',
    agentId,
    index: 0,
    prompt,
    label: agentId,
    options: {},
    attempt: 1,
  });

  function recorder(lend = false) {
    const got = { usage: [] as TokenUsage[], tools: [] as string[], models: [] as string[], lent: 0, back: 0 };
    const progress: AgentProgress = {
      usage: (u) => got.usage.push(u),
      tool: (n) => got.tools.push(n),
      model: (m) => got.models.push(m),
      ...(lend
        ? {
            awaitPerson: async <T>(answer: Promise<T>) => {
              got.lent++;
              const value = await answer;
              got.back++;
              return value;
            },
          }
        : {}),
    };
    return { progress, got };
  }

  it('runs an agent in the worker: the outcome, its usage and model come back to this thread', async () => {
    const { ports } = mainPorts();
    const started = await WorkerRunner.start({ assembly: { options: options() } }, ports);
    runner = started.runner;
    assert.ok(runner.threadId !== undefined, 'a worker thread runs');
    assert.deepEqual(runner.agentTypes()?.includes('general-purpose'), true, runner.agentTypes()?.join(', '));
    const { progress, got } = recorder();
    const outcome = await runner.run(request('a1', 'Say hi'), new AbortController().signal, progress);
    assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
    assert.match(String((outcome as { result: unknown }).result), /echo:.*Say hi/);
    assert.ok(
      got.usage.some((u) => u.output > 0),
      'usage reached the engine side',
    );
    assert.ok(got.models.length > 0, 'the model in use was reported');
    assert.equal(server.requests.length, 1);
  });

  it('a usage limit met in the worker reaches this thread at once (the engine pauses the run)', async () => {
    const { ports } = mainPorts();
    // A 429 asking to wait 600 ms, over this run's 100 ms usage-limit threshold: a usage limit, not an overload.
    runner = (await WorkerRunner.start({ assembly: { options: { ...options(), usageLimitMs: 100 } } }, ports)).runner;
    server.fault({ status: 429, headers: { 'retry-after-ms': '600' } }, { times: 1 });
    const limits: { until: number; at: number }[] = [];
    const { progress } = recorder();
    progress.usageLimit = (until) => limits.push({ until, at: Date.now() });
    const before = Date.now();
    const outcome = await runner.run(request('limited', 'Say hi'), new AbortController().signal, progress);
    assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
    assert.equal(limits.length, 1, 'told once');
    assert.ok(limits[0].until >= before + 600, `until ${limits[0].until - before} ms after the start`);
    assert.ok(limits[0].at < limits[0].until, 'told while the limit still held, not after');
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [429, 200],
    );
  });

  it('reads and writes of the main tree go through this thread’s workspace, attributed to the agent', async () => {
    fs.writeFileSync(path.join(root, 'in.txt'), 'INPUT-TEXT\n');
    const { ports, seen } = mainPorts();
    runner = (await WorkerRunner.start({ assembly: { options: options() } }, ports)).runner;
    server.respond(
      byTurn(
        { toolUses: [{ name: 'Read', input: { file_path: path.join(root, 'in.txt') } }] },
        { toolUses: [{ name: 'Write', input: { file_path: path.join(root, 'out.txt'), content: 'WRITTEN\n' } }] },
        { text: 'done' },
      ),
    );
    const { progress, got } = recorder();
    const outcome = await runner.run(request('writer', 'copy it'), new AbortController().signal, progress);
    assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
    assert.ok(seen.reads.includes(path.join(root, 'in.txt')), `reads: ${seen.reads.join(', ')}`);
    assert.match(toolResults(server.requests[1].body)[0].content, /INPUT-TEXT/);
    assert.deepEqual(seen.writes, [{ file: path.join(root, 'out.txt'), agent: 'writer' }]);
    assert.equal(fs.readFileSync(path.join(root, 'out.txt'), 'utf8'), 'WRITTEN\n');
    assert.deepEqual(got.tools, ['Read', 'Write']);
  });

  it('asks this thread’s approver, with the agent’s slot lent while the person decides', async () => {
    const { ports, seen } = mainPorts('deny');
    runner = (await WorkerRunner.start({ assembly: { options: options() } }, ports)).runner;
    let result: { content: string; is_error: boolean } | undefined;
    server.respond(
      byTurn({ toolUses: [{ name: 'Bash', input: { command: 'touch made-by-agent' } }] }, (req) => {
        result = toolResults(req.body)[0];
        return { text: 'done' };
      }),
    );
    const { progress, got } = recorder(true);
    const outcome = await runner.run(request('asker', 'touch it'), new AbortController().signal, progress);
    assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
    assert.deepEqual(
      seen.asked.map((r) => [r.command, r.agentId]),
      [['touch made-by-agent', 'asker']],
    );
    assert.deepEqual([got.lent, got.back], [1, 1], 'the slot was lent and taken back');
    assert.ok(result?.is_error, 'the denied command did not run');
    assert.ok(!fs.existsSync(path.join(root, 'made-by-agent')));
  });

  it('Stop reaches the agent in the worker at once', async () => {
    const { ports } = mainPorts();
    runner = (await WorkerRunner.start({ assembly: { options: options() } }, ports)).runner;
    server.respond(() => new Promise(() => undefined)); // the model never answers
    const controller = new AbortController();
    const pending = runner.run(request('slow', 'wait'), controller.signal, recorder().progress);
    await server.waitForRequests(1, 10_000);
    controller.abort(new Error('stopped'));
    const outcome = await pending;
    assert.notEqual(outcome.kind, 'done', JSON.stringify(outcome));
  });

  it('a worker that dies mid-agent ends the agent with a clear error; the next agent gets a new worker', async () => {
    const { ports, seen } = mainPorts();
    runner = (await WorkerRunner.start({ assembly: { options: options() } }, ports)).runner;
    const first = runner.threadId;
    server.respond(() => new Promise(() => undefined));
    const pending = runner.run(request('doomed', 'wait'), new AbortController().signal, recorder().progress);
    await server.waitForRequests(1, 10_000);
    await runner.crashForTest();
    const outcome = await pending;
    assert.equal(outcome.kind, 'error');
    const error = (outcome as { error: { name: string; message: string } }).error;
    assert.equal(error.name, WORKER_DIED);
    assert.match(error.message, /the agent worker stopped unexpectedly \(it exited with code 1\)/);
    assert.ok(
      seen.logged.some((m) => m.startsWith('warn: the agent worker stopped unexpectedly')),
      seen.logged.join('\n'),
    );
    server.respond({ text: 'back again' });
    const next = await runner.run(request('after', 'again'), new AbortController().signal, recorder().progress);
    assert.equal(next.kind, 'done', JSON.stringify(next));
    assert.equal(runner.started, 2);
    assert.notEqual(runner.threadId, first);
  });

  it('a broken deny rule refuses the run with the shared assembly’s SettingsRefusal', async () => {
    fs.mkdirSync(path.join(root, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(root, '.claude', 'settings.json'), '{"permissions":{"deny":["Bash(rm:*"]}}');
    await assert.rejects(WorkerRunner.start({ assembly: { options: options() } }, mainPorts().ports), (e: unknown) => {
      assert.ok(e instanceof SettingsRefusal, String(e));
      assert.match(e.fatal[0], /permissions\.deny\[0\]: "Bash\(rm:\*": missing "\)"/);
      return true;
    });
  });

  it('the API key never shows in what the worker reports', async () => {
    const { ports, seen } = mainPorts();
    runner = (await WorkerRunner.start({ assembly: { options: options() } }, ports)).runner;
    server.respond({ text: `the key is ${KEY}` });
    const outcome = await runner.run(
      request('leak', 'echo the key'),
      new AbortController().signal,
      recorder().progress,
    );
    assert.ok(!JSON.stringify(outcome).includes(KEY), JSON.stringify(outcome));
    assert.ok(!seen.logged.join('\n').includes(KEY));
  });
});
