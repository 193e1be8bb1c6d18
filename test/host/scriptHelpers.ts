// Answers for the dialogs the workflow commands ask (api.scripts.dialogs), with a record of what
// was asked: the code around each dialog — listing, validation, what each answer does — is real.
import type * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { Dialogs } from '../../src/vscode/ui/dialogs';

export interface Asked {
  picks: { items: vscode.QuickPickItem[]; options: vscode.QuickPickOptions }[];
  inputs: { options: vscode.InputBoxOptions; answer: string | undefined; problem?: string | null }[];
  modals: { message: string; detail: string; buttons: string[] }[];
  warnings: { message: string; detail: string; buttons: string[] }[];
}

export interface Answers {
  pick?: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined;
  /** Typed into the input box (after the box's own validation; a problem is recorded). */
  input?: string | ((options: vscode.InputBoxOptions) => string | undefined);
  /** The modal's button; a list answers successive modals in order (then Cancel). */
  modal?: string | readonly (string | undefined)[];
  warn?: string;
}

/** Replaces the dialogs until `restore()`; every question is recorded in `asked`. */
export function answer(api: DynamicWorkflowsApi, answers: Answers): { asked: Asked; restore(): void } {
  const dialogs = api.scripts.dialogs;
  const saved: Dialogs = { ...dialogs };
  const asked: Asked = { picks: [], inputs: [], modals: [], warnings: [] };
  dialogs.pick = (async (items: readonly vscode.QuickPickItem[], options: vscode.QuickPickOptions) => {
    asked.picks.push({ items: [...items], options });
    return answers.pick?.(items);
  }) as Dialogs['pick'];
  dialogs.input = async (options) => {
    const typed = typeof answers.input === 'function' ? answers.input(options) : answers.input;
    const problem = typed === undefined ? undefined : await options.validateInput?.(typed);
    asked.inputs.push({
      options,
      answer: typed,
      problem: typeof problem === 'string' || problem === null ? problem : undefined,
    });
    return typed;
  };
  dialogs.modal = async (message, detail, ...buttons) => {
    asked.modals.push({ message, detail, buttons });
    return typeof answers.modal === 'string' || answers.modal === undefined
      ? answers.modal
      : answers.modal[asked.modals.length - 1];
  };
  dialogs.warn = async (message, detail, ...buttons) => {
    asked.warnings.push({ message, detail, buttons });
    return answers.warn;
  };
  return { asked, restore: () => Object.assign(dialogs, saved) };
}
