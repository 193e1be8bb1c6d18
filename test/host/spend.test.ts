// Spend against the plan in the real extension host (issue 11 item 5): a run keeps the priced plan
// it started with (run.json); the run node, its tooltip and the status bar read agents and dollars
// "of" it while the run goes and after; each call site's CodeLens shows the dollars its agents cost.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { FileRunStore } from '../../src/core/journal/runStore';
import { Hold, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';
/**
 * fan-out.js starts exactly 7 agents: its plan is exact; dollars within it or, honestly, above it.
 * The dollar range may be one figure: other suites ran fan-out.js before, and a learned plan is narrow.
 */
const AGAINST_PLAN = /\d of 7 agents · \$[\d.]+ (of|— above the plan's) \$[\d.]+(–\$[\d.]+)?/;

describe('spend against the plan', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const hold = new Hold();

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
  });
  after(async () => {
    hold.release();
    await server?.close();
  });

  it('the run node and the status bar read "of" the plan during and after the run; a call site\'s CodeLens shows "$"', async () => {
    server.respond(byPrompt([[/^Survey/, async (req) => (await hold.wait(), echo(req))]]));
    const uri = workspaceFile('fan-out.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runCurrentScript');
    assert.match(runId ?? '', /^wf_/);
    const session = api.controller.get(runId!)!;

    // Live: the plan is made after the start and shown while the three survey agents are held.
    const live = await waitFor('the live run node reads against the plan', async () => {
      const run = await runSnapshot(api, runId!);
      return AGAINST_PLAN.test(run.description) && /3 running/.test(run.description) && run;
    });
    assert.equal(live.icon, 'loading~spin', `still running: ${live.description}`);
    assert.match(live.description, /^0 of ≥?\d+ done · 3 running · .*0 of 7 agents · \$/);
    assert.match(api.statusBar.text ?? '', AGAINST_PLAN, 'the status bar too');
    assert.match(api.statusBar.tooltip ?? '', /Plan: 7 agents, \$[\d.]+(–\$[\d.]+)? at list prices/);
    const record = FileRunStore.forWorkspace(vscode.workspace.workspaceFolders![0].uri.fsPath).readRecord(runId!);
    assert.deepEqual(record?.plan?.agents, { low: 7, high: 7 }, 'run.json keeps the plan while the run goes');

    hold.release();
    assert.equal((await session.done).status, 'completed');
    const done = await waitFor('the finished run node', async () => {
      const run = await runSnapshot(api, runId!);
      return run.icon === 'pass' && run;
    });
    assert.match(done.description, /^7\/7 done · \d[\d.k]* tok · 7 of 7 agents · \$[\d.]+ (of|— above the plan's) \$/);
    const bar = (api.statusBar.text ?? '').replace(/^\$\(pass\) /, '');
    assert.match(bar, AGAINST_PLAN);
    assert.ok(done.description.startsWith(bar), `status bar "${bar}" reads as the run node "${done.description}"`);
    const el = api.runsTree.runElement(runId!);
    const tip = (await api.runsTree.resolveTreeItem(await api.runsTree.getTreeItem(el), el)).tooltip;
    // Markdown, its punctuation escaped: read as the hover shows it.
    const tipText = (typeof tip === 'string' ? tip : (tip?.value ?? '')).replace(/\\(.)/g, '$1');
    assert.match(tipText, /Plan: 7 agents/);
    assert.match(tipText, /Agents: 7 done of 7 started/);
    assert.match(tipText, /Spent: \$[\d.]+/);

    // The parallel call site (line 8): its three agents' counts, tokens and dollars.
    const lens = await waitFor('the CodeLens of the parallel call site with dollars', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return lenses?.find(
        (l) => l.range.start.line === 7 && /^(parallel: )?\$\(check\) 3\/3/.test(l.command?.title ?? ''),
      );
    });
    assert.match(lens.command!.title, /^(parallel: )?\$\(check\) 3\/3 done · \d[\d.k]* tok · \$[\d.]+$/);
  });
});
