// `Workflows: New Workflow…` (palette and the Saved view title): a template, a name, then the same
// save flow as Save Run as Workflow (project .claude/workflows or personal, overwrite asked), and
// the new script opened for editing.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { WORKFLOW_TEMPLATES, type WorkflowTemplate } from '../../core';
import { saveSource, type SaveDeps, type SaveOutcome } from './saveAsWorkflow';

interface TemplateItem extends vscode.QuickPickItem {
  template: WorkflowTemplate;
}

/** Control and invisible characters have no place in a name shown in lists and dialogs. */
const BAD_NAME = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

export async function newWorkflow(deps: SaveDeps): Promise<SaveOutcome> {
  const picked = await deps.dialogs.pick<TemplateItem>(
    WORKFLOW_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
    { title: 'New Workflow', placeHolder: 'Start from a template' },
  );
  if (!picked) return undefined;
  const name = await deps.dialogs.input({
    title: `New Workflow: ${picked.label}`,
    prompt: "The workflow's name (meta.name): how it is listed and run by name.",
    value: `my-${picked.template.id}`,
    validateInput: (t) =>
      t.trim() === '' ? 'A name is needed.' : BAD_NAME.test(t) ? 'No control or invisible characters.' : undefined,
  });
  if (name === undefined || name.trim() === '' || BAD_NAME.test(name)) return undefined;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const outcome = await saveSource(deps, picked.template.source(name.trim()), folder?.uri.fsPath ?? os.homedir());
  if (outcome && 'path' in outcome) await vscode.window.showTextDocument(vscode.Uri.file(outcome.path));
  return outcome;
}
