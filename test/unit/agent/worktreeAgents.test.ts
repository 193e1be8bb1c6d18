// isolation: 'worktree' through the real runner, SDK, tools, gates, OS sandbox and git; only the
// model is the fake Messages API on 127.0.0.1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FakeAnthropicServer,
  byPrompt,
  byTurn,
  systemText,
  toolResults,
  type RecordedRequest,
  type Responder,
} from '../../fakes/fakeAnthropic';
import { AnthropicRunner } from '../../../src/agent/runner';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import {
  AccessGate,
  ApprovedWrites,
  PermissionGate,
  commandGateFor,
  emptyRuleSet,
  parseRule,
  pathGuardFor,
} from '../../../src/agent/permissions';
import type { AgentOutcome, AgentRequest, Approver } from '../../../src/core/ports';
import { git, makeRepo } from '../../fakes/gitRepo';

const deny: Approver = { approveCommand: async () => 'deny' };

/** Edits a.txt to `text`, reports where Bash runs and what it sees, then answers with the tool results. */
const editor = (text: string) =>
  byTurn(
    { toolUses: [{ name: 'Edit', input: { file_path: 'a.txt', old_string: 'one', new_string: text } }] },
    { toolUses: [{ name: 'Bash', input: { command: 'pwd && cat a.txt' } }] },
    (req) => ({ text: toolResults(req.body)[0].content }),
  );

