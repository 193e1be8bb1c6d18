// Script errors in the editor's face (issue 10 item 3), in the real extension host: a failed run
// names its error and line on the run node and in a notification, Go to Error opens the script at
// the error, a runtime diagnostic marks the line until the file is edited or run again, and a
// script that does not parse is offered no run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { Hold, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';
/** 0-based line of `const title = (await agent('Say hi')).details.title` in throws.js. */
const ERROR_LINE = 10;

describe('script errors in the editor', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];
  const runtime = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'workflow run');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await server?.close();
  });

  it('a failed run: error and line on the run node, a notification with Go to Error, the script opened at the error, a diagnostic until an edit or a rerun', async () => {
    server.respond(echo);
    const uri = workspaceFile('throws.js');
    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
    assert.match(runId ?? '', /^wf_/);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.location?.line, ERROR_LINE + 1);

    const node = await waitFor('the failed run node', async () => {
      const n = await runSnapshot(api, runId!);
      return n.contextValue === 'run.finished.error' && n;
    });
    assert.match(node.description, new RegExp(`^TypeError: .*title.* · line ${ERROR_LINE + 1} · `));
    assert.equal(node.icon, 'error');

    const notice = api.runErrors.notices.find((n) => n.runId === runId);
    assert.ok(notice, 'a notification about the failure');
    assert.deepEqual(notice.actions, ['Go to Error', 'Show Run']);
    assert.match(
      notice.message,
      new RegExp(`^Workflow throws failed at throws\\.js:${ERROR_LINE + 1}:\\d+: TypeError: `),
    );

    const [marker] = await waitFor('the runtime diagnostic', () => runtime(uri).length > 0 && runtime(uri));
    assert.equal(marker.range.start.line, ERROR_LINE);
    assert.equal(marker.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(marker.message.startsWith('TypeError: ') && marker.message.includes(runId!), marker.message);

    // Go to Error from the run node: the script, at the line and inside the failing expression
    // (the column is the author's, not the one the await rewrite shifted).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.goToError', api.runsTree.runElement(runId!)),
      true,
    );
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, uri.fsPath);
    assert.equal(editor.selection.active.line, ERROR_LINE);
    const text = editor.document.lineAt(ERROR_LINE).text;
    assert.ok(
      editor.selection.active.character >= text.indexOf('.details'),
      `column ${editor.selection.active.character} in: ${text}`,
    );

    // An edit of the document clears the marker; undoing it does not bring it back.
    const doc = editor.document;
    const original = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(ERROR_LINE, 0), '// looking into it\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the diagnostic gone after an edit', () => runtime(uri).length === 0 || undefined);
    const back = new vscode.WorkspaceEdit();
    back.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
    assert.ok(await vscode.workspace.applyEdit(back));
    await doc.save();

    // Fails again: marked again; a rerun clears the marker as soon as it starts.
    const again = await vscode.commands.executeCommand<string>('dynamicWorkflows.runFile', uri);
    await api.controller.get(again)!.done;
    await waitFor('the diagnostic of the second failure', () => runtime(uri).length > 0 || undefined);
    const hold = new Hold();
    holds.push(hold);
    server.respond(byPrompt([[/^Say hi/, async (req) => (await hold.wait(), echo(req))]]));
    const third = await vscode.commands.executeCommand<string>('dynamicWorkflows.runFile', uri);
    await waitFor('the diagnostic cleared by the rerun', () => runtime(uri).length === 0 || undefined);
    assert.equal(api.controller.get(third)!.result, undefined, 'cleared while the rerun is still going');
    hold.release();
    await api.controller.get(third)!.done;
  });

  it('a script that does not parse shows why instead of ▶ Run, and leaves the syntax error to TypeScript', async () => {
    const uri = workspaceFile('broken.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const all =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
    const titles = all.map((l) => l.command?.title ?? '');
    assert.ok(!titles.includes('▶ Run'), titles.join(' | '));
    const problem = all.filter((l) => l.command?.title.includes('Cannot run'));
    assert.deepEqual(
      problem.map((l) => l.command!.title),
      ["$(error) Cannot run (line 7): Script parse error: Unexpected token ':'"],
    );
    // A click on it puts the cursor on the offending token.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(problem[0].command!.command, ...(problem[0].command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, uri.fsPath);
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [6, 7]);
    // TypeScript's JavaScript service marks the annotation; ours would say the same thing twice.
    await waitFor(
      'TypeScript marking the type annotation',
      () =>
        vscode.languages.getDiagnostics(uri).some((d) => d.source === 'ts' && d.range.start.line === 6) || undefined,
      60_000,
    );
    api.scripts.diagnostics.check(doc);
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'workflow'),
      [],
    );
  });
});
