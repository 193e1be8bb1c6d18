// Quick fixes for the live checks: replace a bad option value (quote a bare word, the nearest valid
// value) and create the missing `.claude/agents/<name>.md` for an unknown agentType — through a
// WorkspaceEdit, so Undo takes it back — then open it for its description and prompt.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuthoringFix } from '../../core';
import { rangeOf, type AuthoringDiagnostics } from './authoringDiagnostics';
import { runRootOf } from './scriptContext';
import { COMMANDS } from '../commandIds';

export const CREATE_AGENT_FILE = COMMANDS.createAgentFile;

/** A minimal agent definition the runner accepts: frontmatter with name and description, then the prompt. */
export function agentFileText(name: string): string {
  return [
    '---',
    `name: ${name}`,
    `description: What the ${name} agent does and when a workflow should pick it`,
    '---',
    '',
    `You are the ${name} agent. Describe its task, how it works and what it returns.`,
    '',
  ].join('\n');
}

export function agentFileUri(doc: vscode.Uri, name: string): vscode.Uri {
  return vscode.Uri.file(path.join(runRootOf(doc), '.claude', 'agents', `${name}.md`));
}

export class AuthoringFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: AuthoringDiagnostics) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const asked of context.diagnostics) {
      const found = this.diagnostics
        .problemsOf(doc.uri)
        .find((p) => p.diagnostic.range.isEqual(asked.range) && p.diagnostic.message === asked.message);
      for (const fix of found?.fixes ?? []) actions.push(this.action(doc, fix, found!.diagnostic));
    }
    return actions;
  }

  private action(doc: vscode.TextDocument, fix: AuthoringFix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    if (fix.kind === 'replace') {
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, rangeOf(fix), fix.text);
      action.isPreferred = true;
    } else {
      // A command rather than an edit: the file's contents (a Buffer) do not survive the trip to the workbench.
      action.command = { title: fix.title, command: CREATE_AGENT_FILE, arguments: [doc.uri, fix.name] };
    }
    return action;
  }
}

/** Creates the agent file (one undoable edit), opens it, and checks the script again (the watcher may be slower). */
export async function createAgentFile(
  diagnostics: AuthoringDiagnostics,
  script: vscode.Uri,
  name: string,
): Promise<void> {
  const file = agentFileUri(script, name);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(file, { ignoreIfExists: true, contents: Buffer.from(agentFileText(name), 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not create ${vscode.workspace.asRelativePath(file)}.`);
    return;
  }
  await vscode.window.showTextDocument(file, { preview: false });
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === script.toString());
  if (doc) await diagnostics.check(doc);
}
