// "Workflow X finished: …" with Show Result, and "Workflow X stopped: …" with Resume, when a run ends
// (issue 10 item 6). Failed runs are runErrors.ts's (Go to Error / Show Run): not said twice here.
// A run paused at a cap always says so, with Raise Cap and Continue (it waits for a decision).
// `dynamicWorkflows.notifyOnFinish` silences the others: "always", "whenHidden" (default: only when the
// Runs view is not in sight or the window is not focused) or "never".
import * as vscode from 'vscode';
import { capLimitText, emptySummary, runCounts, notificationText, type PauseInfo, type RunResult } from '../../core';
import type { RunController, RunSession } from './runController';
import { SECTION } from '../settings/settings';
import { SHOW_RUN_COMMAND } from './runsTreeItems';
import { finishSummary } from './runMeta';
import { RAISE_CAP_COMMAND } from './raiseCap';

export const NOTIFY_ON_FINISH = 'notifyOnFinish';
export type NotifyOnFinish = 'always' | 'whenHidden' | 'never';
export const FINISH_ACTIONS = {
  result: 'Show Result',
  resume: 'Resume',
  run: 'Show Run',
  raise: 'Raise Cap and Continue',
} as const;

/** What a finish notification offered, kept for tests (they cannot click). */
export interface FinishNotice {
  runId: string;
  message: string;
  actions: string[];
}

export function notifyOnFinish(scope?: vscode.ConfigurationScope): NotifyOnFinish {
  const v = vscode.workspace.getConfiguration(SECTION, scope).get<string>(NOTIFY_ON_FINISH);
  return v === 'always' || v === 'never' ? v : 'whenHidden';
}

export class FinishNotifications implements vscode.Disposable {
  readonly notices: FinishNotice[] = [];
  private readonly seen = new WeakSet<RunSession>();
  private readonly subscription: vscode.Disposable;

  constructor(
    controller: RunController,
    private readonly runsView: { readonly visible: boolean },
  ) {
    this.subscription = controller.onDidChange((c) => {
      if (!c.nodeIds && c.session.result) this.onEnd(c.session, c.session.result);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private onEnd(session: RunSession, result: RunResult): void {
    if (this.seen.has(session)) return;
    this.seen.add(session);
    if (result.status === 'failed') return;
    // A paused run waits for the person's decision: said whatever the setting, like a failure.
    if (result.status === 'paused' && result.paused)
      return this.show(session.runId, pausedNotice(session.name, result.paused), [
        FINISH_ACTIONS.raise,
        FINISH_ACTIONS.run,
      ]);
    const setting = notifyOnFinish(session.file);
    if (setting === 'never' || (setting === 'whenHidden' && this.runsView.visible && vscode.window.state.focused))
      return;
    const how = result.status === 'completed' ? 'finished' : 'stopped';
    // The name is the script's text: no link, no hidden character.
    // The tree's own reading of the run (runCounts over its trace), so the two never disagree.
    const counts = runCounts(session.trace.root?.counts ?? emptySummary(), { final: true });
    const message = notificationText(`Workflow ${session.name} ${how}: ${finishSummary(counts, result.durationMs)}`);
    const actions =
      result.status === 'completed' ? [FINISH_ACTIONS.result] : [FINISH_ACTIONS.resume, FINISH_ACTIONS.run];
    this.show(session.runId, message, actions);
  }

  private show(runId: string, message: string, actions: string[]): void {
    this.notices.push({ runId, message, actions });
    void vscode.window.showInformationMessage(message, ...actions).then((pick) => pick && this.press(runId, pick));
  }

  /** What a notice's button does; the notification calls it (and tests, which cannot click one). */
  press(runId: string, action: string): Thenable<unknown> {
    if (action === FINISH_ACTIONS.resume) return vscode.commands.executeCommand('dynamicWorkflows.resumeRun', runId);
    if (action === FINISH_ACTIONS.raise) return vscode.commands.executeCommand(RAISE_CAP_COMMAND, runId);
    return vscode.commands.executeCommand(SHOW_RUN_COMMAND, runId);
  }
}

/** `Workflow 'x' paused: cost cap $5.00 reached` (the name is the script's text: one plain line). */
export function pausedNotice(name: string, pause: PauseInfo): string {
  return notificationText(`Workflow '${name}' paused: ${capLimitText(pause)}`);
}
