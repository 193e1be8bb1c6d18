// Large runs are confirmed with the priced plan (issue 11 item 3) in the real extension host: with
// the dialog switched off in the person's settings, a 30-agent script still gets it, leading with
// the reason and the plan and a "Run 30 Agents" button; a 3-agent script runs without it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { echo, type FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { extensionApi, startFakeModel, workspaceFile } from './helpers';
import { answer } from './scriptHelpers';

const fanOut = (name: string, n: number) => `export const meta = { name: '${name}', description: '${n} agents at once' }
return await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('${name} item ' + i, { label: 'i' + i })))
`;

describe('pre-run dialog: large runs are confirmed with the plan', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const written: string[] = [];
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  function script(file: string, text: string): vscode.Uri {
    const uri = workspaceFile(file);
    fs.writeFileSync(uri.fsPath, text);
    written.push(uri.fsPath);
    return uri;
  }

  async function run(uri: vscode.Uri) {
    const a = answer(api, { modal: undefined });
    try {
      const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
      if (runId) assert.equal((await api.controller.get(runId)!.done).status, 'completed');
      return { runId, modals: a.asked.modals };
    } finally {
      a.restore();
    }
  }

  before(async () => {
    server = await startFakeModel('sk-ant-host-large-run');
    server.respond(echo);
    api = await extensionApi();
    await config().update('confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
    // The thresholds' defaults (startFakeModel moves them out of the way for the other suites).
    await config().update('confirmAboveAgents', undefined, vscode.ConfigurationTarget.Global);
    await config().update('confirmAboveTokens', undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await server?.close();
  });

  it('confirmBeforeRun off: a 30-agent script still shows the dialog, leading with the reason and the plan; Cancel starts nothing', async () => {
    const uri = script('large-thirty.js', fanOut('large-thirty', 30));
    const runs = api.controller.list().length;
    const { runId, modals } = await run(uri);
    assert.equal(runId, undefined, 'Cancel starts no run');
    assert.equal(modals.length, 1, 'the dialog was shown');
    const { message, detail, buttons } = modals[0];
    assert.match(message, /^Run workflow "large-thirty"\? It is a large run: up to 30 agents \(above 25\)/);
    const lines = detail.split('\n');
    assert.match(lines[0], /^Large run: up to 30 agents \(above 25\)/, detail);
    assert.equal(lines[1], 'Priced plan (with these args):', detail);
    assert.equal(lines[2], '  Agents: 30', detail);
    assert.equal(lines.filter((l) => l === 'Priced plan (with these args):').length, 1, 'the plan once');
    assert.equal(buttons[0], 'Run 30 Agents');
    assert.equal(api.controller.list().length, runs);
    assert.equal(server.requests.length, 0, 'no model call');
  });

  it('confirmBeforeRun off: a 3-agent script runs without the dialog', async () => {
    const uri = script('large-three.js', fanOut('large-three', 3));
    const before = server.requests.length;
    const { runId, modals } = await run(uri);
    assert.equal(modals.length, 0, 'no dialog');
    assert.ok(runId, 'the run started');
    assert.equal(server.requests.length - before, 3);
  });
});
