// Clickable file paths in the rendered transcript: a path a tool named becomes a link only when it
// lies inside the workspace folder the run ran in, and the link is ours — a `command:` URI of the one
// command the document webview allows, which opens a workspace file and nothing else (it checks
// again, so a forged link cannot reach outside the workspace either).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { notificationText } from '../../core';
import { workspacePath, type PathLinker } from './toolInputText';
import { COMMANDS } from '../commandIds';

export const OPEN_WORKSPACE_FILE_COMMAND = COMMANDS.openWorkspaceFile;

/** Paths relative to (or inside) `root` link to the file; anything else shows as plain text. */
export function workspaceLinker(root: string): PathLinker {
  return (filePath) => {
    const rel = workspacePath(root, filePath);
    if (rel === undefined) return { shown: filePath };
    const target = vscode.Uri.from({
      scheme: 'command',
      path: OPEN_WORKSPACE_FILE_COMMAND,
      query: JSON.stringify([path.join(root, rel)]),
    });
    return { shown: rel, target: target.toString() };
  };
}

/** The workspace folder holding `file`, the real path of both compared (a symlink cannot lead out). */
function insideWorkspace(file: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const target = real(file);
  return (vscode.workspace.workspaceFolders ?? []).some(
    (f) => f.uri.scheme === 'file' && workspacePath(real(f.uri.fsPath), target) !== undefined,
  );
}

/** The links' command: opens a file of the workspace (reveals a folder); any other target is refused. */
export async function openWorkspaceFile(file?: unknown): Promise<boolean> {
  if (typeof file !== 'string' || !path.isAbsolute(file) || !insideWorkspace(file)) {
    void vscode.window.showWarningMessage(
      'Dynamic Workflows: that link does not point at a file of this workspace, so it was not opened.',
    );
    return false;
  }
  const uri = vscode.Uri.file(file);
  try {
    if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return true;
    }
    await vscode.window.showTextDocument(uri, { preview: true });
    return true;
  } catch {
    void vscode.window.showInformationMessage(
      `Dynamic Workflows: ${notificationText(vscode.workspace.asRelativePath(uri))} no longer exists.`,
    );
    return false;
  }
}
