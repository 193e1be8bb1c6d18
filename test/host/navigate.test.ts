// Big runs you can navigate (issue 10 item 7) in the real extension host: a 60-file pipeline's slots
// are labelled by their file, the run's total is the script's plan ("118 of 121", not a growing
// "≥"), and Find Agent… reaches an agent inside the collapsed group — expanding its ancestors,
// selecting it — and clears a state filter that hides it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import type { AgentPick } from '../../src/vscode/agents/findAgent';
import { Hold, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

describe('navigating a big run', () => {
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
    const config = vscode.workspace.getConfiguration('dynamicWorkflows');
    await config.update('concurrency', undefined, vscode.ConfigurationTarget.Global);
    await config.update('notifyOnFinish', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('labels slots by item, keeps a planned total, and Find Agent reveals agents in collapsed nodes', async () => {
    await vscode.workspace
      .getConfiguration('dynamicWorkflows')
      .update('notifyOnFinish', 'always', vscode.ConfigurationTarget.Global);
    // Every agent answers at once but the review of the last file, so the run stays live with 118 done.
    server.respond(byPrompt([[/^Review src\/file59\.ts$/, async (req) => (await hold.wait(), echo(req))]]));
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('items.js'),
    ))!;
    assert.match(runId ?? '', /^wf_/);
    const run = await waitFor(
      '118 agents done, the last review held',
      async () => {
        const n = await runSnapshot(api, runId);
        return /^118 of 121 done · 1 running/.test(n.description) && n;
      },
      60_000,
    );

    // The total is the script's plan while live: never a "≥" lower bound that grows.
    assert.doesNotMatch(run.description, /≥/);
    const review = run.children.find((c) => c.label === 'Review')!;
    const group = review.children[0];
    assert.equal(group.label, 'pipeline ×60 · 2 stages');
    assert.equal(group.collapsible, vscode.TreeItemCollapsibleState.Collapsed, 'a 60-slot group starts collapsed');
    assert.deepEqual(
      group.children.slice(0, 3).map((s) => s.label),
      ['[0] src/file0.ts', '[1] src/file1.ts', '[2] src/file2.ts'],
      'slots named by their item',
    );
    assert.equal(group.children[59].label, '[59] src/file59.ts');
    assert.equal(group.children[59].description, '0 of ≥1 done · 1 running');

    // Find Agent: the quick pick lists every agent with state icon, state and tokens, and where it sits.
    const expanded: string[] = [];
    const listener = api.runsView.onDidExpandElement((e) => expanded.push((e.element as RunsElement).nodeId));
    const find = answer(api, {
      pick: (items) =>
        items.find((i) => i.detail === 'Review › pipeline ×60 · 2 stages › [42] src/file42.ts › stage 2'),
    });
    let found: string | undefined;
    try {
      found = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.findAgent');
    } finally {
      find.restore();
      listener.dispose();
    }
    const items = find.asked.picks[0].items as AgentPick[];
    assert.equal(items.length, 119, '60 reviews and 59 checks so far');
    const held = items.find((i) => i.detail?.endsWith('[59] src/file59.ts › stage 1'))!;
    assert.equal(held.label, '$(loading~spin) Review src/file59.ts');
    assert.equal(held.description, 'running');
    const check = items.find((i) => i.nodeId === found)!;
    assert.match(check.label, /^\$\(pass\) Check src\/file42\.ts: /);
    assert.match(check.description ?? '', /^done · \d[\d.k]* tok$/);
    // The workbench reports the selection back asynchronously.
    const selectedId = () => (api.runsView.selection[0] as RunsElement | undefined)?.nodeId;
    await waitFor(`the picked agent selected in the view (selection: ${selectedId()})`, () => selectedId() === found);
    assert.equal((api.runsView.selection[0] as RunsElement).runId, runId);
    assert.ok(
      expanded.some((id) => id.startsWith('group:')),
      `the collapsed group was opened: ${expanded.join(', ')}`,
    );
    assert.ok(
      expanded.some((id) => id.startsWith('slot:') && id.endsWith(':42')),
      `its slot was opened: ${expanded.join(', ')}`,
    );

    // A state filter that hides the agent is cleared first: reveal cannot reach a hidden node.
    await vscode.commands.executeCommand('dynamicWorkflows.filterRunsByState', 'running');
    assert.equal(api.runsView.description, 'showing running');
    const again = answer(api, {
      pick: (items) => items.find((i) => i.detail === 'Review › pipeline ×60 · 2 stages › [3] src/file3.ts › stage 1'),
    });
    try {
      found = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.findAgent', runId);
    } finally {
      again.restore();
    }
    assert.equal(api.runsView.description, undefined, 'the filter is off');
    await waitFor('the done agent selected', () => selectedId() === found);

    hold.release();
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    const final = await runSnapshot(api, runId);
    assert.match(final.description, /^121\/121 done · /);
    const notice = await waitFor('the finish notice', () =>
      api.finishNotifications.notices.find((n) => n.runId === runId),
    );
    assert.match(
      notice.message,
      /^Workflow items finished: 121\/121 done · \d[\d.k]* tok · /,
      'the notification counts as the tree does',
    );
  });
});
