// Remote agents from the editor against a real engine (issue 13), in the real extension host:
// PostgreSQL, `dwf engine init` and two `dwf worker` processes of the built binary. A remote
// agent's edit lands as an undoable edit in the open editor and in its changes; a command asked on
// the worker is the editor's usual approval and the answer reaches the worker; Stop stops the
// run's remote agents on their workers, and Resume continues them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer, RecordedRequest } from '../fakes/fakeAnthropic';
import { assistantTurns, firstUserText, systemText, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { extensionApi, startFakeModel, waitFor, workspaceFile } from '../host/helpers';
import {
  describeExit,
  dwf,
  ensureBuilt,
  finishedLabels,
  readJournal,
  runDwf,
  type Dwf,
  type Repo,
} from '../unit/cli-e2e/harness';
import { FAST_HEARTBEAT, gate, turnCounts } from '../remote/harness';
import { startEngine, type TestEngine } from '../remote/engine';

const API_KEY = 'sk-ant-host-remote-engine';

/** The worktree root the worker gave the agent, from its system prompt. */
function rootOf(req: RecordedRequest): string {
  const found = /Workspace folders: ([^,\n]+)/.exec(systemText(req.body))?.[1];
  if (!found) throw new Error(`no workspace root in the system prompt:\n${systemText(req.body).slice(0, 2000)}`);
  return found.trim();
}

/** The engine's data folder must be reachable by the `postgres` user: under the system's temp folder, not the runner's private one. */
async function startEngineOutsideScratch(): Promise<TestEngine> {
  const saved = process.env.TMPDIR;
  delete process.env.TMPDIR;
  // startEngine makes its folder before its first await: TMPDIR is back before anything else runs.
  const started = startEngine();
  if (saved !== undefined) process.env.TMPDIR = saved;
  return started;
}

function git(root: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

describe('remote agents from VS Code against a real engine', function () {
  this.timeout(180_000);
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let engine: TestEngine;
  let root: string;
  let repo: Repo;
  const workers: Dwf[] = [];

  before(async function () {
    this.timeout(300_000);
    ensureBuilt();
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
    // The workers start each agent at the conductor's HEAD: the scratch folder becomes a repository.
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, '.gitignore'), '.claude/workflow-runs/\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-host-remote-'));
    repo = {
      tmp,
      root,
      home: path.join(tmp, 'home'),
      config: path.join(tmp, 'config'),
      write: (rel, text) => (fs.writeFileSync(path.join(root, rel), text), path.join(root, rel)),
      read: (rel) => fs.readFileSync(path.join(root, rel), 'utf8'),
      exists: (rel) => fs.existsSync(path.join(root, rel)),
      journal: (runId) => path.join(root, '.claude', 'workflow-runs', runId, 'journal.jsonl'),
      cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
    };
    for (const d of [repo.home, repo.config]) fs.mkdirSync(d);
    engine = await startEngineOutsideScratch();
    const init = await runDwf(repo, ['engine', 'init', '--engine', engine.url]);
    if (init.code !== 0) throw new Error(`dwf engine init failed: ${describeExit(init)}`);
    for (let i = 0; i < 2; i++)
      workers.push(
        dwf(repo, ['worker', '--engine', engine.url, '--concurrency', '1'], {
          server,
          env: { ...FAST_HEARTBEAT, ANTHROPIC_API_KEY: API_KEY },
        }),
      );
    await Promise.all(workers.map((w) => w.waitForStderr(/dwf worker \S+ \(dwf .*\) runs up to/, 120_000)));
    // The editor's conductor finds the engine here (as it would in a person's environment).
    process.env.DWF_ENGINE_URL = engine.url;
  });

  after(async function () {
    this.timeout(60_000);
    delete process.env.DWF_ENGINE_URL;
    for (const p of api?.approvals.list() ?? []) api.approvals.answer(p.id, 'deny');
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited.catch(() => undefined)));
    engine?.stop();
    repo?.cleanup();
    await server?.close();
  });

  /** The worker log lines saying agent `label` of `runId` started. */
  const starts = (label: string, runId: string) =>
    workers.flatMap((w) => w.stderr.match(new RegExp(`\\[${label}\\] agent \\S+ of run ${runId} started`, 'g')) ?? []);

  it('applies a remote agent’s edit as an undoable edit in the open editor, listed in the agent’s changes', async () => {
    const notes = path.join(root, 'notes.txt');
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(vscode.Uri.file(notes)),
    );
    assert.equal(editor.document.getText(), 'original\n');
    server.respond((req) => {
      if (assistantTurns(req.body) > 0) return { text: 'edited remotely' };
      const worktree = rootOf(req);
      assert.notEqual(worktree, root, 'the agent works in a worktree of its worker, not in the workspace');
      return {
        toolUses: [
          {
            name: 'Edit',
            input: { file_path: path.join(worktree, 'notes.txt'), old_string: 'original', new_string: 'from a worker' },
          },
        ],
      };
    });
    const session = await api.controller.runFile(workspaceFile('remote-edit.js'));
    const result = await session.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'edited remotely');
    assert.equal(starts('editor', session.runId).length, 1, 'a worker ran the agent');
    assert.equal(fs.readFileSync(notes, 'utf8'), 'from a worker\n', 'the edit is on disk');
    assert.equal(editor.document.getText(), 'from a worker\n', 'the open document shows the edit');
    assert.equal(editor.document.isDirty, false, 'the edit was saved');

    // The Runs view lists the file under the agent, as for a local agent's edit.
    const tree = api.runsTree;
    const agentEl = tree.getChildren(tree.runElement(session.runId)).flatMap(function walk(
      el: RunsElement,
    ): RunsElement[] {
      return tree.agent(el) ? [el] : tree.getChildren(el).flatMap(walk);
    })[0];
    assert.ok(agentEl, 'the agent is in the tree');
    const files = tree.getChildren(agentEl).map((el) => tree.getTreeItem(el));
    assert.deepEqual(
      files.map((i) => i.resourceUri?.fsPath),
      [notes],
    );
    assert.match(String(files[0].description), /^modified/);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the remote edit undone', () => editor.document.getText() === 'original\n');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('the undo saved', () => fs.readFileSync(notes, 'utf8') === 'original\n');
  });

  for (const [choice, marker] of [
    ['once', 'allowed-remote.txt'],
    ['deny', 'denied-remote.txt'],
  ] as const) {
    it(`asks the worker's command as the editor's approval; ${choice === 'once' ? 'Allow runs it on the worker' : 'Deny reaches the agent as a refusal'}`, async () => {
      const prompt = `Touch ${marker}`;
      const command = `touch ${marker}`;
      server.respond((req) => {
        if (firstUserText(req.body) !== prompt) return { text: 'unexpected' };
        if (assistantTurns(req.body) === 0) return { toolUses: [{ name: 'Bash', input: { command } }] };
        const [r] = toolResults(req.body);
        return { text: `${r?.is_error ? 'refused' : 'ran'}: ${r?.content ?? ''}` };
      });
      const session = await api.controller.runFile(workspaceFile('remote-ask.js'), { args: { prompt } });
      const pending = await waitFor(
        'the worker’s question in the editor',
        () => api.approvals.list().find((p) => p.runId === session.runId),
        90_000,
      );
      assert.equal(pending.command, command);
      assert.equal(pending.agentLabel, 'asker');
      assert.ok(pending.message.includes(command), `the notification names the command: ${pending.message}`);
      assert.ok(pending.buttons.length > 0, 'the notification offers its answers');
      assert.equal(server.requests.filter((r) => firstUserText(r.body) === prompt).length, 1, 'the agent waits');
      assert.equal(api.approvals.answer(pending.id, choice), 'answered');

      const result = await session.done;
      assert.equal(result.status, 'completed', result.error?.message);
      const turns = server.requests.filter((r) => firstUserText(r.body) === prompt);
      assert.equal(turns.length, 2, 'the agent went on after the answer');
      const [toolResult] = toolResults(turns[1].body);
      if (choice === 'once') {
        assert.equal(toolResult.is_error, false, toolResult.content);
        assert.match(String(result.result), /^ran/);
        // The command ran in the worker's worktree: its file comes back with the agent's patch.
        assert.ok(fs.existsSync(path.join(root, marker)), `${marker} was created by the command on the worker`);
      } else {
        assert.equal(toolResult.is_error, true, toolResult.content);
        assert.match(toolResult.content, /denied|refused|not allowed/i);
        assert.match(String(result.result), /^refused/);
        assert.ok(!fs.existsSync(path.join(root, marker)), 'the denied command did not run');
      }
      assert.deepEqual(
        api.approvals.list().filter((p) => p.runId === session.runId),
        [],
      );
    });
  }

  it('Stop stops the run’s remote agents on their workers; Resume takes the finished one from the journal and continues the other', async () => {
    const late = gate();
    server.respond(async (req) => {
      const prompt = firstUserText(req.body);
      if (prompt === 'Cut off by the stop') await late.promise;
      return { text: `done:${prompt}` };
    });
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('remote-pair.js'),
    );
    assert.match(runId ?? '', /^wf_/);
    await waitFor(
      'the early agent done on its worker, the late one waiting on the model',
      () =>
        workers.some((w) => new RegExp(`\\[early\\] agent \\S+ of run ${runId} done`).test(w.stderr)) &&
        server.inFlight === 1,
      90_000,
    );
    const session = api.controller.get(runId!)!;
    await waitFor(
      'the early agent’s result in the journal',
      () => fs.existsSync(repo.journal(runId!)) && finishedLabels(readJournal(repo.journal(runId!))).has('early'),
      30_000,
    );
    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    assert.equal((await session.done).status, 'stopped');

    // Stopped on its worker too: cancelled on the engine, its turn cut off, nothing more sent.
    await waitFor(
      'the late agent stopped on its worker',
      () =>
        workers.some((w) =>
          new RegExp(`\\[late\\] agent \\S+ of run ${runId} stopped by its conductor`).test(w.stderr),
        ),
      30_000,
    );
    assert.deepEqual(await workflowStatuses(runId!), { early: 'SUCCESS', late: 'CANCELLED' });
    const sentAtStop = server.requests.length;
    late.open();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(server.requests.length, sentAtStop, 'nothing is sent for the stopped run');

    const resumed = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.resumeRun',
      api.runsTree.runElement(runId!),
    );
    assert.equal(resumed, runId, 'the same run continues');
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(result.result, ['done:Finish before the stop', 'done:Cut off by the stop']);
    const counts = turnCounts(server);
    assert.equal(counts.get('Finish before the stop#1'), 1, 'the finished agent is not asked again');
    // Cut off mid-turn (never recorded), so sent once more: the only repeat.
    assert.equal(counts.get('Cut off by the stop#1'), 2);
    assert.equal(server.requests.length - before, 3);
    assert.equal(starts('early', runId!).length, 1, 'the early agent ran once');
    assert.equal(starts('late', runId!).length, 2, 'the late agent was continued once, after the stop');
    assert.deepEqual(await workflowStatuses(runId!), { early: 'SUCCESS', late: 'SUCCESS' });
  });

  /** The engine's status of each remote agent of `runId`, by its label. */
  async function workflowStatuses(runId: string): Promise<Record<string, string>> {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: engine.url });
    await c.connect();
    try {
      const r = await c.query<{ status: string; inputs: string }>(
        // This DBOS keeps inputs in workflow_input (older ones in workflow_status.inputs).
        `SELECT ws.status, COALESCE(wi.inputs, ws.inputs) AS inputs FROM dbos.workflow_status ws
           LEFT JOIN dbos.workflow_input wi USING (workflow_uuid) WHERE ws.workflow_uuid LIKE $1`,
        [`dwf:${runId}:%`],
      );
      // The inputs are DBOS's serialization of the agent's spec: its prompt tells the two apart.
      return Object.fromEntries(
        r.rows.map((row) => [row.inputs.includes('Finish before the stop') ? 'early' : 'late', row.status]),
      );
    } finally {
      await c.end();
    }
  }
});
