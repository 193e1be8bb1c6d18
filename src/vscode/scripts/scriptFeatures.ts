// The script-side features in one place for the composition root: the pre-run dialog as the
// controller's run gate, Run Workflow…, Resume Run…, Save Run as Workflow…, CodeLens and live
// diagnostics for workflow scripts.
import type * as vscode from 'vscode';
import type { RunController } from '../runs/runController';
import { windowDialogs, type Dialogs } from '../ui/dialogs';
import { PreRunModal } from './preRunModal';
import { allowId } from '../settings/workspaceSteering';
import { registerRunWorkflow } from './runWorkflow';
import { registerResume } from '../runs/resumeRun';
import { registerRaiseCap } from '../runs/raiseCap';
import { registerSave } from './saveAsWorkflow';
import { registerNewWorkflow } from './newWorkflow';
import { registerRunsManagement } from '../runs/runsManagement';
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
  bundledDir?: string;
  reveal(runId: string): void;
  log(message: string): void;
}): ScriptFeatures {
  const { controller } = options;
  const dialogs = windowDialogs();
  const preRun = new PreRunModal(options.workspaceState, dialogs);
  controller.gate = preRun.gate;
  controller.onAlwaysAllowed = (rules) => void preRun.accept(rules.map(allowId));
  const deps = { controller, dialogs, reveal: options.reveal };
  const { lenses, disposables: lensDisposables } = registerCodeLens(controller, SCRIPT_SELECTOR);
  const diagnostics = new ScriptDiagnostics();
  return {
    dialogs,
    preRun,
    lenses,
    diagnostics,
    disposables: [
      ...registerRunWorkflow({ ...deps, bundledDir: options.bundledDir, log: options.log }),
      ...registerResume(deps),
      ...registerRaiseCap(deps),
      ...registerSave(deps),
      ...registerNewWorkflow(deps),
      ...registerRunsManagement({ controller, dialogs, preRun }),
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
