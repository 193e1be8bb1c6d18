// A file's text before an agent (or a run) changed it, as a read-only virtual document: the left
// side of Open Changes. The URI names the run, the agent (empty: the run) and the file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeLog } from './changeLog';

export const BEFORE_SCHEME = 'dwf-before';

export function beforeUri(runId: string, agentId: string, file: string): vscode.Uri {
  const query = new URLSearchParams({ run: runId, agent: agentId }).toString();
  return vscode.Uri.file(file).with({ scheme: BEFORE_SCHEME, query });
}

export class BeforeContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly changes: ChangeLog) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const entry = this.changes.before(q.get('run') ?? '', q.get('agent') ?? '', uri.fsPath);
    if (!entry)
      throw new Error(
        `No recorded change of ${path.basename(uri.fsPath)} in run ${q.get('run')}: the run was removed or VS Code reloaded since.`,
      );
    return entry.before ?? ''; // a created file was empty before
  }
}

/** The Runs view's "before" documents (the left side of Open Changes). */
export function registerBeforeContent(changes: ChangeLog): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(BEFORE_SCHEME, new BeforeContentProvider(changes));
}
