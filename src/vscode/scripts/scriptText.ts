// The text of a script as it would run: the editor's (unsaved edits included) when open, else the file's.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';

/** Undefined when the file cannot be read. */
export async function scriptText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return fs.readFile(uri.fsPath, 'utf8').catch(() => undefined);
}
