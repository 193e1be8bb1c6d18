// Keeping the Runs view and the runs folder tidy: Delete Run (its folder under .claude/workflow-runs,
// after a confirmation, never while it runs), Clear Finished Runs (from the view, or their folders
// too), and Forget 'Always Run' Choices (the scripts the pre-run dialog was told to skip). Each
// returns a plain value so tests can drive it through executeCommand and answer its dialogs.
import * as vscode from 'vscode';
import { RunLockedError, notificationText, plainLabel } from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { PreRunModal, AlwaysRunEntry } from '../scripts/preRunModal';
import type { RunController } from './runController';
import { storeOf } from '../documents/transcriptDocument';

export const DELETE_BUTTON = 'Delete';
export const CLEAR_BUTTONS = { view: 'Remove from View', delete: 'Delete Run Folders' } as const;

export interface RunsManagementDeps {
  controller: RunController;
  dialogs: Dialogs;
  preRun: PreRunModal;
}

interface ForgetItem extends vscode.QuickPickItem {
  /** undefined: all of them. */
  entry?: AlwaysRunEntry;
}

/** Deletes one run's folder and drops it from the view; true when deleted. */
export async function deleteRun(deps: RunsManagementDeps, runId: string | undefined): Promise<boolean> {
  if (!runId) {
    void vscode.window.showInformationMessage('Select a run in the Runs view to delete.');
    return false;
  }
  const session = deps.controller.get(runId);
  const name = session?.name ?? runId;
  if (session && !session.result) {
    void vscode.window.showWarningMessage(
      notificationText(`Workflow ${name} (${runId}) is running: stop it before deleting it.`),
    );
    return false;
  }
  const store = storeOf(runId);
  if (!store) {
    // Its folder is gone already (deleted by hand): only the view still shows it.
    deps.controller.remove(runId);
    return true;
  }
  const where = vscode.workspace.asRelativePath(store.dir(runId));
  const answer = await deps.dialogs.warn(
    notificationText(`Delete run ${name} (${runId})?`),
    `Deletes ${where}: the run's script copy, args, journal, transcripts and log. The run can no longer be resumed or shown.`,
    DELETE_BUTTON,
  );
  if (answer !== DELETE_BUTTON) return false;
  if (!removeFolder(runId)) return false;
  deps.controller.remove(runId);
  return true;
}

/**
 * Clears every finished run from the view, or (the second button) deletes their folders too.
 * Returns how many runs were cleared.
 */
export async function clearFinishedRuns(deps: RunsManagementDeps): Promise<number> {
  const finished = deps.controller.list().filter((s) => s.result);
  if (finished.length === 0) {
    void vscode.window.showInformationMessage('No finished runs to clear.');
    return 0;
  }
  const answer = await deps.dialogs.warn(
    `Clear ${finished.length} finished run${finished.length === 1 ? '' : 's'}?`,
    `${CLEAR_BUTTONS.view}: the runs leave this view; their folders stay in .claude/workflow-runs (Resume Run… still finds them).\n` +
      `${CLEAR_BUTTONS.delete}: their folders are deleted too; they can no longer be resumed. Running runs are kept either way.`,
    CLEAR_BUTTONS.view,
    CLEAR_BUTTONS.delete,
  );
  if (answer !== CLEAR_BUTTONS.view && answer !== CLEAR_BUTTONS.delete) return 0;
  let cleared = 0;
  for (const s of finished) {
    if (answer === CLEAR_BUTTONS.delete && !removeFolder(s.runId)) continue;
    if (deps.controller.remove(s.runId)) cleared++;
  }
  return cleared;
}

/** Deletes the run's folder; false (and the person told why) when another process holds it. */
function removeFolder(runId: string): boolean {
  const store = storeOf(runId);
  if (!store) return true;
  try {
    store.remove(runId);
    return true;
  } catch (e) {
    const why =
      e instanceof RunLockedError
        ? e.message
        : `Could not delete ${vscode.workspace.asRelativePath(store.dir(runId))}: ${(e as Error).message}`;
    void vscode.window.showWarningMessage(notificationText(why));
    return false;
  }
}

/** Lists the scripts that run without the pre-run dialog; the picked one (or all) asks again. Returns how many were forgotten. */
export async function forgetAlwaysRun(deps: RunsManagementDeps): Promise<number> {
  const entries = deps.preRun.alwaysRun();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(
      'No workflow script is set to "Always run" in this workspace: every run shows the pre-run dialog.',
    );
    return 0;
  }
  const items: ForgetItem[] = [
    { label: 'All of them', description: `${entries.length} script version${entries.length === 1 ? '' : 's'}` },
    ...entries.map((entry) => ({
      label: plainLabel(entry.name),
      description: `sha256 ${entry.sha256.slice(0, 12)}`,
      entry,
    })),
  ];
  const pick = await deps.dialogs.pick(items, {
    title: "Forget 'Always Run' Choices",
    placeHolder: 'Scripts that run without the pre-run dialog in this workspace: pick one to be asked again',
  });
  if (!pick) return 0;
  if (!pick.entry) {
    await deps.preRun.forget();
    return entries.length;
  }
  await deps.preRun.forgetVersion(pick.entry.sha256);
  return 1;
}
