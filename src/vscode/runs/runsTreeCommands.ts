// The actions on Runs view nodes: steer an agent (skip, retry), look at what it did (transcript,
// result, call site), see a run's log and result. Each takes the element
// it was invoked on (menus pass it) or falls back to the view's selection, and returns a plain
// value so tests can drive it through executeCommand.
import * as vscode from 'vscode';
import { discoverWorkflows, notificationText, type SourceLocation } from '../../core';
import type { RunController, RunSession } from './runController';
import type { RunsElement, RunsTreeProvider } from './runsTree';
import { journaledResult, runDocumentUri, storeOf, transcriptUri } from '../documents/transcriptDocument';
import type { DocumentView } from '../documents/documentView';

export interface RunsTreeCommandDeps {
  controller: RunController;
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<RunsElement>;
  /** The one tab transcripts and run documents render in. */
  documentView: DocumentView;
}

export function runsTreeCommands(deps: RunsTreeCommandDeps) {
  const { controller, runsTree } = deps;
  const target = (el: RunsElement | undefined) => el ?? deps.runsView.selection[0];
  const agentOf = (el: RunsElement | undefined) => {
    const a = runsTree.agent(target(el));
    if (!a) void vscode.window.showInformationMessage('Select an agent in the Runs view first.');
    return a;
  };

  return {
    skipAgent: (el?: RunsElement) => {
      const a = agentOf(el);
      if (!a) return false;
      const ok = a.session.run.skip(a.node.agentId);
      if (!ok)
        void vscode.window.showInformationMessage(
          `${notificationText(a.node.label)} is ${a.node.state}: only a queued or running agent can be skipped.`,
        );
      return ok;
    },
    retryAgent: (el?: RunsElement) => {
      const a = agentOf(el);
      if (!a) return false;
      const ok = a.session.run.retry(a.node.agentId);
      if (!ok)
        void vscode.window.showInformationMessage(
          `${notificationText(a.node.label)} is ${a.node.state}: only a running agent can be retried.`,
        );
      return ok;
    },
    openTranscript: async (el?: RunsElement) => {
      const a = agentOf(el);
      if (!a) return undefined;
      const doc = await vscode.workspace.openTextDocument(transcriptUri(a.session.runId, a.node.agentId, a.node.label));
      await deps.documentView.show(doc.uri, `Transcript: ${a.node.label}`);
      return doc.uri.toString();
    },
    copyResult: async (el?: RunsElement) => {
      const text = resultText(runsTree, target(el));
      if (text === undefined) {
        void vscode.window.showInformationMessage('No result to copy: the agent or run has not finished with one.');
        return undefined;
      }
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('Result copied', 2000);
      return text;
    },
    revealCallSite: (el?: RunsElement) => revealCallSite(runsTree, target(el)),
    showRun: async (el?: RunsElement | string) => {
      const runId = typeof el === 'string' ? el : target(el)?.runId;
      const session = runId ? controller.get(runId) : undefined;
      if (!runId) return undefined;
      const doc = await vscode.workspace.openTextDocument(runDocumentUri(runId, session?.name ?? runId));
      // preserveFocus: selecting runs one after another with the keyboard keeps working.
      await deps.documentView.show(doc.uri, `Run: ${session?.name ?? runId}`, { preserveFocus: true });
      return doc.uri.toString();
    },
  };
}

/** The full result: the journaled value of an agent (the tree has a preview only), the run's own result. */
function resultText(runsTree: RunsTreeProvider, el: RunsElement | undefined): string | undefined {
  const r = el && runsTree.resolve(el);
  if (!r) return undefined;
  const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v)));
  if (r.node.kind === 'run') {
    if (r.session.result?.status === 'completed') return asText(r.session.result.result ?? null);
    return r.node.result !== undefined ? asText(r.node.result) : undefined;
  }
  if (r.node.kind !== 'agent' || (r.node.state !== 'done' && r.node.state !== 'cached')) return undefined;
  const store = storeOf(r.session.runId);
  const journaled = store && journaledResult(store, r.session.runId, r.node.agentId);
  return journaled ? asText(journaled.value) : r.node.resultPreview;
}

/** Opens the script at the node's `agent(` / `parallel(` / `pipeline(` call. */
async function revealCallSite(runsTree: RunsTreeProvider, el: RunsElement | undefined): Promise<boolean> {
  const r = el && runsTree.resolve(el);
  const site: SourceLocation | undefined =
    r && (r.node.kind === 'agent' || r.node.kind === 'group') ? r.node.site : undefined;
  if (!r || !site) {
    void vscode.window.showInformationMessage('This node has no call site to show.');
    return false;
  }
  const file = await scriptOf(r.session, r.node.parentId);
  if (!file) {
    void vscode.window.showInformationMessage('The call is in a child workflow whose script could not be found.');
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(file);
  const node = r.node;
  const names = node.kind === 'group' ? [node.groupKind] : ['agent'];
  await vscode.window.showTextDocument(doc, { selection: callRange(doc, site, names), preview: true });
  return true;
}

/** How far above the reported line a multi-line call may start. */
const MAX_CALL_LINES = 6;

/**
 * The called name (`agent` of `agent(`) the site points at. The engine's line is exact but its
 * column is not (QuickJS reports a position inside the call, after the rewrite of awaits), so the
 * name is looked for on that line (the last one before the column), then on the lines just above
 * for a call spread over several lines; failing that, the caret goes where the engine said.
 */
export function callRange(doc: vscode.TextDocument, site: SourceLocation, names: string[]): vscode.Range {
  const line = Math.min(Math.max(0, site.line - 1), doc.lineCount - 1);
  const column = Math.max(0, site.column - 1);
  const pattern = new RegExp(`\\b(?:${names.join('|')})\\s*\\(`, 'g');
  for (let l = line; l >= 0 && l > line - MAX_CALL_LINES; l--) {
    const text = doc.lineAt(l).text;
    let best: RegExpExecArray | undefined;
    for (const m of text.matchAll(pattern)) if (!best || l < line || m.index <= column) best = m as RegExpExecArray;
    if (best) {
      const name = best[0].replace(/\s*\($/, '');
      return new vscode.Range(l, best.index, l, best.index + name.length);
    }
  }
  return new vscode.Range(line, column, line, column);
}

/**
 * The script a call site points into: the run's own, or a child workflow's when the node sits under
 * a `▸ name` group (its sites are lines of the child's file), found by name in the registry.
 */
async function scriptOf(session: RunSession, parentId: string | undefined): Promise<vscode.Uri | undefined> {
  for (let id = parentId; id !== undefined;) {
    const n = session.trace.node(id);
    if (!n) break;
    if (n.kind === 'group' && n.groupKind === 'workflow') {
      const name = (n.title ?? n.label).replace(/^▸\s*/, '').replace(/\s+#\d+$/, '');
      const cwd = (vscode.workspace.getWorkspaceFolder(session.file) ?? vscode.workspace.workspaceFolders?.[0])?.uri
        .fsPath;
      if (!cwd) return undefined;
      const found = (await discoverWorkflows({ cwd })).workflows.find((w) => w.name === name);
      return found && vscode.Uri.file(found.path);
    }
    id = n.parentId;
  }
  return session.file;
}
