// Open Changes (before ↔ now), Open File and Clear Change Highlights, for the Runs view's
// changed-file nodes (which pass { runId, nodeId }) and the command palette.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeLog } from './changeLog';
import type { ChangeHighlights } from './changeHighlights';
import { BEFORE_SCHEME, BeforeContentProvider, beforeUri } from './beforeContent';
import {
  CLEAR_HIGHLIGHTS_COMMAND,
  OPEN_CHANGED_FILE_COMMAND,
  OPEN_CHANGES_COMMAND,
  parseFileNode,
} from './changeNodes';

interface FileNodeArg {
  runId: string;
  nodeId: string;
}

export function registerChangeCommands(changes: ChangeLog, highlights: ChangeHighlights): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(BEFORE_SCHEME, new BeforeContentProvider(changes)),
    vscode.commands.registerCommand(OPEN_CHANGES_COMMAND, (arg?: FileNodeArg) => openChanges(changes, arg)),
    vscode.commands.registerCommand(OPEN_CHANGED_FILE_COMMAND, (arg?: FileNodeArg) => {
      const f = arg && parseFileNode(arg.nodeId);
      if (!f) return vscode.window.showInformationMessage('Open File works on a changed file in the Runs view.');
      return vscode.commands.executeCommand('vscode.open', vscode.Uri.file(f.file));
    }),
    vscode.commands.registerCommand(CLEAR_HIGHLIGHTS_COMMAND, () => highlights.clearAll()),
  ];
}

async function openChanges(changes: ChangeLog, arg: FileNodeArg | undefined): Promise<void> {
  const f = arg && parseFileNode(arg.nodeId);
  if (!arg || !f) {
    void vscode.window.showInformationMessage(
      'Open Changes works on a changed file in the Runs view (under an agent or "Changed files").',
    );
    return;
  }
  const entry = changes.before(arg.runId, f.agentId, f.file);
  if (!entry) {
    void vscode.window.showWarningMessage(
      `The change of ${path.basename(f.file)} is no longer recorded (the run was removed); open the file instead.`,
    );
    return;
  }
  const who = f.agentId ? 'the agent' : 'the run';
  const title = `${path.basename(f.file)} (before ${who} ↔ now)`;
  await vscode.commands.executeCommand(
    'vscode.diff',
    beforeUri(arg.runId, f.agentId, f.file),
    vscode.Uri.file(f.file),
    title,
  );
}
