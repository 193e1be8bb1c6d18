// Context keys that hide palette commands needing a run when there is none (package.json's
// commandPalette when clauses): Resume Run… and Save Run as Workflow… need a run of this
// workspace (this session's or one stored on disk); Clear Finished Runs… needs a finished one.
import * as vscode from 'vscode';
import { FileRunStore } from '../../core';
import type { RunController } from './runController';

export const RUN_CONTEXT_KEYS = {
  hasRuns: 'dynamicWorkflows.hasRuns',
  finishedRuns: 'dynamicWorkflows.finishedRuns',
} as const;

export interface RunContextState {
  hasRuns: boolean;
  finishedRuns: boolean;
}

function storedRuns(): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some(
    (f) => f.uri.scheme === 'file' && FileRunStore.forWorkspace(f.uri.fsPath).hasRuns(),
  );
}

export class RunContextKeys implements vscode.Disposable {
  private last: RunContextState | undefined;
  private readonly subscription: vscode.Disposable;
  private sessions = -1;
  private finished = -1;

  constructor(private readonly controller: RunController) {
    this.subscription = controller.onDidChange(() => this.update());
    this.update();
  }

  /** The values last set (tests compare them with the when clauses' meaning). */
  get state(): RunContextState {
    return this.last ?? { hasRuns: false, finishedRuns: false };
  }

  /** Cheap on every run event: the disk is looked at only when the count of runs or finished runs changed. */
  update(): void {
    const list = this.controller.list();
    const finished = list.filter((s) => s.result).length;
    if (list.length === this.sessions && finished === this.finished) return;
    this.sessions = list.length;
    this.finished = finished;
    const next = { hasRuns: list.length > 0 || storedRuns(), finishedRuns: finished > 0 };
    if (this.last?.hasRuns !== next.hasRuns)
      void vscode.commands.executeCommand('setContext', RUN_CONTEXT_KEYS.hasRuns, next.hasRuns);
    if (this.last?.finishedRuns !== next.finishedRuns)
      void vscode.commands.executeCommand('setContext', RUN_CONTEXT_KEYS.finishedRuns, next.finishedRuns);
    this.last = next;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
