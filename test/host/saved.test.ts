// The Saved view inside the real extension host: saved workflows listed by origin from the test
// workspace's .claude/workflows, run from the view (with args given, or asked for in an input box),
// and kept current by the file watcher when a workflow file is added or deleted.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { SavedElement } from '../../src/vscode/scripts/savedTree';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

interface Listed {
  origin: string;
  name: string;
  description: string;
  element: SavedElement;
}

/** Every workflow the view lists, with the label of the origin group it sits under. */
async function listed(api: DynamicWorkflowsApi): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const group of await api.savedTree.getChildren()) {
    const groupItem = await api.savedTree.getTreeItem(group);
    for (const el of await api.savedTree.getChildren(group)) {
      const item = await api.savedTree.getTreeItem(el);
      out.push({
        origin: String(groupItem.label),
        name: String(item.label),
        description: String(item.description),
        element: el,
      });
    }
  }
  return out;
}

describe('Saved view', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const workflowsDir = () => path.dirname(workspaceFile(path.join('.claude', 'workflows', 'greet.js')).fsPath);

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    fs.rmSync(path.join(workflowsDir(), 'added.js'), { force: true });
    await server?.close();
  });

  it('lists the project workflow of the test workspace under Project, with its description', async () => {
    const greet = (await listed(api)).find((w) => w.name === 'greet');
    assert.ok(greet, 'greet is listed');
    assert.equal(greet.origin, 'Project');
    assert.equal(greet.description, 'Greets whoever args names');
    const item = await api.savedTree.getTreeItem(greet.element);
    assert.equal(item.contextValue, 'savedWorkflow', 'carries the Run and Open actions');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Pass the name to greet as args/);
  });

  it('Run from the view starts a run of the saved script with the given args', async () => {
    const greet = (await listed(api)).find((w) => w.name === 'greet')!;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runSaved',
      greet.element,
      'Ada',
    );
    assert.match(runId ?? '', /^wf_/);
    const session = api.controller.get(runId!)!;
    assert.equal(session.file.fsPath, path.join(workflowsDir(), 'greet.js'));
    const result = await session.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'echo:Greet Ada');
  });

  it('Run without args asks for them (the script reads args); an empty answer runs with none', async () => {
    const greet = (await listed(api)).find((w) => w.name === 'greet')!;
    let settled = false;
    const pending = Promise.resolve(
      vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runSaved', greet.element),
    ).finally(() => (settled = true));
    // Accept the input box once it is up (accepting with none open does nothing).
    await waitFor('the args input box accepted', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((r) => setTimeout(r, 100));
      return settled;
    });
    const runId = await pending;
    assert.match(runId ?? '', /^wf_/);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.result, 'echo:Greet nobody');
  });

  it("Run asks through the editor's args question (checked as typed); a script that never reads args is not asked", async () => {
    const greet = (await listed(api)).find((w) => w.name === 'greet')!;
    let { asked, restore } = answer(api, { input: '"Grace"' });
    let runId: string | undefined;
    try {
      runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runSaved', greet.element);
    } finally {
      restore();
    }
    assert.equal(asked.inputs.length, 1);
    assert.equal(asked.inputs[0].options.title, 'Run greet');
    assert.equal(asked.inputs[0].problem ?? undefined, undefined, 'a JSON string is valid args');
    assert.equal((await api.controller.get(runId!)!.done).result, 'echo:Greet Grace');

    // Mentions args only in its meta (whenToUse too) and a string: it does not read them, so nothing
    // is asked — Run Workflow…'s rule (shouldAskArgs), not a guess from the words.
    const quiet = path.join(workflowsDir(), 'quiet.js');
    fs.writeFileSync(
      quiet,
      "export const meta = { name: 'quiet', description: 'Takes no args', whenToUse: 'Any time; no args needed', phases: [] }\nreturn 'no args here'\n",
    );
    try {
      await waitFor('quiet listed', async () => (await listed(api)).some((w) => w.name === 'quiet'));
      const el = (await listed(api)).find((w) => w.name === 'quiet')!.element;
      ({ asked, restore } = answer(api, { input: '"unused"' }));
      try {
        runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runSaved', el);
      } finally {
        restore();
      }
      assert.equal(asked.inputs.length, 0, 'no args question');
      assert.equal((await api.controller.get(runId!)!.done).result, 'no args here');
    } finally {
      fs.rmSync(quiet, { force: true });
      // Its delete event consumed before the next test: a late one would rescan while that test's
      // file is new, and VS Code coalesces a create and delete seen together into nothing.
      await waitFor('quiet gone', async () => !(await listed(api)).some((w) => w.name === 'quiet'));
    }
  });

  it('Open shows the script; a workflow file added or deleted on disk appears and disappears on its own', async () => {
    const greet = (await listed(api)).find((w) => w.name === 'greet')!;
    await vscode.commands.executeCommand('dynamicWorkflows.openSaved', greet.element);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(workflowsDir(), 'greet.js'));

    const added = path.join(workflowsDir(), 'added.js');
    fs.writeFileSync(
      added,
      "export const meta = { name: 'added', description: 'Written while the view was open', phases: [] }\nreturn 1\n",
    );
    await waitFor('the added workflow listed', async () =>
      (await listed(api)).some((w) => w.name === 'added' && w.origin === 'Project'),
    );
    fs.rmSync(added);
    await waitFor('the deleted workflow gone', async () => !(await listed(api)).some((w) => w.name === 'added'));
  });
});
