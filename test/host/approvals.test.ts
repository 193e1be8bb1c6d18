// Asking the person before a command no rule allows: the question names the run, the agent and the
// exact command; several can be open while the other agents keep working; Allow once runs the
// command, Deny refuses it, Always allow saves a rule that later runs use without asking, and a
// stopped run withdraws its questions. Answers go through approvals.answer(), which the
// notification's buttons call (tests cannot click notification buttons through the API).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, byTurn, echo, toolResults, type RecordedRequest } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { PendingApproval } from '../../src/vscode/approvals/approvals';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { agents, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('approvals for commands no rule allows', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  const marker = (name: string) => path.join(root, name);
  const runBash = (command: string) =>
    byTurn({ toolUses: [{ name: 'Bash', input: { command } }] }, { text: `ran ${command}` });
  /** The request that carried the tool results of the conversation started by `prompt`. */
  const resultsFor = (requests: RecordedRequest[], prompt: string) => {
    const req = requests.find(
      (r) => JSON.stringify(r.body.messages?.[0]).includes(prompt) && toolResults(r.body).length > 0,
    );
    assert.ok(req, `a tool result for "${prompt}" reached the model`);
    return toolResults(req.body);
  };
  const pendingFor = (runId: string, count: number) =>
    waitFor(`${count} pending approval(s)`, () => {
      const list = api.approvals.list().filter((p) => p.runId === runId);
      return list.length === count && list;
    });

  /** The Runs tree element of the agent labelled `label` in run `runId`. */
  const agentElement = async (runId: string, label: string): Promise<RunsElement> => {
    const walk = async (el: RunsElement): Promise<RunsElement | undefined> => {
      if (api.runsTree.agent(el)?.node.label === label) return el;
      for (const child of await api.runsTree.getChildren(el)) {
        const hit = await walk(child);
        if (hit) return hit;
      }
      return undefined;
    };
    return waitFor(`agent ${label} in the tree`, () => walk(api.runsTree.runElement(runId)));
  };
  const agentItem = async (runId: string, label: string) => {
    const item = await api.runsTree.getTreeItem(await agentElement(runId, label));
    return {
      icon: (item.iconPath as { id?: string } | undefined)?.id,
      description: String(item.description ?? ''),
      contextValue: item.contextValue,
    };
  };

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
  });

  after(async () => {
    for (const p of api?.approvals.list() ?? []) api.approvals.answer(p.id, 'deny');
    await server?.close();
  });

  it('asks for each command while the other agents keep working; Allow once runs it, Deny refuses it', async () => {
    server.respond(
      byPrompt([
        ['Shell one', runBash('touch allowed-once.txt')],
        ['Shell two', runBash('touch denied.txt')],
        ['Quiet', echo],
      ]),
    );
    const before = server.requests.length;
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approvals.js'),
    ))!;
    assert.match(runId ?? '', /^wf_/);

    const pending = await pendingFor(runId, 2);
    const byAgent = (label: string) => pending.find((p) => p.agentLabel === label) as PendingApproval;
    for (const [label, command] of [
      ['shell:1', 'touch allowed-once.txt'],
      ['shell:2', 'touch denied.txt'],
    ]) {
      const p = byAgent(label);
      assert.ok(p, `agent ${label} asks`);
      assert.equal(p.command, command);
      assert.equal(p.runName, 'approvals');
      for (const part of ['approvals', label, command])
        assert.ok(p.message.includes(part), `the notification names ${part}: ${p.message}`);
    }
    // The agent that needs no approval finished while the others wait.
    await waitFor(
      'the quiet agent done',
      async () => agents([await runSnapshot(api, runId)]).find((a) => a.label === 'quiet')?.icon === 'pass',
    );
    assert.ok(
      !fs.existsSync(marker('allowed-once.txt')) && !fs.existsSync(marker('denied.txt')),
      'nothing ran before an answer',
    );

    assert.equal(api.approvals.answer(byAgent('shell:1').id, 'once'), 'answered');
    assert.equal(api.approvals.answer(byAgent('shell:2').id, 'deny'), 'answered');
    assert.equal(
      api.approvals.answer(byAgent('shell:2').id, 'once'),
      'already answered',
      'a second answer changes nothing',
    );
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(api.approvals.list(), []);

    assert.ok(fs.existsSync(marker('allowed-once.txt')), 'Allow once ran the command');
    assert.ok(!fs.existsSync(marker('denied.txt')), 'Deny kept the command from running');
    const requests = server.requests.slice(before);
    const [allowed] = resultsFor(requests, 'Shell one');
    assert.equal(allowed.is_error, false, allowed.content);
    const [denied] = resultsFor(requests, 'Shell two');
    assert.equal(denied.is_error, true);
    assert.match(denied.content, /declined/, 'the model is told the person refused');
    const local = path.join(root, '.claude', 'settings.local.json');
    assert.ok(
      !fs.existsSync(local) || !fs.readFileSync(local, 'utf8').includes('allowed-once'),
      'Allow once saves no rule',
    );
  });

  it('Always allow saves the rule to .claude/settings.local.json, and a later run runs the command without asking', async () => {
    const command = 'touch always.txt';
    server.respond(byPrompt([['Shell once', runBash(command)]]));
    const first = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approve-one.js'),
    ))!;
    const [question] = await pendingFor(first, 1);
    assert.equal(question.command, command);
    assert.equal(api.approvals.answer(question.id, 'always'), 'answered');
    assert.equal((await api.controller.get(first)!.done).status, 'completed');
    assert.ok(fs.existsSync(marker('always.txt')));
    const settings = JSON.parse(fs.readFileSync(path.join(root, '.claude', 'settings.local.json'), 'utf8'));
    assert.ok(settings.permissions.allow.includes(`Bash(${command})`), JSON.stringify(settings));

    fs.rmSync(marker('always.txt'));
    let asked = 0;
    const counting = api.approvals.onDidChange(() => (asked += api.approvals.list().length));
    try {
      const before = server.requests.length;
      const second = (await vscode.commands.executeCommand<string | undefined>(
        'dynamicWorkflows.runFile',
        workspaceFile('approve-one.js'),
      ))!;
      assert.equal((await api.controller.get(second)!.done).status, 'completed');
      assert.equal(asked, 0, 'no question was asked');
      assert.ok(fs.existsSync(marker('always.txt')), 'the command ran');
      assert.equal(resultsFor(server.requests.slice(before), 'Shell once')[0].is_error, false);
    } finally {
      counting.dispose();
    }
  });

  it('a stopped run withdraws its questions; a late answer only says the run has ended', async () => {
    server.respond(
      byPrompt([
        ['Shell one', runBash('touch after-stop-1.txt')],
        ['Shell two', runBash('touch after-stop-2.txt')],
        ['Quiet', echo],
      ]),
    );
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approvals.js'),
    ))!;
    const pending = await pendingFor(runId, 2);
    assert.equal(api.approvals.statusText, '$(shield) 2 approvals pending');

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    assert.deepEqual(
      api.approvals.list().filter((p) => p.runId === runId),
      [],
      'withdrawn as soon as the run is stopped',
    );
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'stopped');
    assert.equal(api.approvals.statusText, undefined, 'the status bar item is gone');
    assert.deepEqual(
      api.approvals.openNotifications().filter((id) => pending.some((p) => p.id === id)),
      [],
      'their notifications closed',
    );
    // A late click on a link of the closing notification runs the answer command: it is told why.
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.answerApproval', pending[0].id, 'once'),
      'withdrawn',
    );
    assert.match(api.approvals.replies.at(-1) ?? '', /withdrawn: the run was stopped/);
    assert.ok(
      !fs.existsSync(marker('after-stop-1.txt')) && !fs.existsSync(marker('after-stop-2.txt')),
      'no withdrawn command ran',
    );
  });

  it('the tree shows waiting agents with Allow and Deny; an answer from the tree closes the notification, and a late click says what happened', async () => {
    server.respond(
      byPrompt([
        ['Shell one', runBash('touch tree-allowed.txt')],
        ['Shell two', runBash('rm -f tree-denied.txt')],
        ['Quiet', echo],
      ]),
    );
    fs.writeFileSync(marker('tree-denied.txt'), 'keep me');
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approvals.js'),
    ))!;
    const pending = await pendingFor(runId, 2);
    const touch = pending.find((p) => p.agentLabel === 'shell:1')!;
    const rm = pending.find((p) => p.agentLabel === 'shell:2')!;
    await waitFor('both notifications on screen', () =>
      [touch.id, rm.id].every((id) => api.approvals.openNotifications().includes(id)),
    );

    // The destructive one leads with Deny; "Always allow" names the rule it saves.
    assert.match(rm.destructive ?? '', /rm deletes files/);
    assert.equal(rm.buttons[0], 'Deny');
    assert.equal(rm.review.buttons[0], 'Deny');
    assert.equal(touch.buttons[0], 'Allow once');
    assert.ok(
      touch.review.buttons.includes('Always allow Bash(touch tree-allowed.txt)'),
      touch.review.buttons.join(' | '),
    );

    await waitFor(
      'the tree to show both agents waiting',
      async () =>
        (await agentItem(runId, 'shell:1')).contextValue === 'agent.waiting' &&
        (await agentItem(runId, 'shell:2')).contextValue === 'agent.waiting',
    );
    const waiting = await agentItem(runId, 'shell:2');
    assert.equal(waiting.icon, 'shield', 'its own icon, not the spinner');
    assert.equal(waiting.description, 'waiting for approval: rm -f tree-denied.txt');
    // The run node and the status bar count them as waiting, not running.
    await waitFor('the run node counts both as waiting', async () =>
      / · 2 waiting for approval/.test((await runSnapshot(api, runId)).description),
    );
    assert.match(api.statusBar.text ?? '', / · 2 waiting for approval/);

    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.allowWaitingAgent', await agentElement(runId, 'shell:1')),
      'answered',
    );
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.denyWaitingAgent', await agentElement(runId, 'shell:2')),
      'answered',
    );
    await waitFor(
      'both notifications closed',
      () => !api.approvals.openNotifications().some((id) => id === touch.id || id === rm.id),
    );
    assert.deepEqual(
      api.approvals.list().filter((p) => p.runId === runId),
      [],
      'no live question left',
    );

    // The link of a notification that was closing when it was clicked: told, not ignored.
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.answerApproval', touch.id, 'deny'),
      'already answered',
    );
    assert.match(api.approvals.replies.at(-1) ?? '', /already answered: Allowed once/);

    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.ok(fs.existsSync(marker('tree-allowed.txt')), 'Allow from the tree ran the command');
    assert.equal(
      fs.readFileSync(marker('tree-denied.txt'), 'utf8'),
      'keep me',
      'Deny from the tree kept rm from running',
    );
    const after = await agentItem(runId, 'shell:1');
    assert.notEqual(after.contextValue, 'agent.waiting');
    assert.notEqual(after.icon, 'shield');
    // The agent whose command was denied finished, but not as a clean success.
    const denied = await waitFor('the denied agent done', async () => {
      const a = await agentItem(runId, 'shell:2');
      return a.contextValue === 'agent.done' && a;
    });
    assert.equal(denied.icon, 'warning');
    assert.match(denied.description, /^done with 1 tool error/);
  });

  it('with concurrency 1, agents waiting for approval do not block their sibling', async () => {
    const config = vscode.workspace.getConfiguration('dynamicWorkflows');
    await config.update('concurrency', 1, vscode.ConfigurationTarget.Global);
    try {
      server.respond(
        byPrompt([
          ['Shell one', runBash('touch slot-1.txt')],
          ['Shell two', runBash('touch slot-2.txt')],
          ['Quiet', echo],
        ]),
      );
      const runId = (await vscode.commands.executeCommand<string | undefined>(
        'dynamicWorkflows.runFile',
        workspaceFile('approvals.js'),
      ))!;
      // One slot: both questions open at once, and the quiet agent ran to the end meanwhile.
      const pending = await pendingFor(runId, 2);
      await waitFor(
        'the quiet agent done while both wait',
        async () => agents([await runSnapshot(api, runId)]).find((a) => a.label === 'quiet')?.icon === 'pass',
      );
      for (const p of pending) assert.equal(api.approvals.answer(p.id, 'once'), 'answered');
      const result = await api.controller.get(runId)!.done;
      assert.equal(result.status, 'completed', result.error?.message);
      assert.ok(fs.existsSync(marker('slot-1.txt')) && fs.existsSync(marker('slot-2.txt')));
    } finally {
      await config.update('concurrency', 4, vscode.ConfigurationTarget.Global);
    }
  });

  it('a click on a link in the notification answers the question and closes that notification only', async () => {
    server.respond(
      byPrompt([
        ['Shell one', runBash('touch link-click.txt')],
        ['Shell two', runBash('rm -rf link-build')],
        ['Quiet', echo],
      ]),
    );
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approvals.js'),
    ))!;
    const pending = await pendingFor(runId, 2);
    const touch = pending.find((p) => p.agentLabel === 'shell:1')!;
    const rm = pending.find((p) => p.agentLabel === 'shell:2')!;
    // The runner (scripts/vscode-host.mjs) clicks in the real workbench: the Notification Center's
    // row for this question, its "Allow once" link — our own command: link with the question's id.
    await vscode.commands.executeCommand('notifications.showList');
    console.log(`@@host-click ${JSON.stringify({ notification: 'touch link-click.txt', link: 'Allow once' })}`);
    await waitFor('the link to answer the question', () => !api.approvals.list().some((p) => p.id === touch.id));
    await waitFor('its notification closed', () => !api.approvals.openNotifications().includes(touch.id));
    assert.ok(api.approvals.openNotifications().includes(rm.id), 'the other question is still on screen');
    assert.equal(api.approvals.answer(rm.id, 'deny'), 'answered');
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.ok(fs.existsSync(marker('link-click.txt')), 'Allow once from the link ran the command');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('skipping a waiting agent withdraws its question and closes its notification', async () => {
    server.respond(
      byPrompt([
        ['Shell one', runBash('touch skipped.txt')],
        ['Shell two', runBash('touch kept-waiting.txt')],
        ['Quiet', echo],
      ]),
    );
    const runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('approvals.js'),
    ))!;
    const pending = await pendingFor(runId, 2);
    const skipped = pending.find((p) => p.agentLabel === 'shell:1')!;
    const other = pending.find((p) => p.agentLabel === 'shell:2')!;
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.skipAgent', await agentElement(runId, 'shell:1')),
      true,
    );
    await waitFor(
      "the skipped agent's question withdrawn",
      () => !api.approvals.list().some((p) => p.id === skipped.id),
    );
    await waitFor('its notification closed', () => !api.approvals.openNotifications().includes(skipped.id));
    assert.equal(api.approvals.answer(skipped.id, 'once'), 'withdrawn');
    assert.match(api.approvals.replies.at(-1) ?? '', /withdrawn: the agent was skipped/);
    assert.equal(api.approvals.answer(other.id, 'deny'), 'answered', 'the other agent still asked');
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.ok(!fs.existsSync(marker('skipped.txt')), 'the skipped agent ran nothing');
  });
});
