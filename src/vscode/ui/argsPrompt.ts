// The `args` question of Run Workflow… and Resume Run…: JSON or plain text, checked as it is typed.
import * as vscode from 'vscode';
import { parseArgsText } from '../../core';
import type { Dialogs } from './dialogs';

/** Asks for `args`; undefined when cancelled, `given: false` when left empty. */
export async function askArgs(
  dialogs: Dialogs,
  options: { title: string; prompt: string },
): Promise<{ args: unknown; given: boolean } | undefined> {
  const text = await dialogs.input({
    title: options.title,
    prompt: options.prompt,
    placeHolder: 'e.g. ["src/a.ts", "src/b.ts"], {"files": 3} or a plain string',
    ignoreFocusOut: true,
    validateInput: (t) => {
      const r = parseArgsText(t, 'args');
      return r.ok ? undefined : r.error;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseArgsText(text, 'args');
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(parsed.error);
    return undefined;
  }
  return { args: parsed.args, given: parsed.given };
}
