// The commands that start and stop runs. Handlers turn a refused run into a message with its fix as a
// button; they return plain values (a run id) so tests can drive them with executeCommand.
import * as vscode from 'vscode';
import type { RunController } from './runController';
import { reportRefused } from './refusals';
import type { RunsElement } from './runsTree';
import { plainLabel } from '../../core';

export interface RunCommandDeps {
  controller: RunController;
  /** Shows a started run in the Runs view. */
  reveal(runId: string): void;
}

/** Run Current Script, Run Workflow Script (explorer and editor menus) and Stop Run. */
export function runCommands(deps: RunCommandDeps) {
  const { controller } = deps;

  const runUri = async (uri: vscode.Uri | undefined): Promise<string | undefined> => {
    if (!uri) {
      void vscode.window.showInformationMessage(
        'Open a workflow script (a .js file starting with "export const meta = {…}") to run it.',
      );
      return undefined;
    }
    try {
      const session = await controller.runFile(uri);
      deps.reveal(session.runId);
      return session.runId;
    } catch (e) {
      return reportRefused(e);
    }
  };

  return {
    runCurrentScript: () => runUri(vscode.window.activeTextEditor?.document.uri),
    runFile: (uri?: vscode.Uri) => runUri(uri ?? vscode.window.activeTextEditor?.document.uri),
    stopRun: (target?: RunsElement | string) => stopRun(controller, target),
  };
}

/** Stops the run named by a tree element or id; with none, the only live run or one picked from the live ones. */
async function stopRun(controller: RunController, target: RunsElement | string | undefined): Promise<boolean> {
  let runId = typeof target === 'string' ? target : target?.runId;
  if (!runId) {
    const live = controller.live();
    if (live.length === 0) {
      void vscode.window.showInformationMessage('No workflow run is live.');
      return false;
    }
    if (live.length === 1) runId = live[0].runId;
    else {
      const pick = await vscode.window.showQuickPick(
        live.map((s) => ({ label: plainLabel(s.name), description: s.runId, runId: s.runId })),
        { title: 'Stop which workflow run?' },
      );
      runId = pick?.runId;
    }
  }
  return runId ? controller.stop(runId) : false;
}
