// Quick fixes for the live checks: replace a bad option value (quote a bare word, the nearest valid
// value) and create the missing `.claude/agents/<name>.md` for an unknown agentType — through a
// WorkspaceEdit, so Undo takes it back — then open it for its description and prompt.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuthoringFix } from '../../core';
import { rangeOf, type AuthoringDiagnostics } from './authoringDiagnostics';
import { runRootOf } from './scriptContext';

export const OPEN_AGENT_FILE = 'dynamicWorkflows.authoring.openAgentFile';

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
    action.edit = new vscode.WorkspaceEdit();
    if (fix.kind === 'replace') {
      action.edit.replace(doc.uri, rangeOf(fix), fix.text);
      action.isPreferred = true;
    } else {
      const file = agentFileUri(doc.uri, fix.name);
      action.edit.createFile(file, { ignoreIfExists: true, contents: Buffer.from(agentFileText(fix.name), 'utf8') });
      action.command = { title: fix.title, command: OPEN_AGENT_FILE, arguments: [file, doc.uri] };
    }
    return action;
  }
}

/** After the file exists: open it, and check the script again (the watcher may be slower). */
export async function openAgentFile(
  diagnostics: AuthoringDiagnostics,
  file: vscode.Uri,
  script: vscode.Uri,
): Promise<void> {
  await vscode.window.showTextDocument(file, { preview: false });
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === script.toString());
  if (doc) await diagnostics.check(doc);
}
