// Long synchronous slices in the editor (issue 8 item 5): a script computing for over a second
// shows "script computing…" in the Runs tree and the status bar, Stop ends it at once, and the
// dynamicWorkflows.sliceLimitMs setting is the limit the run gets.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('long synchronous slices in the extension host', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    await config().update('sliceLimitMs', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('a busy script shows "script computing…" in the tree and the status bar; Stop ends it as stopped', async () => {
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('busy.js'),
    );
    assert.match(runId ?? '', /^wf_/);
    const busy = await waitFor('the run computing in the tree', async () => {
      const run = await runSnapshot(api, runId!);
      return run.description.includes('script computing…') && run;
    });
    assert.equal(busy.contextValue, 'run.running');
    assert.match(api.statusBar.text ?? '', /script computing…/, 'the status bar says the script computes');

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'stopped', result.error?.message);
    const run = await waitFor('the stopped run in the tree', async () => {
      const r = await runSnapshot(api, runId!);
      return r.icon === 'debug-stop' && r;
    });
    assert.doesNotMatch(run.description, /computing/);
    assert.doesNotMatch(api.statusBar.text ?? '', /loading~spin/, 'no live run is left');
  });

  it('dynamicWorkflows.sliceLimitMs is the limit: a runaway fails at it with an error naming the setting', async () => {
    await config().update('sliceLimitMs', 300, vscode.ConfigurationTarget.Global);
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('busy.js'),
    );
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /ran for more than 300 ms without awaiting/);
    assert.match(result.error?.message ?? '', /dynamicWorkflows\.sliceLimitMs/);
  });
});
