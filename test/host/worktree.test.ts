// isolation: 'worktree' in the editor: the agent's edit lands in its worktree on disk, never in the
// main tree's file or its open editor; the file guard still holds; the Runs tree shows the kept
// worktree, and Compare with Base diffs it against the commit it started from (the setting's ref).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn, toolResults } from '../fakes/fakeAnthropic';
import { git } from '../fakes/gitRepo';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { WORKTREE_BASE_SCHEME } from '../../src/vscode/agents/worktreeBase';
import { agents, extensionApi, runSnapshot, startFakeModel, workspaceFile } from './helpers';

const API_KEY = 'sk-ant-host-test';
const FILE = 'wt-notes.txt';

/** Every element below `el`, depth first. */
async function elements(api: DynamicWorkflowsApi, el?: RunsElement): Promise<RunsElement[]> {
  const kids = (await api.runsTree.getChildren(el)) ?? [];
  const below = await Promise.all(kids.map((k) => elements(api, k)));
  return kids.flatMap((k, i) => [k, ...below[i]]);
}

describe("isolation: 'worktree' in the editor", () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
    // The scratch workspace becomes a repository for this file only (removed again after).
    git(root, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(root, FILE), 'alpha\nbeta\n');
    git(root, 'add', FILE);
    git(root, 'commit', '-q', '-m', 'main');
    git(root, 'branch', 'wt-base');
    git(root, 'checkout', '-q', 'wt-base');
    fs.writeFileSync(path.join(root, FILE), 'alpha\nbeta\ngamma from the base ref\n');
    git(root, 'commit', '-q', '-am', 'base');
    git(root, 'checkout', '-q', 'main');
    await config().update('worktreeBaseRef', 'wt-base', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('worktreeBaseRef', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server?.close();
    fs.rmSync(path.join(root, '.claude', 'worktrees'), { recursive: true, force: true });
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    fs.rmSync(path.join(root, FILE), { force: true });
  });

  it('the edit lands in the worktree on disk, not in the main file or its editor; the tree offers the worktree; Compare with Base diffs it', async () => {
    const main = path.join(root, FILE);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(main)));
    server.respond(
      byTurn(
        { toolUses: [{ name: 'Edit', input: { file_path: FILE, old_string: 'beta', new_string: 'BETA (worktree)' } }] },
        { toolUses: [{ name: 'Write', input: { file_path: main, content: 'clobbered\n' } }] },
        { text: 'edited in the worktree' },
      ),
    );
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('worktree-edit.js'),
    );
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'edited in the worktree');

    const turns = server.requests.slice(before).map((r) => toolResults(r.body));
    assert.equal(turns[1][0].is_error, false, turns[1][0].content);
    assert.equal(turns[2][0].is_error, true, 'a write to the main tree is outside the worktree agent’s workspace');
    assert.match(turns[2][0].content, /outside/i);

    const wtPath = path.join(root, '.claude', 'worktrees', `${runId}-0`);
    assert.equal(
      fs.readFileSync(path.join(wtPath, FILE), 'utf8'),
      'alpha\nBETA (worktree)\ngamma from the base ref\n',
      'edited on disk, from the base ref',
    );
    assert.equal(fs.readFileSync(main, 'utf8'), 'alpha\nbeta\n', 'the main file is untouched');
    assert.equal(editor.document.getText(), 'alpha\nbeta\n', "the main tree's editor is untouched");
    assert.equal(editor.document.isDirty, false);
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.fsPath === path.join(wtPath, FILE)),
      'no editor was opened for the worktree file',
    );

    const [agent] = agents([await runSnapshot(api, runId!)]);
    assert.equal(agent.contextValue, 'agent.done.worktree');
    assert.match(agent.description, new RegExp(`worktree dwf/${runId}-0`));

    const el = (await elements(api, api.runsTree.runElement(runId!))).find((e) => api.runsTree.agent(e));
    const compared = await vscode.commands.executeCommand<string[]>('dynamicWorkflows.compareWorktreeWithBase', el);
    assert.deepEqual(compared, [FILE]);
    const baseDoc = await vscode.workspace.openTextDocument(
      vscode.Uri.from({
        scheme: WORKTREE_BASE_SCHEME,
        path: `/${FILE}`,
        query: JSON.stringify({ worktree: wtPath, commit: git(root, 'rev-parse', 'wt-base') }),
      }),
    );
    assert.equal(
      baseDoc.getText(),
      'alpha\nbeta\ngamma from the base ref\n',
      'the left side is the file at the base commit',
    );
  });
});
