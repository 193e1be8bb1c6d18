// The Anthropic runner through the real SDK against the fake Messages API on 127.0.0.1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FakeAnthropicServer,
  byTurn,
  byPrompt,
  toolResults,
  type FakeTurn,
  type RecordedRequest,
} from '../../fakes/fakeAnthropic';
import { AnthropicRunner, type AnthropicRunnerOptions } from '../../../src/agent/runner';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { AccessGate, ApprovedWrites, emptyRuleSet } from '../../../src/agent/permissions';
import type { AgentOutcome, AgentProgress, AgentRequest } from '../../../src/core/ports';
import type { CommandGate, PathGuard } from '../../../src/agent/tools';
import { readTranscript } from '../../../src/agent/transcript';
import { MESSAGES_STRUCTURED } from '../../../src/agent/structuredOutput';
import { costUsd } from '../../../src/agent/models';
import type { TokenUsage } from '../../../src/core/types';

const guard = (root: string): PathGuard => ({
  resolve(p) {
    const abs = path.resolve(root, p);
    return abs.startsWith(root + path.sep) || abs === root
      ? { ok: true, real: abs }
      : { ok: false, reason: `${p} is outside the workspace` };
  },
});
const allowAll: CommandGate = { check: async () => ({ allowed: true }) };

interface Rig {
  server: FakeAnthropicServer;
  root: string;
  runs: string;
  runner(opts?: Partial<AnthropicRunnerOptions>): AnthropicRunner;
  run(
    runner: AnthropicRunner,
    prompt: string,
    options?: AgentRequest['options'],
    signal?: AbortSignal,
  ): Promise<{ outcome: AgentOutcome; usage: TokenUsage[]; tools: string[]; models: string[] }>;
}

async function rig(respond?: (req: RecordedRequest) => FakeTurn | Promise<FakeTurn>): Promise<Rig> {
  const server = await FakeAnthropicServer.start({ respond });
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-agent-')));
  const runs = path.join(root, '.runs');
  fs.writeFileSync(path.join(root, 'notes.txt'), 'alpha\nbeta\n');
  fs.writeFileSync(path.join(root, 'CLAUDE.md'), 'Always answer in lower case.');
  let n = 0;
  return {
    server,
    root,
    runs,
    runner: (opts = {}) => {
      const approvedWrites = new ApprovedWrites();
      const access = new AccessGate({
        rules: emptyRuleSet(),
        roots: [root],
        approvedWrites,
        approver: { approveCommand: async () => 'deny' },
      });
      return new AnthropicRunner({
        apiKey: 'test-key',
        baseURL: server.url,
        workspace: new FsWorkspace([root], { approvedWrites }),
        paths: guard(root),
        commands: allowAll,
        access: (who) => access.forAgent(who),
        transcriptsDir: (runId) => path.join(runs, runId, 'transcripts'),
        home: path.join(root, '.home'),
        ...opts,
      });
    },
    async run(runner, prompt, options = {}, signal = new AbortController().signal) {
      const usage: TokenUsage[] = [];
      const tools: string[] = [];
      const models: string[] = [];
      const progress: AgentProgress = {
        usage: (u) => usage.push(u),
        tool: (t) => tools.push(t),
        model: (m) => models.push(m),
      };
      const req: AgentRequest = {
        runId: 'wf_testrun1',
        agentId: `agent${++n}`,
        index: n,
        prompt,
        label: prompt.slice(0, 20),
        options,
        attempt: 1,
      };
      const outcome = await runner.run(req, signal, progress);
      return { outcome, usage, tools, models };
    },
  };
}

