// Caps that pause, in the real extension host (issue 11): the maxCostUsd / maxAgents settings pause
// a run; the Runs tree, the status bar and a notification say so; "Raise Cap and Continue" (from the
// notification and from the run node) asks for the new cap and continues the run under its id; the
// fake server's request counts prove no finished agent reached the model twice.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { echo, firstUserText } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { answer } from './scriptHelpers';
import {
  agents,
  extensionApi,
  runSnapshot,
  waitFor,
  workspaceFile,
  startFakeModel,
  type TreeSnapshot,
} from './helpers';

const API_KEY = 'sk-ant-host-test';
const RAISE = 'dynamicWorkflows.raiseCapAndContinue';

describe('caps that pause a run, and Raise Cap and Continue', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const uri = () => workspaceFile('caps-me.js');
  /** Requests the model saw per prompt word, e.g. {one: 1, two: 1}. */
  const sent = () => {
    const out: Record<string, number> = {};
    for (const r of server.requests) {
      const w = /^Cap word (\w+)/.exec(firstUserText(r.body) ?? '')?.[1];
      if (w) out[w] = (out[w] ?? 0) + 1;
    }
    return out;
  };
  const byLabel = (run: TreeSnapshot, label: string) => agents([run]).find((a) => a.label === label);
  const record = (runId: string) =>
    JSON.parse(
      fs.readFileSync(path.join(path.dirname(uri().fsPath), '.claude', 'workflow-runs', runId, 'run.json'), 'utf8'),
    ) as { status: string; caps?: unknown };

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    server.respond(echo);
  });

  afterEach(async () => {
    await config().update('maxCostUsd', undefined, vscode.ConfigurationTarget.Global);
    await config().update('maxAgents', undefined, vscode.ConfigurationTarget.Global);
    await config().update('maxAgents', undefined, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await server?.close();
  });

  it('pauses at maxCostUsd: tree, status bar and notification say so; the notification’s Raise Cap and Continue finishes it, nothing re-run', async () => {
    await config().update('maxCostUsd', 0.000001, vscode.ConfigurationTarget.Global);
    server.requests.length = 0;
    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri());
    assert.match(runId ?? '', /^wf_/);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'paused', result.error?.message);
    assert.deepEqual(sent(), { one: 1 }, 'the second agent was held, not sent');

    const run = await waitFor('the paused run node', async () => {
      const n = await runSnapshot(api, runId!);
      return n.icon === 'debug-pause' && n;
    });
    assert.equal(run.contextValue, 'run.finished.paused');
    assert.match(run.description, /^paused: cost cap \$0\.000001 reached \(\$0\.\d+ spent\) · 1\/2 done · 1 held/);
    const held = byLabel(run, 'cap:two');
    assert.ok(held, 'the held agent is in the tree');
    assert.equal(held.icon, 'clock', 'held, not stopped');
    assert.equal(held.contextValue, 'agent.held');
    assert.match(held.description, /^held/);
    assert.equal(byLabel(run, 'cap:one')?.icon, 'pass');
    assert.match(api.statusBar.text ?? '', /^\$\(debug-pause\) paused: cost cap \$0\.000001 reached · 1\/2 done/);

    const notice = await waitFor('the paused notice', () =>
      api.finishNotifications.notices.find((n) => n.runId === runId),
    );
    assert.equal(notice.message, "Workflow 'caps-me' paused: cost cap $0.000001 reached");
    assert.deepEqual(notice.actions, ['Raise Cap and Continue', 'Show Run']);

    // The box is prefilled above the spend; below it is refused; the prefilled value is taken.
    const dialogs = answer(api, {
      input: (options) => {
        assert.equal(typeof options.validateInput?.('0.0000001'), 'string', 'a cap below the spend is refused');
        return options.value;
      },
    });
    try {
      const resumed = await api.finishNotifications.press(runId!, 'Raise Cap and Continue');
      assert.equal(resumed, runId, 'the run continues under its id');
    } finally {
      dialogs.restore();
    }
    assert.equal(dialogs.asked.inputs.length, 1);
    const typed = Number(dialogs.asked.inputs[0].answer);
    assert.ok(typed > (result.paused?.spent ?? Infinity), `prefilled ${typed} above the spend`);
    assert.equal(dialogs.asked.inputs[0].problem, undefined);

    const last = await api.controller.get(runId!)!.done;
    assert.equal(last.status, 'completed', last.error?.message);
    assert.deepEqual(last.result, [
      'echo:Cap word one',
      'echo:Cap word two',
      'echo:Cap word three',
      'echo:Cap word four',
    ]);
    assert.equal(last.agents.cached, 1, 'the finished agent was replayed');
    assert.deepEqual(sent(), { one: 1, two: 1, three: 1, four: 1 }, 'each agent reached the model exactly once');
    assert.deepEqual(record(runId!).caps, { maxCostUsd: typed }, 'the raised cap is kept with the run');
    const done = await waitFor('the completed run node', async () => {
      const n = await runSnapshot(api, runId!);
      return n.icon === 'pass' && n;
    });
    assert.equal(byLabel(done, 'cap:one')?.icon, 'history');
  });

  it('pauses at maxAgents (a workspace may lower the cap, not raise it); Raise Cap and Continue on the run node asks for the agent count', async () => {
    await config().update('maxAgents', 2, vscode.ConfigurationTarget.Global);
    await config().update('maxAgents', 50, vscode.ConfigurationTarget.Workspace);
    server.requests.length = 0;
    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri());
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'paused', result.error?.message);
    assert.deepEqual(result.paused, { reason: 'agent-cap', limit: 2, spent: 2 });
    assert.deepEqual(sent(), { one: 1, two: 1 });
    const run = await waitFor('the paused run node', async () => {
      const n = await runSnapshot(api, runId!);
      return n.icon === 'debug-pause' && n;
    });
    assert.match(run.description, /^paused: agent cap 2 reached · 2\/3 done · 1 held/);

    const dialogs = answer(api, {
      input: (options) => {
        assert.equal(options.value, '4');
        assert.match(String(options.validateInput?.('2')), /above the 2 agents so far/);
        assert.match(String(options.validateInput?.('3.5')), /whole number/);
        return '4';
      },
    });
    try {
      // The inline action hands the command the run's tree element.
      assert.equal(await vscode.commands.executeCommand(RAISE, api.runsTree.runElement(runId!)), runId);
    } finally {
      dialogs.restore();
    }
    const last = await api.controller.get(runId!)!.done;
    assert.equal(last.status, 'completed', last.error?.message);
    assert.equal(last.agents.cached, 2);
    assert.deepEqual(sent(), { one: 1, two: 1, three: 1, four: 1 }, 'each agent reached the model exactly once');
  });

  it('refuses to start a run while a cap setting holds something that is not a cap, naming it', async () => {
    await config().update('maxAgents', 'lots', vscode.ConfigurationTarget.Global);
    server.requests.length = 0;
    await assert.rejects(
      api.controller.runFile(uri()),
      (e: Error) =>
        // The extension's own class (its bundle), so by name.
        e.name === 'RunRefused' &&
        /dynamicWorkflows\.maxAgents in your user settings is "lots": expected a whole number/.test(e.message),
    );
    assert.equal(server.requests.length, 0);
  });
});
