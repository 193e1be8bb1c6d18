// The pre-run dialog carries the priced plan (issue 11 item 1): agents evaluated with the args the
// person typed, dollars as a range, per phase and per model, and what the figures rest on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { extensionApi, startFakeModel, workspaceFile } from './helpers';
import { answer } from './scriptHelpers';

describe('pre-run dialog: priced plan', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const confirm = (on: boolean) =>
    vscode.workspace
      .getConfiguration('dynamicWorkflows')
      .update('confirmBeforeRun', on, vscode.ConfigurationTarget.Global);

  before(async () => {
    // A run is asked about only once a key and an endpoint are set; Cancel keeps the fake unused.
    server = await startFakeModel('sk-ant-host-estimate');
    api = await extensionApi();
  });
  after(async () => {
    await confirm(false);
    await server?.close();
  });

  it('shows agents from the typed args, dollars low–high per phase and model, and the basis; Cancel starts nothing', async () => {
    await confirm(true);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('estimate-me.js')));
    const runs = api.controller.list().length;
    const { asked, restore } = answer(api, {
      pick: (items) => items.find((i) => i.description === 'the active editor'),
      input: '["plan-p.js", "plan-q.js", "plan-r.js"]',
      modal: undefined,
    });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.runWorkflow'), undefined);
    } finally {
      restore();
    }
    assert.equal(asked.modals.length, 1, 'the pre-run dialog was shown');
    const lines = asked.modals[0].detail.split('\n');
    const at = lines.indexOf('Priced plan (with these args):');
    assert.ok(at > 0 && at < lines.findIndex((l) => l.startsWith('Budget: ')), asked.modals[0].detail);
    // plan + a parallel over the three args + a while loop counted 1–10 times
    assert.equal(lines[at + 1], '  Agents: 5–14', asked.modals[0].detail);
    assert.match(lines[at + 3], /^ {2}Cost: \$\d+\.\d+–\$\d+\.\d+$/);
    assert.ok(
      lines.some((l) => /^ {4}Plan: 1 agent, \$/.test(l)),
      asked.modals[0].detail,
    );
    assert.ok(
      lines.some((l) => /^ {4}Work: 4–13 agents, \$/.test(l)),
      asked.modals[0].detail,
    );
    assert.ok(
      lines.some((l) => /^ {4}claude-\S+: 5–14 agents, \$/.test(l)),
      asked.modals[0].detail,
    );
    assert.ok(
      lines.some((l) =>
        /^ {2}Basis \((static|history)\): agent counts from the script evaluated with these args/.test(l),
      ),
      asked.modals[0].detail,
    );
    assert.equal(api.controller.list().length, runs, 'Cancel starts no run');
    assert.equal(server.requests.length, 0, 'no model call');
  });

  it("prices an agentType's agents at their definition's model (built-in Explore: haiku)", async () => {
    await confirm(true);
    const file = workspaceFile('estimate-types.js');
    fs.writeFileSync(
      file.fsPath,
      "export const meta = { name: 'estimate-types', description: 'd' }\nawait agent('find', { agentType: 'Explore' })\nawait agent('plain')\n",
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const { asked, restore } = answer(api, {
        pick: (items) => items.find((i) => i.description === 'the active editor'),
        modal: undefined,
      });
      try {
        await vscode.commands.executeCommand('dynamicWorkflows.runWorkflow');
      } finally {
        restore();
      }
      assert.equal(asked.modals.length, 1, 'the pre-run dialog was shown');
      const detail = asked.modals[0].detail;
      assert.match(detail, /^ {4}claude-haiku-5-5: 1 agent, \$/m, detail);
      assert.match(detail, /^ {4}claude-sonnet-5-5: 1 agent, \$/m, detail);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(file.fsPath, { force: true });
    }
  });
});