describe('agent runner on the Messages API (fake server, real SDK)', () => {
  let r: Rig;
  afterEach(async () => {
    await r.server.close();
    fs.rmSync(r.root, { recursive: true, force: true });
  });

  it('counts a denied command of an agent that still finishes as a tool error', async () => {
    r = await rig(
      byTurn({ text: 'Cleaning.', toolUses: [{ name: 'Bash', input: { command: 'rm -rf build' } }] }, (req) => ({
        text: `could not: ${toolResults(req.body)[0].content}`,
      })),
    );
    const deny: CommandGate = { check: async () => ({ allowed: false, reason: 'denied by the person' }) };
    const { outcome } = await r.run(r.runner({ commands: deny }), 'Clean the build');
    assert.equal(outcome.kind, 'done');
    assert.equal(outcome.kind === 'done' && outcome.toolErrors, 1, 'the denied Bash call is counted');
    assert.match(String(outcome.kind === 'done' && outcome.result), /denied by the person/);
  });

  it('runs the tool loop: a Read turn, then the final text is the result', async () => {
    r = await rig(
      byTurn({ text: 'Let me look.', toolUses: [{ name: 'Read', input: { file_path: 'notes.txt' } }] }, (req) => ({
        text: `file says: ${toolResults(req.body)[0].content}`,
      })),
    );
    const { outcome, tools, usage } = await r.run(r.runner(), 'What is in notes.txt?');
    assert.equal(outcome.kind, 'done');
    assert.match(String((outcome as { result: unknown }).result), /file says: .*alpha/s);
    assert.deepEqual(tools, ['Read']);
    assert.equal(usage.length, 2);
    assert.equal(r.server.requests.length, 2);
    // The tool_result went back with the tool_use id the model used.
    const second = r.server.requests[1].body;
    assert.equal(second.messages.length, 3);
  });

  it('marks system prompt and tools for prompt caching and includes CLAUDE.md', async () => {
    r = await rig();
    await r.run(r.runner(), 'hello');
    const body = r.server.requests[0].body;
    const system = body.system as unknown as { text: string; cache_control?: unknown }[];
    assert.deepEqual(system[0].cache_control, { type: 'ephemeral' });
    assert.match(system[0].text, /Always answer in lower case/);
    assert.match(system[0].text, /returned to the script verbatim/);
    const tools = body.tools!;
    assert.deepEqual(tools[tools.length - 1].cache_control, { type: 'ephemeral' });
    assert.ok(tools.some((t) => t.name === 'Bash') && tools.some((t) => t.name === 'Edit'));
    assert.equal(
      r.server.requests[0].headers['x-api-key'] ?? r.server.requests[0].headers.authorization?.replace('Bearer ', ''),
      'test-key',
    );
  });

  it('sibling agents read the shared prefix from the cache', async () => {
    r = await rig();
    const runner = r.runner();
    const usages: TokenUsage[] = [];
    for (let i = 0; i < 5; i++) usages.push(...(await r.run(runner, `task ${i}`)).usage);
    assert.ok(usages[0].cacheWrite > 0, 'first agent writes the cache');
    for (const u of usages.slice(1)) {
      // The shared prefix (system prompt + tools) comes from the cache; only the task is new.
      assert.ok(u.cacheRead > 0, 'later agents read the prefix');
      assert.ok(u.cacheRead / (u.input + u.cacheRead + u.cacheWrite) > 0.5, `mostly cached: ${JSON.stringify(u)}`);
    }
  });

  it('returns the validated object with a schema; an invalid call goes back as a tool error', async () => {
    const schema = {
      type: 'object',
      properties: { bugs: { type: 'array', items: { type: 'string' } } },
      required: ['bugs'],
    };
    r = await rig(
      byTurn(
        { toolUses: [{ name: 'StructuredOutput', input: { bugs: 'not an array' } }] },
        { toolUses: [{ name: 'StructuredOutput', input: { bugs: ['off by one'] } }] },
      ),
    );
    const { outcome } = await r.run(r.runner(), 'find bugs', { schema });
    assert.deepEqual(outcome, {
      kind: 'done',
      result: { bugs: ['off by one'] },
      usage: (outcome as { usage: TokenUsage }).usage,
      toolsUsed: [],
      model: 'claude-sonnet-5-5',
    });
    const rejected = toolResults(r.server.requests[1].body)[0];
    assert.equal(rejected.is_error, true);
    assert.match(String(rejected.content), /\/bugs must be array/);
    assert.ok(
      r.server.requests[0].body.tools!.some(
        (t) => t.name === 'StructuredOutput' && JSON.stringify(t.input_schema) === JSON.stringify(schema),
      ),
    );
  });

  it("a schema pattern that backtracks on the model's input costs one bounded tool error, not a frozen host", async function () {
    this.timeout(20_000);
    const schema = {
      type: 'object',
      properties: { id: { type: 'string', pattern: '^([a-z0-9x-]+)+!$' } },
      required: ['id'],
    };
    r = await rig(
      byTurn(
        { toolUses: [{ name: 'StructuredOutput', input: { id: 'a'.repeat(40) } }] },
        { toolUses: [{ name: 'StructuredOutput', input: { id: 'abc!' } }] },
      ),
    );
    const { outcome } = await r.run(r.runner(), 'make an id', { schema });
    assert.equal(outcome.kind, 'done');
    assert.deepEqual((outcome as { result: unknown }).result, { id: 'abc!' });
    const rejected = toolResults(r.server.requests[1].body)[0];
    assert.equal(rejected.is_error, true);
    assert.match(
      String(rejected.content),
      /schema validation exceeded 2 s and was stopped: the schema's pattern `\^\(\[a-z0-9x-\]\+\)\+!\$` may backtrack catastrophically/,
    );
  });

  it('throws the official message after 5 invalid StructuredOutput calls', async () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    r = await rig(() => ({ toolUses: [{ name: 'StructuredOutput', input: { n: 'x' } }] }));
    const { outcome } = await r.run(r.runner(), 'count', { schema });
    assert.equal(outcome.kind, 'error');
    assert.match(
      (outcome as { error: { message: string } }).error.message,
      /^agent\(\{schema\}\): StructuredOutput retry cap \(5\) exceeded — 5 failed calls with no valid output — last StructuredOutput error: \/n must be number/,
    );
    assert.equal(r.server.requests.length, 5);
  });

  it('nudges once when the model ends without StructuredOutput, then throws', async () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    r = await rig(() => ({ text: 'I think it is 3' }));
    const { outcome } = await r.run(r.runner(), 'count', { schema });
    assert.deepEqual((outcome as { error: unknown }).error, { name: 'Error', message: MESSAGES_STRUCTURED.noCall });
    assert.equal(r.server.requests.length, 2);
    const nudge = r.server.requests[1].body.messages.at(-1)!;
    assert.match(JSON.stringify(nudge.content), /StructuredOutput now/);
  });

  it('an agent in flight rides out more overloads than the 5xx retry budget', async () => {
    r = await rig();
    r.server.fault({ status: 429, headers: { 'retry-after-ms': '5' } }, { times: 12 });
    const { outcome } = await r.run(r.runner({ policy: { maxRetries: 2 } }), 'patient');
    assert.deepEqual([outcome.kind, (outcome as { result?: unknown }).result], ['done', 'echo:patient']);
    assert.equal(r.server.requests.length, 13);
  });

  it('rides out a 429 storm through the shared back-off and loses no agent', async () => {
    r = await rig();
    r.server.fault({ status: 429, headers: { 'retry-after-ms': '50' } }, { times: 6 });
    const runner = r.runner({ requestConcurrency: 4 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => r.run(runner, `job ${i}`)));
    for (const [i, x] of results.entries())
      assert.deepEqual([x.outcome.kind, (x.outcome as { result?: unknown }).result], ['done', `echo:job ${i}`]);
    assert.equal(runner.backoff.overloads, 6);
    assert.equal(r.server.requests.filter((q) => q.status === 429).length, 6);
  });

  it('a 529 storm past the retry budget resolves null with the reason', async () => {
    r = await rig();
    r.server.fault({ status: 529, headers: { 'retry-after-ms': '5' } }, { times: 20 });
    const { outcome } = await r.run(r.runner({ policy: { maxOverloads: 2 } }), 'x');
    assert.equal(outcome.kind, 'null');
    assert.match((outcome as { reason: string }).reason, /529 overloaded_error.*gave up after 3 attempts/);
  });

  it('retries a mid-stream error', async () => {
    r = await rig();
    r.server.fault({ streamErrorAfter: 3, errorType: 'overloaded_error' });
    const { outcome } = await r.run(r.runner(), 'after the error');
    assert.deepEqual([outcome.kind, (outcome as { result?: unknown }).result], ['done', 'echo:after the error']);
    assert.equal(r.server.requests.length, 2);
  });

  it('aborts a stalled stream and retries; after every attempt stalls it throws the stall message', async () => {
    r = await rig();
    r.server.fault({ stallAfter: 2 });
    const ok = await r.run(r.runner({ policy: { stallMs: 150 } }), 'eventually');
    assert.equal(ok.outcome.kind, 'done');
    assert.equal(r.server.requests[0].aborted, true);
    r.server.fault({ stallAfter: 1 }, { times: 10 });
    const { outcome } = await r.run(r.runner({ policy: { stallMs: 100, maxStallRetries: 2 } }), 'never');
    assert.deepEqual((outcome as { error: unknown }).error, {
      name: 'Error',
      message: 'agent stalled on all 3 attempts (no progress for 100ms each)',
    });
  });

  it('an abort stops the request in flight', async () => {
    r = await rig();
    r.server.fault({ stallAfter: 1 });
    const ac = new AbortController();
    const p = r.run(r.runner(), 'slow', {}, ac.signal);
    await r.server.waitForRequests(1);
    ac.abort(new Error('stop'));
    await assert.rejects(p);
    await r.server.idle();
    assert.equal(r.server.requests[0].aborted, true);
  });

  it('a refused path reaches the model as a tool error, and the transcript records the turn', async () => {
    r = await rig(
      byTurn(
        { toolUses: [{ name: 'Write', input: { file_path: '../escape.txt', content: 'x' } }] },
        { text: 'could not write' },
      ),
    );
    const runner = r.runner();
    const { outcome } = await r.run(runner, 'write outside');
    assert.equal(outcome.kind, 'done');
    const result = toolResults(r.server.requests[1].body)[0];
    assert.equal(result.is_error, true);
    assert.match(String(result.content), /outside the workspace/);
    assert.ok(!fs.existsSync(path.join(path.dirname(r.root), 'escape.txt')));
    const entries = readTranscript(path.join(r.runs, 'wf_testrun1', 'transcripts', 'agent1.jsonl'));
    assert.deepEqual(
      entries.map((e) => e.type),
      ['start', 'response', 'tool', 'response', 'end'],
    );
    assert.ok(!JSON.stringify(entries).includes('test-key'), 'the API key never lands in a transcript');
  });

  it('resolves model aliases, maps effort, and costs usage by the model price', async () => {
    r = await rig();
    const { models, usage } = await r.run(r.runner(), 'x', { model: 'haiku', effort: 'max' });
    assert.deepEqual(models, ['claude-haiku-5-5']);
    assert.equal(r.server.requests[0].body.model, 'claude-haiku-5-5');
    assert.equal(r.server.requests[0].body.output_config, undefined, 'haiku takes no effort');
    await r.run(r.runner(), 'y', { model: 'opus', effort: 'max' });
    assert.deepEqual(r.server.requests[1].body.output_config, { effort: 'max' });
    assert.equal(usage[0].costUsd, costUsd('claude-haiku-5-5', usage[0]));
    assert.ok(usage[0].costUsd! > 0);
  });

  it('agentType loads .claude/agents definitions: its prompt and its tools', async () => {
    r = await rig(byPrompt([]));
    fs.mkdirSync(path.join(r.root, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(
      path.join(r.root, '.claude', 'agents', 'reviewer.md'),
      '---\nname: reviewer\ndescription: reviews\ntools: Read, Grep\nmodel: haiku\n---\nYou review code strictly.\n',
    );
    const runner = r.runner();
    assert.ok(runner.agentTypes().includes('reviewer'));
    await r.run(runner, 'review', { agentType: 'reviewer', disallowedTools: ['Grep'] });
    const body = r.server.requests[0].body;
    assert.deepEqual(
      body.tools!.map((t) => t.name),
      ['Read'],
    );
    assert.match((body.system as unknown as { text: string }[])[0].text, /You review code strictly/);
    assert.equal(body.model, 'claude-haiku-5-5');
  });
});
