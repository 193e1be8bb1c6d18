// The one command table: every command the extension registers, each id (commandIds.ts) with its
// handler. Handlers live in their feature folders as plain functions and factories that receive
// their dependencies here; no command module imports another (lint forbids it), shared behaviour is
// in services. Handlers return plain values (a run id, a path) so tests drive them with executeCommand.
import * as vscode from 'vscode';
import { COMMANDS, type CommandName } from './commandIds';
import type { RunController } from './runs/runController';
import type { RunsElement, RunsTreeProvider } from './runs/runsTree';
import { runCommands } from './runs/runCommands';
import { runsTreeCommands } from './runs/runsTreeCommands';
import { runsFilterCommands } from './runs/runsFilterCommands';
import { resumeLastRun, resumeRun } from './runs/resumeRun';
import { raiseCapAndContinue } from './runs/raiseCap';
import { clearFinishedRuns, deleteRun, forgetAlwaysRun } from './runs/runsManagement';
import { runIdOf } from './runs/storedRuns';
import type { RuntimeErrors } from './runs/runErrors';
import { runWorkflow } from './scripts/runWorkflow';
import { saveRun, saveScript } from './scripts/saveAsWorkflow';
import { newWorkflow } from './scripts/newWorkflow';
import { savedCommands } from './scripts/savedCommands';
import type { PreRunModal } from './scripts/preRunModal';
import type { SavedElement, SavedTreeProvider } from './scripts/savedTree';
import { findAgent } from './agents/findAgent';
import { worktreeCommands } from './agents/worktreeCommands';
import type { WorktreeBaseVersions } from './agents/worktreeBase';
import type { Approvals } from './approvals/approvals';
import { approvalTreeCommands } from './approvals/approvalTreeCommands';
import { changeCommands } from './changes/changeCommands';
import type { ChangeHighlights } from './changes/changeHighlights';
import { createAgentFile, type AuthoringDiagnostics } from './authoring';
import type { DocumentView } from './documents/documentView';
import { openWorkspaceFile } from './documents/workspaceFileLinks';
import type { ApiKeyStore } from './settings/secrets';
import type { EngineUrlStore } from './settings/engineUrlStore';
import type { Dialogs } from './ui/dialogs';

/** What the handlers work on: the composition root's objects. */
export interface CommandTableDeps {
  controller: RunController;
  keys: ApiKeyStore;
  /** The remote engine's URL (issue 13), in secret storage. */
  engines: EngineUrlStore;
  /** The dialogs every command asks through (tests replace single methods). */
  dialogs: Dialogs;
  preRun: PreRunModal;
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<RunsElement>;
  saved: SavedTreeProvider;
  savedView: vscode.TreeView<SavedElement>;
  documentView: DocumentView;
  approvals: Approvals;
  runErrors: RuntimeErrors;
  changeHighlights: ChangeHighlights;
  authoring: AuthoringDiagnostics;
  worktreeBase: WorktreeBaseVersions;
  /** Folder of the workflows shipped with the extension. */
  bundledDir?: string;
  /** Shows a started run in the Runs view. */
  reveal(runId: string): void;
  log(message: string): void;
}

export type CommandHandler = (...args: never[]) => unknown;
/** One handler per command name: a missing or an extra entry does not compile. */
export type CommandHandlers = Record<CommandName, CommandHandler>;

export function commandHandlers(d: CommandTableDeps): CommandHandlers {
  const runs = runCommands(d);
  const tree = runsTreeCommands(d);
  const filter = runsFilterCommands(d.runsTree, d.runsView);
  const saved = savedCommands(d);
  const worktrees = worktreeCommands(d.runsTree, d.runsView, d.worktreeBase);
  const waiting = approvalTreeCommands(d.approvals, d.runsTree);
  const changes = changeCommands(d.controller.changes, d.changeHighlights);
  return {
    // Runs
    runCurrentScript: runs.runCurrentScript,
    runFile: runs.runFile,
    stopRun: runs.stopRun,
    resumeRun: (target?: unknown) => resumeRun(d, runIdOf(target)),
    resumeLastRun: (uri?: vscode.Uri) => resumeLastRun(d, uri),
    raiseCapAndContinue: (target?: unknown) => raiseCapAndContinue(d, runIdOf(target)),
    deleteRun: (target?: unknown) => deleteRun(d, runIdOf(target)),
    clearFinishedRuns: () => clearFinishedRuns(d),
    forgetAlwaysRun: () => forgetAlwaysRun(d),
    showRun: tree.showRun,
    goToError: (target?: RunsElement | string) => d.runErrors.goToError(target),
    filterRunsByState: filter.filterRunsByState,
    clearRunsFilter: filter.clearRunsFilter,
    skipAgent: tree.skipAgent,
    retryAgent: tree.retryAgent,
    openTranscript: tree.openTranscript,
    copyResult: tree.copyResult,
    revealCallSite: tree.revealCallSite,
    // Scripts and saved workflows
    runWorkflow: () => runWorkflow(d),
    saveRun: (target?: unknown) => saveRun(d, runIdOf(target)),
    saveScript: (uri?: vscode.Uri) => saveScript(d, uri),
    newWorkflow: () => newWorkflow(d),
    runSaved: saved.runSaved,
    runSavedWithArgs: saved.runSavedWithArgs,
    openSaved: saved.openSaved,
    refreshSaved: saved.refreshSaved,
    createAgentFile: (script: vscode.Uri, name: string) => createAgentFile(d.authoring, script, name),
    // Agents
    findAgent: (target?: RunsElement | string) => findAgent(d, typeof target === 'string' ? target : target?.runId),
    openWorktree: worktrees.openWorktree,
    compareWorktreeWithBase: worktrees.compareWorktreeWithBase,
    // Approvals
    showApprovals: () => d.approvals.pick(),
    answerApproval: (id: unknown, choice: unknown) => d.approvals.answerLink(id, choice),
    reviewApproval: (id: unknown) => d.approvals.reviewLink(id),
    allowWaitingAgent: waiting.allowWaitingAgent,
    denyWaitingAgent: waiting.denyWaitingAgent,
    // Changes
    openChanges: changes.openChanges,
    openChangedFile: changes.openChangedFile,
    clearChangeHighlights: changes.clearChangeHighlights,
    // Documents
    openWorkspaceFile,
    // Settings
    setApiKey: () => d.keys.prompt(d.dialogs),
    setRemoteEngine: () => d.engines.prompt(d.dialogs),
    clearRemoteEngine: () => d.engines.clear(),
  };
}

/** Registers every command of the table; the only registerCommand of the extension. */
export function registerCommandTable(handlers: CommandHandlers): vscode.Disposable[] {
  return (Object.keys(COMMANDS) as CommandName[]).map((name) =>
    vscode.commands.registerCommand(COMMANDS[name], handlers[name]),
  );
}
