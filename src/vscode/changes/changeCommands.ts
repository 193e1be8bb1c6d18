// Open Changes (before ↔ now), Open File and Clear Change Highlights, for the Runs view's
// changed-file nodes (which pass { runId, nodeId }) and the command palette.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeLog } from './changeLog';
import type { ChangeHighlights } from './changeHighlights';
import { beforeUri } from './beforeContent';
import { parseFileNode } from './changeNodes';

interface FileNodeArg {
  runId: string;
  nodeId: string;
}

export function changeCommands(changes: ChangeLog, highlights: ChangeHighlights) {
  return {
    openChanges: (arg?: FileNodeArg) => openChanges(changes, arg),
    openChangedFile: (arg?: FileNodeArg) => {
      const f = arg && parseFileNode(arg.nodeId);
      if (!f) return vscode.window.showInformationMessage('Open File works on a changed file in the Runs view.');
      return vscode.commands.executeCommand('vscode.open', vscode.Uri.file(f.file));
    },
    clearChangeHighlights: () => highlights.clearAll(),
  };
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
