// The agent runner off the main thread (issue 9 item 7): during a run the agents live in a worker
// thread of their own, the extension host's main thread holds no Anthropic SDK, an agent's edit
// still lands in the open editor as one undoable WorkspaceEdit, and a worker that dies mid-run
// fails its agent with a clear message while the run settles; the next run gets a new worker.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { EXTENSION_ID, Hold, extensionApi, startFakeModel, waitFor, workspaceFile } from './helpers';

const API_KEY = 'sk-ant-host-worker';

/** The extension's bundles loaded on this (the main) thread that carry any of the Anthropic SDK. */
function sdkOnMainThread(): string[] {
  const dist = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
  return Object.keys(require.cache).filter(
    (file) =>
      file.includes(`${path.sep}@anthropic-ai${path.sep}sdk${path.sep}`) ||
      (file.startsWith(dist + path.sep) && fs.readFileSync(file, 'utf8').includes('node_modules/@anthropic-ai/sdk/')),
  );
}

describe('agents in a worker thread', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
  });

  after(async () => {
    await server?.close();
  });

  it('runs the agents in a worker: no SDK on the main thread during the run, and the agent’s edit is one undoable edit in the open editor', async () => {
    const notes = path.join(root, 'worker-notes.txt');
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(vscode.Uri.file(notes)),
    );
    const hold = new Hold();
    server.respond(
      byTurn(
        async () => {
          await hold.wait();
          return {
            toolUses: [{ name: 'Edit', input: { file_path: notes, old_string: 'two', new_string: 'TWO (agent)' } }],
          };
        },
        { text: 'edited' },
      ),
    );
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('worker-edit.js'),
    );
    assert.ok(runId, 'the run started');
    try {
      await server.waitForRequests(before + 1, 20_000);
      const worker = api.controller.agentWorkers.workerOf(runId);
      assert.ok(worker?.threadId !== undefined, 'the run has a live worker thread');
      assert.equal(worker.started, 1);
      assert.deepEqual(sdkOnMainThread(), [], 'the Anthropic SDK is loaded on the main thread');
    } finally {
      hold.release();
    }
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'edited');
    const [edit] = toolResults(server.requests[server.requests.length - 1].body);
    assert.equal(edit.is_error, false, edit.content);
    assert.equal(editor.document.getText(), 'one\nTWO (agent)\nthree\n', 'the open document shows the edit');
    assert.equal(editor.document.isDirty, false, 'the edit was saved');
    assert.equal(fs.readFileSync(notes, 'utf8'), 'one\nTWO (agent)\nthree\n');
    assert.deepEqual(sdkOnMainThread(), [], 'the Anthropic SDK is loaded on the main thread after the run');
    await waitFor('the run’s worker ended with the run', () => !api.controller.agentWorkers.workerOf(runId));

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the edit undone', () => editor.document.getText() === 'one\ntwo\nthree\n');
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('a worker that dies mid-run fails its agent with a clear message, the run settles, and the next run gets a new worker', async () => {
    server.respond(() => new Promise(() => undefined)); // the model never answers: the agent is mid-run
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('worker-crash.js'),
    );
    assert.ok(runId, 'the run started');
    await server.waitForRequests(before + 1, 20_000);
    assert.equal(await api.controller.agentWorkers.crashForTest(runId), true, 'the run had a worker to end');
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'failed');
    assert.equal(result.agents.failed, 1);
    assert.match(result.error?.message ?? '', /the agent worker stopped unexpectedly/);

    server.respond({ text: 'fine' });
    const next = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('worker-crash.js'),
    );
    assert.ok(next, 'the next run started');
    const after = await api.controller.get(next)!.done;
    assert.equal(after.status, 'completed', after.error?.message);
    assert.equal(after.result, 'fine');
  });
});
