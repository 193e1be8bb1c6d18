// Running from the palette inside the real extension host: Run Workflow… (saved workflows and the
// editor's script, args validated), the pre-run dialog (its text, Cancel, View script, Always run)
// and Resume Run… after a stop, with agents talking to the fake Messages API server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo, firstUserText } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { BUTTONS, SCRIPT_SAYS, TOKEN_CAUTION } from '../../src/vscode/scripts/preRunModal';
import { FileRunStore, scriptHash } from '../../src/core/journal/runStore';
import { Hold, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

describe('running workflows from the palette', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const confirm = (on: boolean) => config().update('confirmBeforeRun', on, vscode.ConfigurationTarget.Global);
  const promptsSince = (n: number) => server.requests.slice(n).map((r) => firstUserText(r.body));

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await confirm(false);
    await api.scripts.preRun.forget('estimate-me');
    await server?.close();
  });

  it('Run Workflow… lists saved workflows and the editor script, checks the args and runs the pick with them', async () => {
    server.respond(echo);
    await confirm(true);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('fan-out.js')));
    const requests = server.requests.length;
    const { asked, restore } = answer(api, {
      pick: (items) => items.find((i) => i.label === 'echo-args'),
      input: '{"files": ["a.js", "b.js"]}',
      modal: BUTTONS.run,
    });
    let runId: string | undefined;
    try {
      runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runWorkflow');
    } finally {
      restore();
    }
    assert.match(runId ?? '', /^wf_/, 'the command returns the new run id');

    const items = asked.picks[0].items;
    const current = items.find((i) => i.description === 'the active editor');
    assert.ok(current, 'the editor script is offered');
    assert.equal(current.label, '$(file-code) fan-out');
    const saved = items.find((i) => i.label === 'echo-args')!;
    assert.equal(saved.description, 'Hands its args to one agent, as JSON');
    assert.equal(saved.detail, `project · ${path.join('.claude', 'workflows', 'echo-args.js')}`);
    assert.ok(
      items.some((i) => i.label === 'greet'),
      'every saved workflow is listed',
    );
    assert.deepEqual(
      items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label),
      ['Current script', 'workspace', 'project', 'bundled'],
      'grouped by origin (the bundled workflows last)',
    );

    // The args box: its prompt carries whenToUse; JSON-looking text must be JSON.
    const box = asked.inputs[0].options;
    assert.match(box.prompt ?? '', /Give any JSON value or text as args/);
    assert.equal(asked.inputs[0].problem, undefined, 'valid JSON passes');
    assert.match(
      String(await box.validateInput?.('{"files": [a.js]}')),
      /^args is not valid JSON: Unexpected token 'a'\. Text that starts with \{, \[ or " is read as JSON: fix it/,
    );
    assert.match(
      String(await box.validateInput?.('{bad')),
      /^args is not valid JSON at line 1, column 2: /,
      'the same message as dwf --args (core/argsText)',
    );
    assert.equal(await box.validateInput?.('   '), undefined, 'blank: no args');
    assert.equal(await box.validateInput?.('src/a.js'), undefined, 'other text is a plain string');

    assert.equal(asked.modals.length, 1, 'the pre-run dialog was shown');
    assert.match(asked.modals[0].detail, /^Args: \{"files":\["a\.js","b\.js"\]\}$/m);

    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'echo:Args: {"files":["a.js","b.js"]}');
    assert.deepEqual(promptsSince(requests), ['Args: {"files":["a.js","b.js"]}']);
    const store = FileRunStore.forWorkspace(vscode.workspace.workspaceFolders![0].uri.fsPath);
    assert.deepEqual(store.readArgs(runId!), { args: { files: ['a.js', 'b.js'] } }, 'args are stored with the run');
  });

  it('args typed in Run Workflow… are read as dwf reads --args: {bad refused, [] and "str" as JSON, blank as none', async () => {
    server.respond(echo);
    await confirm(false);
    const runWith = async (input: string) => {
      const { asked, restore } = answer(api, { pick: (items) => items.find((i) => i.label === 'echo-args'), input });
      try {
        const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runWorkflow');
        return { runId, problem: asked.inputs[0]?.problem };
      } finally {
        restore();
      }
    };
    const bad = await runWith('{bad');
    assert.equal(bad.runId, undefined, 'no run starts');
    assert.match(
      bad.problem ?? '',
      /^args is not valid JSON at line 1, column 2: Expected property name or '\}'\. Text that starts with/,
    );
    const store = FileRunStore.forWorkspace(vscode.workspace.workspaceFolders![0].uri.fsPath);
    for (const [input, stored, said] of [
      ['[]', [], 'Args: []'],
      ['"str"', 'str', 'Args: "str"'],
      ['', undefined, 'Args: undefined'],
      ['   ', undefined, 'Args: undefined'],
    ] as const) {
      const { runId, problem } = await runWith(input);
      assert.equal(problem, undefined, `${JSON.stringify(input)} is accepted`);
      assert.match(runId ?? '', /^wf_/, `${JSON.stringify(input)} starts a run`);
      const result = await api.controller.get(runId!)!.done;
      assert.equal(result.result, `echo:${said}`, JSON.stringify(input));
      assert.deepEqual(store.readArgs(runId!)?.args, stored, JSON.stringify(input));
    }
  });

  it('the pre-run dialog shows the script, estimate and budget, then what the script says; Cancel and View script start nothing; Always run skips it next time', async () => {
    server.respond(echo);
    await confirm(true);
    const uri = workspaceFile('estimate-me.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('fan-out.js')));
    const runs = api.controller.list().length;
    const requests = server.requests.length;

    const cancel = answer(api, { modal: undefined });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.runFile', uri), undefined);
    } finally {
      cancel.restore();
    }
    const [{ message, detail, buttons }] = cancel.asked.modals;
    assert.equal(message, 'Run workflow "estimate-me"?');
    assert.deepEqual(buttons, ['Run', 'Always Run This Version of the Script', 'View Script']);
    const lines = detail.split('\n');
    const source = fs.readFileSync(uri.fsPath, 'utf8');
    assert.equal(
      lines[0],
      `Script: estimate-me.js · sha256 ${scriptHash(source).slice(0, 12)}`,
      "the runtime's facts come first",
    );
    const says = lines.indexOf(SCRIPT_SAYS);
    assert.ok(
      says > lines.findIndex((l) => l.startsWith('Budget: ')),
      'what the script says comes after the estimate and budget',
    );
    assert.deepEqual(
      lines.slice(says + 1, says + 5),
      ['  Name: estimate-me', '  Description:', '    A step, a fan-out over args and a loop', '  Phases: Plan → Work'],
      detail,
    );
    assert.ok(lines.includes('Estimate: about 3+ agents: step, parallel × N, loop while (round < 2)'), detail);
    assert.ok(lines.includes('  • line 8: step, 1 agent — "Plan the work"'), detail);
    assert.ok(lines.includes('  • line 10: parallel × N over args ?? [], 1+ agents — "Work on ${f}"'), detail);
    assert.ok(lines.includes('  • line 12: loop while (round < 2), 1+ agents — "Check round ${round}"'), detail);
    assert.ok(lines.includes('Budget: none (dynamicWorkflows.budget)'), detail);
    assert.equal(lines[lines.length - 1], TOKEN_CAUTION);
    assert.equal(api.controller.list().length, runs, 'Cancel starts no run');

    const view = answer(api, { modal: [BUTTONS.view, undefined] });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.runFile', uri), undefined);
    } finally {
      view.restore();
    }
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'View script opens it');
    assert.equal(view.asked.modals.length, 2, 'View script shows the dialog again');
    assert.deepEqual(view.asked.modals[1], view.asked.modals[0], 'the same run is asked about again');
    assert.equal(api.controller.list().length, runs, 'View script starts no run');
    assert.equal(server.requests.length, requests, 'no model call');

    const always = answer(api, { modal: BUTTONS.always });
    let first: string | undefined;
    try {
      first = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
    } finally {
      always.restore();
    }
    assert.match(first ?? '', /^wf_/);
    assert.equal((await api.controller.get(first!)!.done).status, 'completed');
    assert.deepEqual(
      api.scripts.preRun.alwaysRun(),
      [{ sha256: scriptHash(source), name: 'estimate-me' }],
      'pinned to the exact text',
    );

    const again = answer(api, { modal: undefined });
    let second: string | undefined;
    try {
      second = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
    } finally {
      again.restore();
    }
    assert.match(second ?? '', /^wf_/, 'ran without asking');
    assert.equal(again.asked.modals.length, 0, 'the dialog was skipped');
    assert.equal((await api.controller.get(second!)!.done).status, 'completed');
    assert.deepEqual(promptsSince(requests).sort(), [
      'Check round 0',
      'Check round 0',
      'Check round 1',
      'Check round 1',
      'Plan the work',
      'Plan the work',
    ]);
  });

  it('Resume Run… continues a stopped run under its id: finished agents are replayed, the model sees only the unfinished prompt', async () => {
    await confirm(false);
    const hold = new Hold();
    holds.push(hold);
    server.respond(byPrompt([[/^Slow/, async (req) => (await hold.wait(), echo(req))]]));
    const requests = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('resume-me.js'),
    );
    assert.match(runId ?? '', /^wf_/);
    await waitFor(
      'the slow agent waiting on the model',
      () => server.inFlight === 1 && promptsSince(requests).includes('Slow three'),
    );
    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    assert.equal((await api.controller.get(runId!)!.done).status, 'stopped');
    assert.deepEqual(promptsSince(requests).sort(), ['Quick one', 'Quick two', 'Slow three']);

    server.respond(echo);
    const resumedFrom = server.requests.length;
    const stoppedNode = await waitFor('the stopped run node', async () => {
      const n = await runSnapshot(api, runId!);
      return n.icon === 'debug-stop' && n;
    });
    assert.match(stoppedNode.description, /^2\/3 done · 1 stopped · /, 'the tree says the same');
    const { asked, restore } = answer(api, {
      pick: (items) => items.find((i) => (i as { record?: { runId: string } }).record?.runId === runId),
      input: '',
    });
    let resumed: string | undefined;
    try {
      resumed = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.resumeRun');
    } finally {
      restore();
    }
    assert.equal(resumed, runId, 'the same run continues');
    const item = asked.picks[0].items.find((i) => (i as { record?: { runId: string } }).record?.runId === runId)!;
    assert.equal(item.label, 'resume-me');
    // The picker reads the counts the tree shows (runCounts): the unfinished agent is stopped, not done.
    assert.match(item.description ?? '', /^stopped · 2\/3 done · 1 stopped · \d/);
    assert.match(asked.inputs[0].options.prompt ?? '', /empty to reuse the stored ones \(none\)/);

    const session = api.controller.get(runId!)!;
    const result = await session.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(result.result, ['echo:Quick one', 'echo:Quick two', 'echo:Slow three']);
    assert.deepEqual(promptsSince(resumedFrom), ['Slow three'], 'only the unfinished agent reached the model');
    assert.equal(result.agents.cached, 2, 'the two finished agents were replayed');
  });
});
