// What agents changed is visible: the Runs view lists the files an agent edited and created, under
// the agent and under the run's "Changed files (n)"; Open Changes diffs the old text against now;
// a created file opens; the changed lines are highlighted in the open editor until the person edits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { byTurn } from '../fakes/fakeAnthropic';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('what agents changed', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
  });

  after(async () => {
    await server?.close();
  });

  it('lists the edited and created files under the agent and the run, diffs the old text, opens the new file, highlights the changed lines', async () => {
    const edited = path.join(root, 'changes-edited.txt');
    const created = path.join(root, 'made', 'changes-created.md');
    fs.writeFileSync(edited, 'one\ntwo\nthree\n');
    fs.rmSync(created, { force: true });
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(vscode.Uri.file(edited)),
    );
    server.respond(
      byTurn(
        {
          toolUses: [
            { name: 'Edit', input: { file_path: edited, old_string: 'two', new_string: 'TWO (by the agent)' } },
          ],
        },
        { toolUses: [{ name: 'Write', input: { file_path: created, content: '# New\n' } }] },
        { text: 'edits done' },
      ),
    );
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('agent-edits.js'),
    );
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);

    const tree = api.runsTree;
    const labelOf = (el: RunsElement) => {
      const item = tree.getTreeItem(el);
      return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    };
    // Under the agent: one node per file, with the file's own icon (resourceUri) and what happened.
    const agentEl = tree.getChildren(tree.runElement(runId!)).flatMap(function walk(el: RunsElement): RunsElement[] {
      return tree.agent(el) ? [el] : tree.getChildren(el).flatMap(walk);
    })[0];
    assert.ok(agentEl, 'the agent is in the tree');
    assert.equal(
      tree.getTreeItem(agentEl).collapsibleState,
      vscode.TreeItemCollapsibleState.Collapsed,
      'an agent that changed files can be expanded',
    );
    const agentFiles = tree.getChildren(agentEl);
    assert.deepEqual(agentFiles.map(labelOf), ['changes-edited.txt', 'changes-created.md']);
    const [editedItem, createdItem] = agentFiles.map((el) => tree.getTreeItem(el));
    assert.equal(editedItem.resourceUri?.fsPath, edited);
    assert.match(String(editedItem.description), /^modified/);
    assert.match(String(createdItem.description), /^created/);
    assert.equal(editedItem.command?.command, 'dynamicWorkflows.openChanges');
    assert.equal(createdItem.command?.command, 'vscode.open');
    assert.equal(tree.getParent(agentFiles[0]), agentEl);

    // Under the run: "Changed files (2)" with both.
    const runChanges = tree.getChildren(tree.runElement(runId!)).find((el) => labelOf(el).startsWith('Changed files'));
    assert.ok(runChanges, 'the run has a Changed files node');
    assert.equal(labelOf(runChanges), 'Changed files (2)');
    assert.deepEqual(tree.getChildren(runChanges).map(labelOf), ['changes-edited.txt', 'changes-created.md']);

    // The changed line is highlighted in the open editor.
    await waitFor('the edited line highlighted', () => api.changeHighlights.rangesFor(edited).length > 0);
    assert.deepEqual(api.changeHighlights.rangesFor(edited), [{ start: 1, end: 1 }]);
    assert.equal(editor.document.getText(), 'one\nTWO (by the agent)\nthree\n');

    // Open Changes: a diff whose left side holds the text before the agent's edit.
    await vscode.commands.executeCommand(editedItem.command!.command, ...(editedItem.command!.arguments ?? []));
    await waitFor(
      'the diff editor',
      () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff,
    );
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab!.input as vscode.TabInputTextDiff;
    assert.equal(diff.modified.fsPath, edited);
    const left = await vscode.workspace.openTextDocument(diff.original);
    assert.equal(left.getText(), 'one\ntwo\nthree\n', 'the left side is the text before the change');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // The created file opens on click.
    await vscode.commands.executeCommand(createdItem.command!.command, ...(createdItem.command!.arguments ?? []));
    await waitFor('the created file open', () => vscode.window.activeTextEditor?.document.uri.fsPath === created);
    assert.equal(vscode.window.activeTextEditor!.document.getText(), '# New\n');
    await waitFor('the created file highlighted', () => api.changeHighlights.rangesFor(created).length > 0);

    // The person's edit ends the highlight of that file.
    const shown = await vscode.window.showTextDocument(editor.document);
    assert.ok(await shown.edit((b) => b.insert(new vscode.Position(0, 0), 'mine\n')));
    await waitFor('the highlight cleared', () => api.changeHighlights.rangesFor(edited).length === 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // Clear Change Highlights clears the rest.
    await vscode.commands.executeCommand('dynamicWorkflows.clearChangeHighlights');
    assert.deepEqual(api.changeHighlights.rangesFor(created), []);
    fs.rmSync(created, { force: true });
    fs.rmSync(edited, { force: true });
  });
});
