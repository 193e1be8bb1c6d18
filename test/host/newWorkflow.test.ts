// New Workflow… in the real extension host: a template picked, a name typed, the Project folder
// chosen; the script lands in .claude/workflows, opens in an editor, is listed in the Saved view
// and is a valid workflow. The snippets insert the primitives in a JavaScript editor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { SaveOutcome } from '../../src/vscode/scripts/saveAsWorkflow';
import { parseWorkflowScript } from '../../src/core/script';
import { extensionApi, waitFor, workspaceFile } from './helpers';
import { answer } from './scriptHelpers';

describe('New Workflow', () => {
  let api: DynamicWorkflowsApi;
  const target = () => path.join(path.dirname(workspaceFile('.claude/workflows/greet.js').fsPath), 'host-research.js');

  before(async () => {
    api = await extensionApi();
  });
  after(() => fs.rmSync(target(), { force: true }));

  it('is offered in the Saved view title and the palette', () => {
    const pkg = vscode.extensions.getExtension('dynamic-workflows.dynamic-workflows')!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const title = pkg.contributes.menus['view/title'].find((m) => m.command === 'dynamicWorkflows.newWorkflow');
    assert.equal(title?.when, 'view == dynamicWorkflows.saved');
    assert.ok(!pkg.contributes.menus.commandPalette.some((m) => m.command === 'dynamicWorkflows.newWorkflow'));
  });

  it('creates the research template under the typed name in the project folder, opens and lists it', async () => {
    const a = answer(api, {
      pick: (items) =>
        items.find((i) => i.label === 'Research with cited sources') ?? items.find((i) => i.label.endsWith('Project')),
      input: (o) => (o.prompt?.startsWith("The workflow's name") ? 'host-research' : o.value),
    });
    let outcome: SaveOutcome;
    try {
      outcome = await vscode.commands.executeCommand<SaveOutcome>('dynamicWorkflows.newWorkflow');
    } finally {
      a.restore();
    }
    assert.deepEqual(outcome, { path: target() });
    assert.deepEqual(
      a.asked.picks[0].items.map((i) => i.label),
      [
        'Fan-out review with skeptic verification',
        'File-by-file migration with verification',
        'Research with cited sources',
      ],
    );
    assert.equal(a.asked.inputs[0].options.value, 'my-research', 'the name defaults from the template');
    const source = fs.readFileSync(target(), 'utf8');
    const { meta } = parseWorkflowScript(source, target(), { inline: true });
    assert.equal(meta.name, 'host-research');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target());
    await waitFor('the new workflow listed under Project', async () => {
      for (const group of await api.savedTree.getChildren())
        if (String((await api.savedTree.getTreeItem(group)).label) === 'Project')
          for (const el of await api.savedTree.getChildren(group))
            if (el.kind === 'workflow' && el.workflow.name === 'host-research') return true;
      return false;
    });
  });

  it('a cancelled template pick writes nothing', async () => {
    const a = answer(api, { pick: () => undefined });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.newWorkflow'), undefined);
    } finally {
      a.restore();
    }
    assert.equal(a.asked.inputs.length, 0);
  });

  it('the snippets insert the primitives in a JavaScript editor', async function () {
    // The first JavaScript editor of a session starts the language features the snippets load with.
    this.timeout(120_000);
    const doc = await vscode.workspace.openTextDocument({ language: 'javascript', content: '' });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('editor.action.insertSnippet', {
      langId: 'javascript',
      name: 'Workflow: phase',
    });
    await waitFor('the phase snippet inserted', async () => doc.getText().startsWith("phase('Title')"));
    await vscode.commands.executeCommand('editor.action.insertSnippet', {
      langId: 'javascript',
      name: 'Workflow: agent with schema',
    });
    await waitFor('the agent snippet inserted', async () =>
      /const result = await agent\(`prompt`, \{/.test(doc.getText()),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
