// The extension's composition root (ARCHITECTURE.md "VS Code surface"): builds the run controller,
// the Runs view, the status bar and the commands, registers everything for disposal, and returns
// a small API that the in-host tests read (the same objects the UI shows).
import * as vscode from 'vscode';
import { RunController } from './vscode/runController';
import { RunsTreeProvider } from './vscode/runsTree';
import { RunStatusBar } from './vscode/statusBar';
import { registerCommands } from './vscode/commands';
import { ApiKeyStore } from './vscode/secrets';
import { Approvals } from './vscode/approvals';

export interface DynamicWorkflowsApi {
  controller: RunController;
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<unknown>;
  statusBar: RunStatusBar;
  /** Commands waiting for the person's answer; tests answer through approvals.answer(). */
  approvals: Approvals;
}

export function activate(context: vscode.ExtensionContext): DynamicWorkflowsApi {
  const log = vscode.window.createOutputChannel('Dynamic Workflows', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const approvals = new Approvals(log);
  const controller = new RunController(keys, log, approvals);
  const runsTree = new RunsTreeProvider(controller);
  const runsView = vscode.window.createTreeView('dynamicWorkflows.runs', { treeDataProvider: runsTree, showCollapseAll: true });
  const statusBar = new RunStatusBar(controller);
  // Menus show "Stop Run" only while something can be stopped.
  const liveContext = controller.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', 'dynamicWorkflows.liveRuns', controller.live().length > 0);
  });
  const reveal = (runId: string) => {
    runsView.reveal(runsTree.runElement(runId), { select: false, focus: false, expand: true }).then(undefined, (e: Error) => log.debug(`reveal: ${e.message}`));
  };
  // Disposed in this order: commands and views first, then the controller (which stops live runs
  // and may still log), the log last.
  context.subscriptions.push(...registerCommands({ controller, keys, reveal }), liveContext, statusBar, runsView, runsTree, controller, approvals, log);
  return { controller, runsTree, runsView, statusBar, approvals };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
