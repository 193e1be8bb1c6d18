// Activation only where workflows are (issue 9 item 6), in a folder without workflow folders: an
// open workflow script does not activate the extension (no onLanguage:javascript); Run Workflow
// Script from the palette does, loads the agent layer on that first run and completes it; once
// active, CodeLens and diagnostics work for scripts outside the workflow folders too.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { activationAtStart, activationState, EXTENSION_ID } from '../host/activationState';
import { startFakeModel, waitFor, workspaceFile } from '../host/helpers';

const SCRIPT = 'scripts/lazy-hello.js';
const BROKEN = 'scripts/lazy-broken.js';

describe('activation where no workflow folder is', () => {
  let server: FakeAnthropicServer;

  before(async () => {
    server = await startFakeModel('sk-ant-host-lazy');
  });

  after(async () => {
    await server?.close();
  });

  it('stays inactive at start-up and with a workflow script open in the editor', async () => {
    assert.deepEqual(activationAtStart(), { active: false, agentLayerLoaded: false });
    const doc = await vscode.workspace.openTextDocument(workspaceFile(SCRIPT));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'javascript');
    // Activation events are handled as the document opens; give the host a moment to act on one.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(activationState(), { active: false, agentLayerLoaded: false });
  });

  it('Run Workflow Script from the palette activates the extension and the first run completes, its agent layer in a worker thread', async () => {
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile(SCRIPT),
    );
    assert.ok(runId, 'the command started a run');
    const state = activationState();
    assert.equal(state.active, true);
    // Loaded on this first run, not at activation: the pre-run check reads the workspace's allow
    // rules with it. The agents themselves (SDK streams, tools) run in the run's worker thread
    // (test/host/agentWorker.test.ts).
    assert.equal(state.agentLayerLoaded, true);
    const api = vscode.extensions.getExtension<DynamicWorkflowsApi>(EXTENSION_ID)!.exports;
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.agents.done, 1);
    assert.match(String(result.result), /echo:.*Say hello from a lazy start/);
    assert.equal(server.requests.length > 0, true, 'the agent called the model');
  });

  it('once active, a script outside the workflow folders has its CodeLens and diagnostics', async () => {
    const lenses = await waitFor('the Run lens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        workspaceFile(SCRIPT),
      );
      return found?.some((l) => l.command?.title.includes('Run')) && found;
    });
    assert.ok(
      lenses.some(
        (l) =>
          l.command?.command === 'dynamicWorkflows.runFile' ||
          l.command?.command === 'dynamicWorkflows.runCurrentScript',
      ),
      JSON.stringify(lenses.map((l) => l.command)),
    );
    const broken = await vscode.workspace.openTextDocument(workspaceFile(BROKEN));
    await vscode.window.showTextDocument(broken);
    const problems = await waitFor('a diagnostic on the invalid meta', () => {
      const d = vscode.languages.getDiagnostics(broken.uri);
      return d.length > 0 && d;
    });
    assert.match(problems.map((d) => d.message).join('\n'), /name/);
  });
});
