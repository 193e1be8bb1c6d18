// The Runs view's changed-files nodes: under an agent that changed files, one node per file; under
// the run, "Changed files (n)" with every file its agents changed. Node ids live beside the trace's
// (`changes`, `change:<agentId>|<file>`, agentId empty for the run's own list) so the tree keeps its
// one element kind; these nodes are not in the trace and never reach trace lookups.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangedFile, ChangeLog } from './changeLog';
import { OPEN_CHANGES_COMMAND, RUN_CHANGES_NODE, fileNodeId, parseFileNode } from './changeNodes';
export { isChangeNode } from './changeNodes';

/** Change nodes added below a trace node (`run`, `agent:<id>`) or a change node. */
export function changeChildren(changes: ChangeLog, runId: string, nodeId: string): string[] {
  if (nodeId === 'run') return changes.forRun(runId).length ? [RUN_CHANGES_NODE] : [];
  if (nodeId === RUN_CHANGES_NODE) return changes.forRun(runId).map((c) => fileNodeId('', c.file));
  if (nodeId.startsWith('agent:')) {
    const agentId = nodeId.slice('agent:'.length);
    return changes.forAgent(runId, agentId).map((c) => fileNodeId(agentId, c.file));
  }
  return [];
}

/** The parent node id of a change node. */
export function changeParent(nodeId: string): string {
  const f = parseFileNode(nodeId);
  if (!f) return 'run';
  return f.agentId ? `agent:${f.agentId}` : RUN_CHANGES_NODE;
}

export function changeTreeItem(changes: ChangeLog, runId: string, nodeId: string): vscode.TreeItem {
  if (nodeId === RUN_CHANGES_NODE) {
    const n = changes.forRun(runId).length;
    const item = new vscode.TreeItem(`Changed files (${n})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${runId}/${nodeId}`;
    item.iconPath = new vscode.ThemeIcon('diff');
    item.contextValue = 'changedFiles';
    return item;
  }
  const f = parseFileNode(nodeId);
  const entry = f && changes.before(runId, f.agentId, f.file);
  if (!f || !entry) return new vscode.TreeItem('(change forgotten)');
  return new ChangedFileItem(runId, f.agentId, entry);
}

/** One changed file: the file's own icon; click opens the diff, or the file when the agent created it. */
export class ChangedFileItem extends vscode.TreeItem {
  constructor(runId: string, agentId: string, entry: ChangedFile) {
    const uri = vscode.Uri.file(entry.file);
    super(uri, vscode.TreeItemCollapsibleState.None);
    this.id = `${runId}/${fileNodeId(agentId, entry.file)}`;
    this.label = path.basename(entry.file);
    const created = entry.before === undefined;
    this.description = `${created ? 'created' : 'modified'} · ${vscode.workspace.asRelativePath(path.dirname(entry.file))}`;
    this.tooltip = `${entry.file} (${created ? 'created' : 'modified'} by the ${agentId ? 'agent' : 'run'})`;
    // `.created`/`.modified`: both offer Open Changes and Open File (package.json menus).
    this.contextValue = `changedFile.${created ? 'created' : 'modified'}`;
    this.command = created
      ? { command: 'vscode.open', title: 'Open File', arguments: [uri] }
      : {
          command: OPEN_CHANGES_COMMAND,
          title: 'Open Changes',
          arguments: [{ runId, nodeId: fileNodeId(agentId, entry.file) }],
        };
  }
}
