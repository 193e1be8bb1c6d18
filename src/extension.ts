// The extension's composition root (ARCHITECTURE.md "VS Code surface"): builds the run controller,
// the Runs view, the status bar and the command table, registers everything for disposal, and returns
// a small API that the in-host tests read (the same objects the UI shows).
import * as vscode from 'vscode';
import { RunContextKeys } from './vscode/runs/runContextKeys';
import { RunController } from './vscode/runs/runController';
import { RunsTreeProvider } from './vscode/runs/runsTree';
import { RunStatusBar } from './vscode/runs/statusBar';
import { ApiKeyStore } from './vscode/settings/secrets';
import { EngineUrlStore } from './vscode/settings/engineUrlStore';
import { Approvals } from './vscode/approvals/approvals';
import { SavedTreeProvider } from './vscode/scripts/savedTree';
import { RunDocuments } from './vscode/documents/transcriptDocument';
import { WorktreeBaseVersions, registerWorktreeBase } from './vscode/agents/worktreeBase';
import { DocumentView } from './vscode/documents/documentView';
import { registerScriptFeatures, type ScriptFeatures } from './vscode/scripts/scriptFeatures';
import { RuntimeErrors } from './vscode/runs/runErrors';
import { FinishNotifications } from './vscode/runs/runNotifications';
import { ChangeHighlights } from './vscode/changes/changeHighlights';
import { registerBeforeContent } from './vscode/changes/beforeContent';
import { registerAuthoringChecks } from './vscode/authoring';
import { commandHandlers, registerCommandTable } from './vscode/commandTable';

export interface DynamicWorkflowsApi {
  /** Context keys for palette when clauses (Resume, Save Run, Clear Finished Runs). */
  runContext: RunContextKeys;
  controller: RunController;
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<unknown>;
  statusBar: RunStatusBar;
  /** Commands waiting for the person's answer; tests answer through approvals.answer(). */
  approvals: Approvals;
  /** The Saved view's data (saved workflows by origin). */
  savedTree: SavedTreeProvider;
  savedView: vscode.TreeView<unknown>;
  /** Run Workflow…, Resume, Save, the pre-run dialog, CodeLens and diagnostics; tests answer `scripts.dialogs`. */
  scripts: Omit<ScriptFeatures, 'disposables'>;
  /** Failed runs' script errors: notifications, Go to Error and the runtime diagnostics. */
  runErrors: RuntimeErrors;
  /** "Workflow X finished/stopped" notifications (dynamicWorkflows.notifyOnFinish). */
  finishNotifications: FinishNotifications;
  /** The tab transcripts and run documents render in; tests read its page. */
  documentView: DocumentView;
  /** Lines agents changed, marked in open editors; tests read rangesFor(). */
  changeHighlights: ChangeHighlights;
}

export function activate(context: vscode.ExtensionContext): DynamicWorkflowsApi {
  const log = vscode.window.createOutputChannel('Dynamic Workflows', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const engines = new EngineUrlStore(context.secrets);
  const approvals = new Approvals(log);
  const bundledDir = context.asAbsolutePath('workflows');
  const controller = new RunController(keys, log, approvals, bundledDir, engines);
  const runsTree = new RunsTreeProvider(controller, approvals);
  const runsView = vscode.window.createTreeView('dynamicWorkflows.runs', {
    treeDataProvider: runsTree,
    showCollapseAll: true,
  });
  const statusBar = new RunStatusBar(controller, approvals);
  const savedTree = new SavedTreeProvider({ bundledDir, log: (m) => log.warn(m) });
  const savedView = vscode.window.createTreeView('dynamicWorkflows.saved', { treeDataProvider: savedTree });
  const documents = new RunDocuments(controller);
  const documentView = new DocumentView(documents);
  const runErrors = new RuntimeErrors(controller);
  const finishNotifications = new FinishNotifications(controller, runsView);
  const changeHighlights = new ChangeHighlights(controller.changes);
  // Menus show "Stop Run" only while something can be stopped. Sent only when it changes: each
  // setContext is a round trip to the workbench, and a large run changes many times a second.
  let liveRuns: boolean | undefined;
  const liveContext = controller.onDidChange(() => {
    const next = controller.live().length > 0;
    if (next === liveRuns) return;
    liveRuns = next;
    void vscode.commands.executeCommand('setContext', 'dynamicWorkflows.liveRuns', next);
  });
  const runContext = new RunContextKeys(controller);
  const reveal = (runId: string) => {
    runsView
      .reveal(runsTree.runElement(runId), { select: false, focus: false, expand: true })
      .then(undefined, (e: Error) => log.debug(`reveal: ${e.message}`));
  };
  const scripts = registerScriptFeatures({ controller, workspaceState: context.workspaceState });
  const authoring = registerAuthoringChecks({ bundledDir, log: (m) => log.warn(m) });
  const worktreeBase = new WorktreeBaseVersions();
  const commands = commandHandlers({
    controller,
    keys,
    engines,
    dialogs: scripts.dialogs,
    preRun: scripts.preRun,
    runsTree,
    runsView,
    saved: savedTree,
    savedView,
    documentView,
    approvals,
    runErrors,
    changeHighlights,
    authoring: authoring.diagnostics,
    worktreeBase,
    bundledDir,
    reveal,
    log: (m) => log.warn(m),
  });
  // Disposed in this order: commands and views first, then the controller (which stops live runs
  // and may still log), the log last.
  context.subscriptions.push(
    ...registerCommandTable(commands),
    documentView,
    registerWorktreeBase(worktreeBase),
    ...scripts.disposables,
    ...authoring.disposables,
    registerBeforeContent(controller.changes),
    changeHighlights,
    liveContext,
    runContext,
    runErrors,
    finishNotifications,
    statusBar,
    runsView,
    runsTree,
    savedView,
    savedTree,
    documents,
    controller,
    approvals,
    log,
  );
  return {
    runContext,
    controller,
    runsTree,
    runsView,
    statusBar,
    approvals,
    savedTree,
    savedView,
    scripts,
    runErrors,
    finishNotifications,
    documentView,
    changeHighlights,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
