// Onboarding inside the real extension host: welcome text without literal backticks, Set API Key
// naming where the key comes from (and Remove), Run Workflow… listing scripts that are not open
// and asking for args only when the script reads them, palette when clauses backed by context
// keys, View Script returning to the dialog, and model and concurrency before and on a run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { BUTTONS } from '../../src/vscode/scripts/preRunModal';
import { KEY_ACTIONS } from '../../src/vscode/settings/secrets';
import { EXTENSION_ID, extensionApi, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

interface PackageJson {
  contributes: {
    viewsWelcome: { view: string; contents: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
  };
}

function packageJson(): PackageJson {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.packageJSON as PackageJson;
}

const NO_ARGS = 'onboarding/no-args.js';

describe('onboarding', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const confirm = (on: boolean) => config().update('confirmBeforeRun', on, vscode.ConfigurationTarget.Global);

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    await confirm(false);
    process.env.ANTHROPIC_API_KEY = API_KEY;
    await server?.close();
  });

  it('welcome texts have no literal backticks (viewsWelcome does not render them as code) and offer Run Workflow…', () => {
    const welcome = packageJson().contributes.viewsWelcome;
    assert.ok(welcome.length >= 2);
    for (const w of welcome) assert.doesNotMatch(w.contents, /`/, `${w.view}: ${w.contents}`);
    const runs = welcome.find((w) => w.view === 'dynamicWorkflows.runs')!;
    assert.match(runs.contents, /\[Run Workflow…\]\(command:dynamicWorkflows\.runWorkflow\)/);
  });

  it('Set API Key says where the current key comes from and offers Remove for a stored one', async () => {
    // From the environment (startFakeModel sets it), nothing stored: straight to the password box.
    const fromEnv = answer(api, { input: undefined });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.setApiKey'), false);
    } finally {
      fromEnv.restore();
    }
    assert.equal(fromEnv.asked.picks.length, 0, 'nothing stored: nothing to remove');
    assert.match(
      fromEnv.asked.inputs[0].options.prompt ?? '',
      /^Current key: the ANTHROPIC_API_KEY environment variable/,
    );
    assert.equal(fromEnv.asked.inputs[0].options.password, true);

    // No key anywhere.
    delete process.env.ANTHROPIC_API_KEY;
    const none = answer(api, { input: undefined });
    try {
      await vscode.commands.executeCommand('dynamicWorkflows.setApiKey');
    } finally {
      none.restore();
      process.env.ANTHROPIC_API_KEY = API_KEY;
    }
    assert.match(none.asked.inputs[0].options.prompt ?? '', /^No key yet: nothing stored and no ANTHROPIC_API_KEY/);

    // Stored (the same key, so runs elsewhere still reach the fake server), then removed.
    const store = answer(api, { input: API_KEY });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.setApiKey'), true);
    } finally {
      store.restore();
    }
    const remove = answer(api, { pick: (items) => items.find((i) => i.label === KEY_ACTIONS.remove) });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.setApiKey'), true);
    } finally {
      remove.restore();
    }
    const [{ items, options }] = remove.asked.picks;
    assert.match(options.placeHolder ?? '', /^Current key: stored in VS Code secret storage/);
    assert.deepEqual(
      items.map((i) => i.label),
      [KEY_ACTIONS.replace, KEY_ACTIONS.remove],
    );
    assert.doesNotMatch(JSON.stringify(remove.asked), new RegExp(API_KEY), 'no part of the key is shown');
    assert.equal(remove.asked.inputs.length, 0, 'Remove asks for no key');

    const after = answer(api, { input: undefined });
    try {
      await vscode.commands.executeCommand('dynamicWorkflows.setApiKey');
    } finally {
      after.restore();
    }
    assert.equal(after.asked.picks.length, 0, 'the stored key is gone');
    assert.match(after.asked.inputs[0].options.prompt ?? '', /ANTHROPIC_API_KEY environment variable/);
  });

  it('Run Workflow… lists a workflow script that is not open, and not ordinary modules or stored runs', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { asked, restore } = answer(api, { pick: () => undefined });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.runWorkflow'), undefined);
    } finally {
      restore();
    }
    const items = asked.picks[0].items;
    const noArgs = items.find((i) => i.detail === NO_ARGS);
    assert.ok(noArgs, `listed: ${items.map((i) => i.detail).join(', ')}`);
    assert.equal(noArgs.label, '$(file-code) no-args-here');
    assert.equal(noArgs.description, 'One agent, no args');
    assert.ok(
      !items.some((i) => i.detail === 'plain.js'),
      'a module whose first statement is not meta is no workflow script',
    );
    assert.ok(
      !items.some((i) => /workflow-runs|node_modules/.test(i.detail ?? '')),
      'stored runs and dependencies are not listed',
    );
    assert.equal(
      items.filter((i) => i.detail?.endsWith('echo-args.js')).length,
      1,
      'a saved workflow is listed once, under its origin',
    );
    const separators = items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    assert.deepEqual(separators.slice(0, 2), ['workspace', 'project']);
  });

  it('a script that does not read args is not asked for args; the dialog shows model and concurrency; View Script returns to it', async () => {
    await confirm(true);
    const runs = api.controller.list().length;
    const { asked, restore } = answer(api, {
      pick: (items) => items.find((i) => i.detail === NO_ARGS),
      modal: [BUTTONS.view, undefined],
    });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.runWorkflow'), undefined);
    } finally {
      restore();
      await confirm(false);
    }
    assert.equal(asked.inputs.length, 0, 'no args prompt');
    assert.equal(asked.modals.length, 2, 'View Script shows the dialog again');
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.fsPath,
      workspaceFile(NO_ARGS).fsPath,
      'View Script opened the script',
    );
    assert.equal(api.controller.list().length, runs, 'cancelled after viewing: no run');
    const lines = asked.modals[1].detail.split('\n');
    assert.ok(
      lines.some((l) => /^Model: claude-\S+ for agents that name none/.test(l)),
      asked.modals[1].detail,
    );
    const concurrency = config().get<number | null>('concurrency');
    const expected =
      typeof concurrency === 'number'
        ? `Concurrency: ${concurrency} agent${concurrency === 1 ? '' : 's'} at a time (dynamicWorkflows.concurrency)`
        : undefined;
    const line = lines.find((l) => l.startsWith('Concurrency: '));
    assert.ok(line, asked.modals[1].detail);
    if (expected) assert.equal(line, expected);
    else
      assert.match(
        line,
        /^Concurrency: \d+ agents at a time \(\d+ CPU cores?\); set dynamicWorkflows\.concurrency to change it$/,
      );
  });

  it('Resume, Save Run and Clear Finished Runs are hidden from the palette without runs; the keys follow the runs; the run node shows model and concurrency', async () => {
    const palette = new Map(packageJson().contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    assert.equal(palette.get('dynamicWorkflows.stopRun'), 'dynamicWorkflows.liveRuns');
    assert.equal(palette.get('dynamicWorkflows.resumeRun'), 'dynamicWorkflows.hasRuns');
    assert.equal(palette.get('dynamicWorkflows.saveRun'), 'dynamicWorkflows.hasRuns');
    assert.equal(palette.get('dynamicWorkflows.clearFinishedRuns'), 'dynamicWorkflows.finishedRuns');
    assert.equal(palette.get('dynamicWorkflows.showRun'), 'false');

    server.respond(echo);
    const { asked, restore } = answer(api, { pick: (items) => items.find((i) => i.detail === NO_ARGS) });
    let runId: string | undefined;
    try {
      runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runWorkflow');
    } finally {
      restore();
    }
    assert.equal(asked.inputs.length, 0, 'no args prompt');
    assert.match(runId ?? '', /^wf_/);
    const session = api.controller.get(runId!)!;
    assert.equal(session.args, undefined);
    assert.equal((await session.done).status, 'completed');
    assert.deepEqual(api.runContext.state, { hasRuns: true, finishedRuns: true });

    const element = api.runsTree.runElement(runId!);
    const item = api.runsTree.resolveTreeItem(await api.runsTree.getTreeItem(element), element);
    // The tooltip escapes Markdown punctuation; read it as shown.
    const tooltip = (item.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(tooltip, /Model: claude-\S+ for agents that name none/);
    assert.match(tooltip, /Concurrency: \d+ agents? at a time/);
  });
});
