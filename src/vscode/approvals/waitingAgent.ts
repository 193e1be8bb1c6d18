// An agent waiting for the person's answer, as the Runs tree shows it: its own state (a shield,
// not a spinner), the command it waits on in the description, the whole command in the tooltip,
// and a context value for the inline Allow and Deny actions (package.json menus).
import * as vscode from 'vscode';
import { markdownEscape, markdownFence, shorten } from '../../core';
import type { PendingApproval } from './approvals';
import { waitingDescription } from './approvalText';

export const WAITING_CONTEXT = 'agent.waiting';

const WAITING_ICON = new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.warningForeground'));

/** Turns a running agent's item into a waiting one. */
export function showWaiting(item: vscode.TreeItem, q: PendingApproval): void {
  item.iconPath = WAITING_ICON;
  item.description = waitingDescription(q);
  item.contextValue = WAITING_CONTEXT;
}

/** The tooltip's part about the question (untrusted text fenced or escaped). */
export function appendWaitingTooltip(md: vscode.MarkdownString, q: PendingApproval): void {
  md.appendMarkdown(
    `\n\n**Waiting for approval** to ${q.tool && q.tool !== 'Bash' ? markdownEscape(q.tool) : 'run'}:\n${markdownFence(shorten(q.command, 2000), 'text')}`,
  );
  if (q.destructive) md.appendMarkdown(`\n⚠ ${markdownEscape(q.destructive)}`);
}
