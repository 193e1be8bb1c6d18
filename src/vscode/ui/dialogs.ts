// The questions the workflow commands ask, behind one object. The extension hands out VS Code's own
// dialogs; the in-host tests replace single methods to answer them and to read what was asked, so
// everything around the dialog (listing, validation, what each answer does) runs for real.
import * as vscode from 'vscode';

export interface Dialogs {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** An input box; `validateInput` is the caller's check (tests call it on their answer too). */
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** A modal with a detail text; the chosen button's title, undefined when cancelled. */
  modal(message: string, detail: string, ...buttons: string[]): Thenable<string | undefined>;
  /** The same as a warning (overwriting a file). */
  warn(message: string, detail: string, ...buttons: string[]): Thenable<string | undefined>;
}

export function windowDialogs(): Dialogs {
  return {
    pick: (items, options) => vscode.window.showQuickPick(items, options),
    input: (options) => vscode.window.showInputBox(options),
    modal: (message, detail, ...buttons) =>
      vscode.window.showInformationMessage(message, { modal: true, detail }, ...buttons),
    warn: (message, detail, ...buttons) =>
      vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons),
  };
}