describe("agent({isolation: 'worktree'}) in the runner", () => {
  let server: FakeAnthropicServer;
  let repo: string;
  let home: string;
  const requests: RecordedRequest[] = [];

  async function start(respond: Responder): Promise<AnthropicRunner> {
    server = await FakeAnthropicServer.start({ respond: (req) => (requests.push(req), respond(req)) });
    const approvedWrites = new ApprovedWrites();
    const workspace = new FsWorkspace([repo], { approvedWrites });
    const rules = {
      ...emptyRuleSet(),
      allow: [parseRule('Bash(pwd)'), parseRule('Bash(cat:*)'), parseRule('Bash(echo:*)'), parseRule('Bash(cp:*)')],
    };
    const commands = new PermissionGate({ rules, roots: workspace.roots });
    const access = new AccessGate({ rules: emptyRuleSet(), roots: workspace.roots, approvedWrites, approver: deny });
    return new AnthropicRunner({
      apiKey: 'test-key',
      baseURL: server.url,
      workspace,
      paths: pathGuardFor(workspace.roots, repo, home),
      commands: (who) => commandGateFor(commands, deny, who),
      access: (who) => access.forAgent(who),
      home,
      worktrees: {
        scopeAt: (root) => ({
          workspace: new FsWorkspace([root], { approvedWrites }),
          paths: pathGuardFor([root], root, home),
          commands: (who) => commandGateFor(commands.rootedAt(root), deny, who),
          access: (who) => access.rootedAt(root).forAgent(who),
        }),
      },
    });
  }

  const run = (
    runner: AnthropicRunner,
    prompt: string,
    index: number,
    options: AgentRequest['options'] = { isolation: 'worktree' },
  ): Promise<AgentOutcome> =>
    runner.run(
      { runId: 'wf_wt', agentId: `a${index}`, index, prompt, label: prompt, options, attempt: 1 },
      new AbortController().signal,
      {},
    );

  beforeEach(() => {
    repo = makeRepo();
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-home-')));
    requests.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('two parallel agents edit the same file, each in its own kept worktree; the main tree is untouched', async () => {
    const runner = await start(
      byPrompt([
        ['agent A', editor('from A')],
        ['agent B', editor('from B')],
        ['reader', byTurn({ toolUses: [{ name: 'Read', input: { file_path: 'a.txt' } }] }, { text: 'read it' })],
      ]),
    );
    const [a, b, reader] = await Promise.all([
      run(runner, 'agent A', 1),
      run(runner, 'agent B', 2),
      run(runner, 'reader', 3),
    ]);
    runner.close();
    assert.equal(a.kind, 'done');
    assert.equal(b.kind, 'done');
    const wa = a.worktree!;
    const wb = b.worktree!;
    assert.deepEqual([wa.kept, wa.branch, wa.base], [true, 'dwf/wf_wt-1', 'HEAD']);
    assert.deepEqual([wb.kept, wb.branch], [true, 'dwf/wf_wt-2']);
    assert.equal(wa.commit, git(repo, 'rev-parse', 'HEAD'));
    assert.equal(fs.readFileSync(path.join(wa.path, 'a.txt'), 'utf8'), 'from A\n');
    assert.equal(fs.readFileSync(path.join(wb.path, 'a.txt'), 'utf8'), 'from B\n');
    assert.equal(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8'), 'one\n');
    // Bash ran in the agent's own worktree and saw its own edit.
    assert.ok(String(a.kind === 'done' && a.result).startsWith(`${wa.path}\nfrom A\n`));
    assert.ok(String(b.kind === 'done' && b.result).startsWith(`${wb.path}\nfrom B\n`));
    // The reader changed nothing: its worktree and branch are gone.
    assert.equal(reader.worktree?.kept, false);
    assert.equal(fs.existsSync(reader.worktree!.path), false);
    assert.deepEqual(git(repo, 'branch', '--list', 'dwf/*', '--format=%(refname:short)').split('\n').sort(), [
      'dwf/wf_wt-1',
      'dwf/wf_wt-2',
    ]);
  });

  it("tells the model where it works: its worktree is the workspace folder and the prompt's last paragraph", async () => {
    const runner = await start(byTurn({ text: 'ok' }));
    const out = await run(runner, 'look around', 4);
    runner.close();
    const system = systemText(requests[0].body);
    const wt = out.worktree!;
    assert.match(system, new RegExp(`Workspace folders: ${wt.path}\\n`));
    assert.ok(system.trimEnd().endsWith('removed if you did not.'), 'the worktree paragraph comes last');
    assert.ok(
      system.includes(
        `isolated git worktree at ${wt.path} (branch dwf/wf_wt-4, created from HEAD at commit ${wt.commit.slice(0, 12)})`,
      ),
    );
    assert.doesNotMatch(system, new RegExp(`Workspace folders: ${repo}\\n`));
  });

  it('the file guard and the sandbox keep a worktree agent out of the main tree', async () => {
    const main = path.join(repo, 'a.txt');
    const runner = await start(
      byTurn(
        { toolUses: [{ name: 'Write', input: { file_path: main, content: 'clobbered\n' } }] },
        { toolUses: [{ name: 'Bash', input: { command: `echo clobbered > ${main}` } }] },
        // The worktree's .git file names its git dir: the sandbox keeps it read-only.
        (req) => ({
          text: toolResults(req.body)
            .map((r) => `${r.is_error}:${r.content}`)
            .join('|'),
          toolUses: [{ name: 'Bash', input: { command: 'cp a.txt .git' } }],
        }),
        (req) => ({
          text: toolResults(req.body)
            .map((r) => `${r.is_error}:${r.content}`)
            .join('|'),
        }),
      ),
    );
    const out = await run(runner, 'escape', 5);
    runner.close();
    assert.equal(fs.readFileSync(main, 'utf8'), 'one\n');
    const gitFile = toolResults(requests[3].body)[0];
    assert.equal(gitFile.is_error, true, gitFile.content);
    assert.match(gitFile.content, /Read-only file system/i);
    const writeResult = toolResults(requests[1].body)[0];
    assert.equal(writeResult.is_error, true);
    assert.match(writeResult.content, /outside/i);
    assert.equal(out.kind, 'done');
    assert.match(
      toolResults(requests[2].body)
        .map((r) => `${r.is_error}`)
        .join(),
      /^true$/,
      'the redirect into the main tree failed',
    );
    assert.equal(
      out.kind === 'done' && out.result,
      toolResults(requests[3].body)
        .map((r) => `${r.is_error}:${r.content}`)
        .join('|'),
    );
    assert.equal(out.worktree?.kept, false, 'nothing landed in the worktree either');
  });

  it('fails the agent with a clear error outside a git repository, and in a host without worktree support', async () => {
    fs.rmSync(path.join(repo, '.git'), { recursive: true, force: true });
    const runner = await start(byTurn({ text: 'never asked' }));
    const out = await run(runner, 'x', 6);
    assert.equal(out.kind, 'error');
    assert.match(out.kind === 'error' ? out.error.message : '', /needs a git repository, but .* is not inside one/);
    assert.equal(requests.length, 0, 'no model call');
    const plain = new AnthropicRunner({
      apiKey: 'k',
      baseURL: server.url,
      workspace: new FsWorkspace([repo]),
      paths: pathGuardFor([repo], repo),
      commands: { check: async () => ({ allowed: true }) },
      access: new AccessGate({
        rules: emptyRuleSet(),
        roots: [repo],
        approvedWrites: new ApprovedWrites(),
        approver: deny,
      }).forAgent({ runId: 'r', agentLabel: 'l' }),
      home,
    });
    const unsupported = await plain.run(
      { runId: 'r', agentId: 'x', index: 0, prompt: 'x', label: 'x', options: { isolation: 'worktree' }, attempt: 1 },
      new AbortController().signal,
      {},
    );
    runner.close();
    plain.close();
    assert.match(unsupported.kind === 'error' ? unsupported.error.message : '', /not supported by this host/);
  });
});
