// Runs you can manage (issue 10 item 6), in the real extension host with agents talking to the fake
// Messages API: the run node's start time, args and duration; finished and stopped notifications;
// the inline Resume that reuses the stored args unasked; Delete Run and Clear Finished Runs on the
// real runs folder; older runs collapsed and grouped; and Forget 'Always Run' Choices.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo, firstUserText } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { FileRunStore } from '../../src/core/journal/runStore';
import { BUTTONS } from '../../src/vscode/scripts/preRunModal';
import { CLEAR_BUTTONS, DELETE_BUTTON } from '../../src/vscode/runs/runsManagement';
import { OLDER_RUNS, TOP_LEVEL_RUNS } from '../../src/vscode/runs/runsTree';
import { Hold, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

describe('managing runs', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const script = () => workspaceFile('manage-me.js');
  const store = () => FileRunStore.forWorkspace(vscode.workspace.workspaceFolders![0].uri.fsPath);
  const promptsSince = (n: number) => server.requests.slice(n).map((r) => firstUserText(r.body));

  /** The model holds every "Manage hold…" prompt until the returned hold is released. */
  function holding(): Hold {
    const hold = new Hold();
    holds.push(hold);
    server.respond(byPrompt([[/^Manage hold/, async (req) => (await hold.wait(), echo(req))]]));
    return hold;
  }

  async function start(args: unknown): Promise<string> {
    const session = await api.controller.runFile(script(), { args });
    return session.runId;
  }

  /** A run stopped while its agent waits on the model. */
  async function stoppedRun(): Promise<string> {
    holding();
    const requests = server.requests.length;
    const runId = await start({ topic: 'hold' });
    await waitFor(
      'the agent waiting on the model',
      () => server.inFlight > 0 && promptsSince(requests).includes('Manage hold'),
    );
    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    assert.equal((await api.controller.get(runId)!.done).status, 'stopped');
    return runId;
  }

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await config().update('notifyOnFinish', undefined, vscode.ConfigurationTarget.Global);
    await config().update('confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
    await api.scripts.preRun.forget('manage-me');
    await server?.close();
  });

  it('the run node shows its start, args and duration (ticking while it runs, fixed after); the tooltip has the absolute start and the whole args', async () => {
    const hold = holding();
    const runId = await start({ topic: 'hold', files: ['a.ts', 'b.ts'] });
    const first = await waitFor('the running run with its agent', async () => {
      const n = await runSnapshot(api, runId);
      return n.contextValue === 'run.running' && n.children.length > 0 && n;
    });
    assert.match(first.description, /started just now · args \{"topic":"hold","files":\["a\.ts","b\.ts"\]\}$/);
    assert.equal(first.collapsible, vscode.TreeItemCollapsibleState.Expanded, 'a running run is open');
    const duration = (d: string) => /· (\d[\d.]*(?:s|m\d+s)) ·/.exec(d)?.[1];
    const d0 = duration(first.description);
    assert.ok(d0, `a duration: ${first.description}`);
    await waitFor(
      'the duration ticking without any agent event',
      async () => duration((await runSnapshot(api, runId)).description) !== d0,
    );

    const el = api.runsTree.runElement(runId);
    const tooltip = (await api.runsTree.resolveTreeItem(await api.runsTree.getTreeItem(el), el))
      .tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(just now\) · running for /);
    assert.ok(
      tooltip.value.includes('```json\n{\n  "topic": "hold",\n  "files": [\n    "a.ts",\n    "b.ts"\n  ]\n}\n```'),
      tooltip.value,
    );

    hold.release();
    assert.equal((await api.controller.get(runId)!.done).status, 'completed');
    const done = await waitFor('the finished run', async () => {
      const n = await runSnapshot(api, runId);
      return n.icon === 'pass' && n;
    });
    const final = duration(done.description);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(
      duration((await runSnapshot(api, runId)).description),
      final,
      'a finished run keeps its final duration',
    );
  });

  it('a finished run notifies with Show Result, a stopped one with Resume; the setting silences them', async () => {
    await config().update('notifyOnFinish', 'always', vscode.ConfigurationTarget.Global);
    server.respond(echo);
    const finished = await start({ topic: 'done' });
    await api.controller.get(finished)!.done;
    const notice = await waitFor('the finish notice', () =>
      api.finishNotifications.notices.find((n) => n.runId === finished),
    );
    // The same counts as the run node (runCounts over one trace), then the time.
    const treeCounts = (await runSnapshot(api, finished)).description.split(' · ').slice(0, 2).join(' · ');
    assert.match(treeCounts, /^1\/1 done · \d[\d.k]* tok$/);
    assert.ok(notice.message.startsWith(`Workflow manage-me finished: ${treeCounts} · `), notice.message);
    assert.deepEqual(notice.actions, ['Show Result']);

    const stopped = await stoppedRun();
    const stopNotice = await waitFor('the stop notice', () =>
      api.finishNotifications.notices.find((n) => n.runId === stopped),
    );
    assert.match(
      stopNotice.message,
      /^Workflow manage-me stopped: 0\/1 done · 1 stopped · \d/,
      'a stopped agent is never counted as finished',
    );
    assert.deepEqual(stopNotice.actions, ['Resume', 'Show Run']);

    await config().update('notifyOnFinish', 'never', vscode.ConfigurationTarget.Global);
    server.respond(echo);
    const quiet = await start({ topic: 'quiet' });
    await api.controller.get(quiet)!.done;
    await waitFor('the run node finished', async () => (await runSnapshot(api, quiet)).icon === 'pass');
    assert.equal(
      api.finishNotifications.notices.find((n) => n.runId === quiet),
      undefined,
      '"never" says nothing',
    );
  });

  it('Resume on a stopped run node continues it with its stored args and asks nothing', async () => {
    const runId = await stoppedRun();
    const node = await waitFor('the stopped run node', async () => {
      const n = await runSnapshot(api, runId);
      return n.contextValue === 'run.finished.stopped' && n;
    });
    assert.equal(node.icon, 'debug-stop');
    server.respond(echo);
    const requests = server.requests.length;
    const { asked, restore } = answer(api, {});
    let resumed: string | undefined;
    try {
      resumed = await vscode.commands.executeCommand<string | undefined>(
        'dynamicWorkflows.resumeRun',
        api.runsTree.runElement(runId),
      );
    } finally {
      restore();
    }
    assert.equal(resumed, runId);
    assert.deepEqual(asked.inputs, [], 'no args prompt');
    assert.deepEqual(asked.picks, [], 'no run to pick');
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(promptsSince(requests), ['Manage hold'], 'the stored args reached the script');
  });

  it('Delete Run asks, refuses a running run, and deletes the run folder and the node', async () => {
    server.respond(echo);
    const runId = await start({ topic: 'delete' });
    await api.controller.get(runId)!.done;
    const dir = store().dir(runId);
    assert.ok(fs.existsSync(dir));

    const cancel = answer(api, { warn: undefined });
    try {
      assert.equal(
        await vscode.commands.executeCommand('dynamicWorkflows.deleteRun', api.runsTree.runElement(runId)),
        false,
      );
    } finally {
      cancel.restore();
    }
    assert.match(cancel.asked.warnings[0].message, new RegExp(`^Delete run manage-me \\(${runId}\\)\\?$`));
    assert.match(cancel.asked.warnings[0].detail, /^Deletes \.claude\/workflow-runs\/wf_\S+: /);
    assert.ok(fs.existsSync(dir), 'cancelled: kept');

    const hold = holding();
    const live = await start({ topic: 'hold' });
    const refused = answer(api, { warn: DELETE_BUTTON });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.deleteRun', live), false);
    } finally {
      refused.restore();
    }
    assert.equal(refused.asked.warnings.length, 0, 'a running run is refused before asking');
    assert.ok(fs.existsSync(store().dir(live)));

    const yes = answer(api, { warn: DELETE_BUTTON });
    try {
      assert.equal(
        await vscode.commands.executeCommand('dynamicWorkflows.deleteRun', api.runsTree.runElement(runId)),
        true,
      );
    } finally {
      yes.restore();
    }
    assert.ok(!fs.existsSync(dir), 'the run folder is gone');
    assert.equal(api.controller.get(runId), undefined);
    const roots = [...(await api.runsTree.getChildren()), ...(await api.runsTree.getChildren(OLDER_RUNS))];
    assert.ok(!roots.some((e) => e.runId === runId), 'the node is gone');
    hold.release();
    await api.controller.get(live)!.done;
  });

  it('Clear Finished Runs empties the view of finished runs (and deletes their folders when asked), keeping a running one', async () => {
    server.respond(echo);
    const kept = await start({ topic: 'kept' });
    await api.controller.get(kept)!.done;
    const viewOnly = answer(api, { warn: CLEAR_BUTTONS.view });
    let cleared: number | undefined;
    try {
      cleared = await vscode.commands.executeCommand<number>('dynamicWorkflows.clearFinishedRuns');
    } finally {
      viewOnly.restore();
    }
    assert.ok(cleared && cleared >= 1);
    assert.equal(api.controller.list().length, 0, 'every finished run left the view');
    assert.ok(fs.existsSync(store().dir(kept)), '"Remove from View" keeps the folder');

    const a = await start({ topic: 'a' });
    await api.controller.get(a)!.done;
    const hold = holding();
    const running = await start({ topic: 'hold' });
    const del = answer(api, { warn: CLEAR_BUTTONS.delete });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.clearFinishedRuns'), 1);
    } finally {
      del.restore();
    }
    assert.match(del.asked.warnings[0].message, /^Clear 1 finished run\?$/);
    assert.ok(!fs.existsSync(store().dir(a)), 'its folder is deleted');
    assert.deepEqual(
      api.controller.list().map((s) => s.runId),
      [running],
      'the running run stays',
    );
    assert.ok(fs.existsSync(store().dir(running)));
    hold.release();
    await api.controller.get(running)!.done;
  });

  it(`the newest run is open and older ones collapsed; beyond ${TOP_LEVEL_RUNS} they go under "Older runs (n)"`, async () => {
    server.respond(echo);
    const ids: string[] = [];
    while (api.controller.list().length < TOP_LEVEL_RUNS + 2) {
      const id = await start({ topic: `n${ids.length}` });
      await api.controller.get(id)!.done;
      ids.push(id);
    }
    const all = api.controller
      .list()
      .map((s) => s.runId)
      .reverse();
    const roots = await api.runsTree.getChildren();
    assert.equal(roots.length, TOP_LEVEL_RUNS + 1);
    assert.deepEqual(
      roots.slice(0, TOP_LEVEL_RUNS).map((e) => e.runId),
      all.slice(0, TOP_LEVEL_RUNS),
      'newest first',
    );
    assert.deepEqual(roots[TOP_LEVEL_RUNS], OLDER_RUNS);
    const older = await api.runsTree.getTreeItem(OLDER_RUNS);
    assert.equal(older.label, 'Older runs (2)');
    assert.equal(older.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const inOlder = await api.runsTree.getChildren(OLDER_RUNS);
    assert.deepEqual(
      inOlder.map((e) => e.runId),
      all.slice(TOP_LEVEL_RUNS),
    );
    assert.deepEqual(api.runsTree.getParent(inOlder[0]), OLDER_RUNS, 'reveal finds a run under the group');
    assert.equal(
      (await api.runsTree.getTreeItem(roots[0])).collapsibleState,
      vscode.TreeItemCollapsibleState.Expanded,
      'the newest is open',
    );
    assert.equal(
      (await api.runsTree.getTreeItem(roots[1])).collapsibleState,
      vscode.TreeItemCollapsibleState.Collapsed,
      'older ones are closed',
    );
  });

  it("Forget 'Always Run' Choices lists the pinned scripts; a forgotten one shows the pre-run dialog again", async () => {
    server.respond(echo);
    await config().update('confirmBeforeRun', true, vscode.ConfigurationTarget.Global);
    const pin = answer(api, { modal: BUTTONS.always });
    try {
      await api.controller.get(await start({ topic: 'pin' }))!.done;
    } finally {
      pin.restore();
    }
    assert.equal(pin.asked.modals.length, 1);
    const skipped = answer(api, { modal: undefined });
    try {
      await api.controller.get(await start({ topic: 'pinned' }))!.done;
    } finally {
      skipped.restore();
    }
    assert.equal(skipped.asked.modals.length, 0, 'pinned: no dialog');

    const forget = answer(api, { pick: (items) => items.find((i) => i.label === 'manage-me') });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.forgetAlwaysRun'), 1);
    } finally {
      forget.restore();
    }
    const items = forget.asked.picks[0].items;
    assert.equal(items[0].label, 'All of them');
    assert.match(items.find((i) => i.label === 'manage-me')?.description ?? '', /^sha256 [0-9a-f]{12}$/);
    assert.equal(
      api.scripts.preRun.alwaysRun().some((e) => e.name === 'manage-me'),
      false,
    );

    const asks = answer(api, { modal: undefined });
    try {
      await assert.rejects(api.controller.runFile(script(), { args: { topic: 'asked' } }), { name: 'RunDeclined' });
    } finally {
      asks.restore();
    }
    assert.equal(asks.asked.modals.length, 1, 'the dialog is back');
    assert.match(asks.asked.modals[0].message, /^Run workflow "manage-me"\?$/);
  });
});
