// The Saved view's actions: run a saved workflow (asking for `args` when it reads them), open its
// file, refresh the list. Each takes the element it was invoked on or falls back to the view's
// selection, and returns a plain value so tests can drive it through executeCommand.
import * as vscode from 'vscode';
import type { SavedWorkflow } from '../../core';
import type { RunController } from '../runs/runController';
import { reportRefused } from '../runs/refusals';
import { askArgs } from '../ui/argsPrompt';
import { shouldAskArgs } from '../ui/argsQuestion';
import type { Dialogs } from '../ui/dialogs';
import type { SavedElement, SavedTreeProvider } from './savedTree';
import { scriptText } from './scriptText';

export interface SavedCommandDeps {
  controller: RunController;
  saved: SavedTreeProvider;
  savedView: vscode.TreeView<SavedElement>;
  /** The args question goes through the same dialogs as Run Workflow…'s (tests answer it). */
  dialogs: Dialogs;
  /** Shows a started run in the Runs view. */
  reveal(runId: string): void;
}

export function savedCommands(deps: SavedCommandDeps) {
  const savedOf = (el: SavedElement | undefined) => {
    const e = el ?? deps.savedView.selection[0];
    return e?.kind === 'workflow' ? e.workflow : undefined;
  };
  return {
    runSaved: (el?: SavedElement, args?: unknown) => runSaved(deps, savedOf(el), args, 'ifUsed'),
    runSavedWithArgs: (el?: SavedElement) => runSaved(deps, savedOf(el), undefined, 'always'),
    openSaved: async (el?: SavedElement) => {
      const wf = savedOf(el);
      if (!wf) return undefined;
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(wf.path), { preview: true });
      return editor.document.uri.toString();
    },
    refreshSaved: () => deps.saved.refresh(),
  };
}

/**
 * Runs a saved workflow. Asks for `args` when told to, or ('ifUsed') by Run Workflow…'s rule
 * (shouldAskArgs); an explicit `args` value (tests, other commands) skips the question.
 */
async function runSaved(
  deps: SavedCommandDeps,
  wf: SavedWorkflow | undefined,
  given: unknown,
  ask: 'ifUsed' | 'always',
): Promise<string | undefined> {
  if (!wf) {
    void vscode.window.showInformationMessage('Select a saved workflow in the Saved view first.');
    return undefined;
  }
  const uri = vscode.Uri.file(wf.path);
  let args = given;
  if (given === undefined && (ask === 'always' || shouldAskArgs(await scriptText(uri)))) {
    const answer = await askArgs(deps.dialogs, {
      title: `Run ${wf.name}`,
      prompt: wf.whenToUse
        ? `args (optional) — ${wf.whenToUse}`
        : 'args (optional): JSON, or any other text as a plain string. Empty: no args.',
    });
    if (!answer) return undefined; // cancelled: no run
    args = answer.args;
  }
  try {
    const session = await deps.controller.runFile(uri, { args });
    deps.reveal(session.runId);
    return session.runId;
  } catch (e) {
    return reportRefused(e);
  }
}
