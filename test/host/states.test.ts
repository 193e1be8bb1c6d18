// Truthful states and counts in the real extension host: each agent state has its own icon and
// words in the Runs tree, a queued agent shows no ticking time, and after Stop the run node, the
// CodeLens and the status bar read the same numbers ("2/5 done · … · 2 stopped", never "5/5").
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, byTurn, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { answer } from './scriptHelpers';
import {
  Hold,
  agents,
  extensionApi,
  flatten,
  runSnapshot,
  waitFor,
  workspaceFile,
  startFakeModel,
  type TreeSnapshot,
} from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('Runs tree states and counts', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const hold = new Hold();
  /** The run the first test stops, which the second resumes. */
  let stopped: string | undefined;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  before(async () => {
    // Two at a time: the third agent of the second parallel waits in the queue while two are held.
    server = await startFakeModel(API_KEY, { concurrency: 2 });
    api = await extensionApi();
  });

  after(async () => {
    hold.release();
    await config().update('concurrency', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  const byLabel = (run: TreeSnapshot, label: string) => {
    const a = agents([run]).find((n) => n.label === label);
    assert.ok(a, `${label} is in the tree`);
    return a;
  };

  it('shows done, done with tool errors, queued, skipped and stopped apart, and the three views agree after Stop', async () => {
    server.respond(
      byPrompt([
        // A Read of a missing file: the tool call fails, the agent still answers.
        [
          /^State tool error/,
          byTurn(
            { toolUses: [{ name: 'Read', input: { file_path: 'missing-file.txt' } }] },
            { text: 'answered anyway' },
          ),
        ],
        [/^State (hold|skip)/, async (req) => (await hold.wait(), echo(req))],
      ]),
    );
    const uri = workspaceFile('states.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
    assert.match(runId ?? '', /^wf_/);

    const live = await waitFor('two held agents and one queued', async () => {
      const run = await runSnapshot(api, runId!);
      const held = agents([run]).filter((a) => a.icon === 'loading~spin').length;
      return held === 2 && agents([run]).some((a) => a.label === 'state:hold2' && a.icon === 'clock') && run;
    });
    const done = byLabel(live, 'state:done');
    assert.equal(done.icon, 'pass');
    assert.equal(done.contextValue, 'agent.done');
    const tools = byLabel(live, 'state:tools');
    assert.equal(tools.icon, 'warning', 'a done agent with a failed tool call is not a green check');
    assert.match(tools.description, /^done with 1 tool error · /);
    const queued = byLabel(live, 'state:hold2');
    assert.equal(queued.description, 'queued', 'a queued agent shows no time that could tick');
    assert.match(
      live.description,
      /^2 of ≥?5 done · 2 running · 1 queued · 1 with tool errors · \d[\d.k]* tok/,
      'while live: x of the planned total (≥ when the script can add more)',
    );

    const skipEl = await waitFor('the skip agent element', () =>
      findElement(api, api.runsTree.runElement(runId!), 'state:skip'),
    );
    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.skipAgent', skipEl), true);
    await waitFor(
      'hold two starts in the freed slot',
      async () => byLabel(await runSnapshot(api, runId!), 'state:hold2').icon === 'loading~spin',
    );

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    assert.equal((await api.controller.get(runId!)!.done).status, 'stopped');
    stopped = runId;
    const run = await waitFor('the stopped run in the tree', async () => {
      const r = await runSnapshot(api, runId!);
      return r.icon === 'debug-stop' && r;
    });
    const counts = /^2\/5 done · 1 with tool errors · 1 skipped · 2 stopped · \d[\d.k]* tok/;
    assert.match(run.description, counts, 'stopped and skipped agents never count as done');
    assert.equal(byLabel(run, 'state:skip').icon, 'debug-step-over');
    assert.equal(byLabel(run, 'state:skip').description.split(' · ')[0], 'skipped');
    for (const label of ['state:hold1', 'state:hold2']) {
      const a = byLabel(run, label);
      assert.equal(a.icon, 'debug-stop', `${label} is stopped`);
      assert.equal(a.description.split(' · ')[0], 'stopped');
    }
    const second = flatten([run]).filter((n) => n.contextValue === 'group.parallel')[1];
    assert.match(second.description, /^0\/3 done · 1 skipped · 2 stopped/);
    assert.equal(second.icon, 'debug-stop');

    // The same numbers in the status bar and on the second parallel's CodeLens.
    const bar = api.statusBar.text ?? '';
    assert.match(bar, /^\$\(debug-stop\) /);
    assert.ok(
      run.description.startsWith(bar.replace(/^\$\([^)]*\) /, '')),
      `status bar "${bar}" reads as the run node "${run.description}"`,
    );
    const lens = await waitFor('the final lens on the second parallel', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l?.find((x) => x.range.start.line === 7 && x.command?.title.startsWith('$(debug-stop)'));
    });
    assert.equal(lens.command!.title.replace(/^\$\(debug-stop\) /, ''), second.description.replace(/ · line \d+$/, ''));
  });

  it('a resumed run shows replayed agents as cached, their tokens apart from the tokens it spends', async () => {
    const runId = stopped;
    assert.ok(runId, 'the stopped run of the previous test');
    server.respond(echo);
    const { restore } = answer(api, {});
    try {
      assert.equal(
        await vscode.commands.executeCommand<string | undefined>(
          'dynamicWorkflows.resumeRun',
          api.runsTree.runElement(runId),
        ),
        runId,
      );
    } finally {
      restore();
    }
    assert.equal((await api.controller.get(runId)!.done).status, 'completed');
    const run = await waitFor('the resumed run finished in the tree', async () => {
      const r = await runSnapshot(api, runId);
      return r.icon === 'pass' && r;
    });
    for (const label of ['state:done', 'state:tools']) {
      const a = byLabel(run, label);
      assert.equal(a.icon, 'history', `${label} is replayed`);
      assert.match(a.description, /^cached · .*\d[\d.k]* tok cached/, `${label}: ${a.description}`);
    }
    assert.match(run.description, /^5\/5 done · 2 cached · \d[\d.k]* tok · \d[\d.k]* tok cached/);
    const bar = (api.statusBar.text ?? '').replace(/^\$\(pass\) /, '');
    assert.ok(run.description.startsWith(bar), `status bar "${bar}" reads as the run node`);
  });
});

/** Depth-first search of a subtree for the element with this label. */
async function findElement(
  api: DynamicWorkflowsApi,
  root: RunsElement,
  label: string,
): Promise<RunsElement | undefined> {
  for (const el of (await api.runsTree.getChildren(root)) ?? []) {
    if ((await api.runsTree.getTreeItem(el)).label === label) return el;
    const below = await findElement(api, el, label);
    if (below) return below;
  }
  return undefined;
}
