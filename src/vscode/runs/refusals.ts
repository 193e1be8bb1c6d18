// How every run command reports a run that could not start: a refused run becomes an error
// message with its fix as a button; a run the person declined in the pre-run dialog says nothing.
import * as vscode from 'vscode';
import { RunDeclined, RunRefused } from './runController';
import { notificationText } from '../../core';
import { quoteCodeSpans } from '../ui/noticeText';

export function reportRefused(e: unknown): undefined {
  if (!(e instanceof RunRefused)) throw e;
  if (e instanceof RunDeclined) return undefined;
  const action = e.action;
  // The message may quote the script (its meta, a parse error): no link, no hidden character.
  const message = quoteCodeSpans(notificationText(e.message));
  // Not awaited: the message's promise settles only when the person closes it.
  if (!action) void vscode.window.showErrorMessage(message);
  else
    void vscode.window
      .showErrorMessage(message, action.title)
      .then((pick) => pick && vscode.commands.executeCommand(action.command));
  return undefined;
}
