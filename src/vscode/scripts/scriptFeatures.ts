// The script-side features in one place for the composition root: the pre-run dialog as the
// controller's run gate, CodeLens and live diagnostics for workflow scripts. Their commands (Run
// Workflow…, Resume Run…, Save Run as Workflow…) are in the command table.
import type * as vscode from 'vscode';
import type { RunController } from '../runs/runController';
import { windowDialogs, type Dialogs } from '../ui/dialogs';
import { PreRunModal } from './preRunModal';
import { allowId } from '../settings/workspaceSteering';
import { registerCodeLens, type WorkflowCodeLens } from './codeLens';
import { ScriptDiagnostics } from './diagnostics';
import { SCRIPT_SELECTOR } from './scriptDocs';

export interface ScriptFeatures {
  /** The dialogs every command asks through (tests replace single methods). */
  dialogs: Dialogs;
  preRun: PreRunModal;
  lenses: WorkflowCodeLens;
  diagnostics: ScriptDiagnostics;
  disposables: vscode.Disposable[];
}

export function registerScriptFeatures(options: {
  controller: RunController;
  workspaceState: vscode.Memento;
}): ScriptFeatures {
  const { controller } = options;
  const dialogs = windowDialogs();
  const preRun = new PreRunModal(options.workspaceState, dialogs);
  controller.gate = preRun.gate;
  controller.onAlwaysAllowed = (rules) => void preRun.accept(rules.map(allowId));
  const { lenses, disposables: lensDisposables } = registerCodeLens(controller, SCRIPT_SELECTOR);
  const diagnostics = new ScriptDiagnostics();
  return {
    dialogs,
    preRun,
    lenses,
    diagnostics,
    disposables: [
      ...lensDisposables,
      diagnostics,
      {
        dispose: () => {
          controller.gate = undefined;
          controller.onAlwaysAllowed = undefined;
        },
      },
    ],
  };
}
