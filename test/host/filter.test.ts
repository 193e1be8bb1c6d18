// Filter Runs by State in the real extension host: with one agent held and two done, filtering by
// state hides the other agents (and phases left empty), the view's description names the filter,
// and Clear Filter brings every agent back.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { Hold, agents, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('Runs tree filter by state', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const hold = new Hold();

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
  });

  after(async () => {
    hold.release();
    await vscode.commands.executeCommand('dynamicWorkflows.clearRunsFilter');
    await vscode.workspace
      .getConfiguration('dynamicWorkflows')
      .update('concurrency', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('hides agents in other states, says so in the view description, and Clear Filter shows them again', async () => {
    server.respond(byPrompt([[/^Survey beta/, async (req) => (await hold.wait(), echo(req))]]));
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('fan-out.js'),
    );
    assert.match(runId ?? '', /^wf_/);
    const labels = async () =>
      agents([await runSnapshot(api, runId!)])
        .map((a) => a.label)
        .sort();
    await waitFor('alpha and gamma done, beta running', async () => {
      const all = agents([await runSnapshot(api, runId!)]);
      return (
        all.filter((a) => a.contextValue === 'agent.done').length === 2 &&
        all.some((a) => a.label === 'survey:beta' && a.contextValue === 'agent.running')
      );
    });

    await vscode.commands.executeCommand('dynamicWorkflows.filterRunsByState', 'running');
    assert.deepEqual(await labels(), ['survey:beta'], 'only the running agent is left');
    assert.equal(api.runsView.description, 'showing running');

    await vscode.commands.executeCommand('dynamicWorkflows.filterRunsByState', 'done');
    assert.deepEqual(await labels(), ['survey:alpha', 'survey:gamma'], 'only the done agents are left');

    await vscode.commands.executeCommand('dynamicWorkflows.filterRunsByState', 'failed');
    assert.deepEqual(await labels(), [], 'no agent failed');
    assert.deepEqual((await runSnapshot(api, runId!)).children, [], 'phases without a failed agent are hidden too');

    await vscode.commands.executeCommand('dynamicWorkflows.clearRunsFilter');
    assert.deepEqual(await labels(), ['survey:alpha', 'survey:beta', 'survey:gamma'], 'every agent is back');
    assert.equal(api.runsView.description, undefined);

    hold.release();
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
  });
});
