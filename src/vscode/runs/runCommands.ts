// The palette and view commands. Handlers turn a refused run into a message with its fix as a
// button; they return plain values (a run id) so tests can drive them with executeCommand.
import * as vscode from 'vscode';
import type { RunController } from './runController';
import { reportRefused } from './refusals';
import type { RunsElement } from './runsTree';
import type { ApiKeyStore } from '../settings/secrets';
import type { Dialogs } from '../ui/dialogs';
import { plainLabel } from '../../core';

export interface CommandDeps {
  controller: RunController;
  keys: ApiKeyStore;
  /** Asks Set API Key's questions (tests answer them). */
  dialogs?: Dialogs;
  /** Shows a started run in the Runs view. */
  reveal(runId: string): void;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, keys } = deps;

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

  return [
    vscode.commands.registerCommand('dynamicWorkflows.runCurrentScript', () =>
      runUri(vscode.window.activeTextEditor?.document.uri),
    ),
    vscode.commands.registerCommand('dynamicWorkflows.runFile', (uri?: vscode.Uri) =>
      runUri(uri ?? vscode.window.activeTextEditor?.document.uri),
    ),
    vscode.commands.registerCommand('dynamicWorkflows.stopRun', (target?: RunsElement | string) =>
      stopRun(controller, target),
    ),
    vscode.commands.registerCommand('dynamicWorkflows.setApiKey', () => keys.prompt(deps.dialogs)),
  ];
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
