// The words of an approval question in VS Code, built from untrusted text (the command, the agent's
// label, the run's name). Pure: no vscode import, so the unit tests read exactly what is shown.
//
// A notification is one line of at most 1000 characters in which `[text](command:…)` becomes a
// clickable link: a command appears in it only when it shows there exactly and whole (one line, no
// link syntax, short). Any other command is offered as "Show Command…", a modal whose detail is
// plain text with the whole command, line by line — the only place its Allow buttons are.
import type { ApprovalRequest } from '../core/ports';
import { codiconEscape, hasLinkSyntax, hiddenCount, nonAsciiCharacters, notificationText, oneLine, shorten, visibleText } from '../core/display';

export type ApprovalChoice = 'once' | 'always' | 'deny';

export const CHOICE_LABELS: Readonly<Record<ApprovalChoice, string>> = {
  once: 'Allow once',
  always: 'Always allow in this workspace',
  deny: 'Deny',
};

export const SHOW_COMMAND = 'Show Command…';

/** A command longer than this (as shown) goes to the modal rather than the notification. */
const MAX_INLINE = 300;
/** Labels and run names in one-line surfaces; the modal shows them whole. */
const MAX_NAME = 80;

export interface ApprovalQuestion extends ApprovalRequest {
  runName: string;
}

/** What the notification shows and offers. */
export interface ApprovalNotice {
  message: string;
  buttons: string[];
  /** The command is in the message, whole and exact. */
  inline: boolean;
}

/** The answers offered: "always" only when the request does not say that no rule would be saved. */
export function choicesFor(q: ApprovalRequest): ApprovalChoice[] {
  return q.rules !== undefined && q.rules.length === 0 ? ['once', 'deny'] : ['once', 'always', 'deny'];
}

function toolWords(q: ApprovalRequest): string {
  return !q.tool || q.tool === 'Bash' ? 'run a command' : `use ${q.tool}`;
}

/** A label or name on one line, cut visibly after escaping (escapes can be ten times the character). */
function name(s: string): string {
  return shorten(oneLine(s), MAX_NAME);
}

function who(q: ApprovalQuestion): string {
  return `Workflow "${notificationText(name(q.runName))}": agent "${notificationText(name(q.agentLabel))}"`;
}

/** VS Code cuts a notification message after this many characters. */
const NOTIFICATION_MAX = 1000;

/** Whether the notification can show the command exactly and whole. */
export function fitsNotification(command: string): boolean {
  return !command.includes('\n') && !hasLinkSyntax(command) && [...oneLine(command)].length <= MAX_INLINE;
}

export function approvalNotice(q: ApprovalQuestion): ApprovalNotice {
  const message = `${who(q)} wants to ${toolWords(q)} that no rule allows: ${oneLine(q.command)}`;
  if (fitsNotification(q.command) && message.length <= NOTIFICATION_MAX) {
    return { message, buttons: choicesFor(q).map((c) => CHOICE_LABELS[c]), inline: true };
  }
  const lines = q.command.split('\n').length;
  const size = `${lines > 1 ? `${lines} lines, ` : ''}${[...q.command].length} characters`;
  return {
    message: `${who(q)} wants to ${toolWords(q)} that no rule allows (${size}). Read it whole with Show Command before answering.`,
    buttons: [SHOW_COMMAND, CHOICE_LABELS.deny],
    inline: false,
  };
}

/** The modal's title line (plain text). */
export function reviewTitle(q: ApprovalQuestion): string {
  return `Agent "${name(q.agentLabel)}" of workflow "${name(q.runName)}" wants to ${toolWords(q)}:`;
}

/**
 * The modal's detail (plain text, whitespace kept): the whole command — numbered lines when there
 * are several — with every hidden character escaped, then what was escaped, why it asks, and the
 * rules "always" would save.
 */
export function reviewDetail(q: ApprovalQuestion): string {
  const lines = q.command.split('\n');
  const width = String(lines.length).length;
  const out = lines.length > 1 ? lines.map((l, i) => `${String(i + 1).padStart(width)}│ ${oneLine(l)}`) : [oneLine(q.command)];
  out.push('');
  const hidden = hiddenCount(q.command) + (q.command.match(/\t/g)?.length ?? 0);
  if (hidden) out.push(`⚠ ${hidden} invisible or control character${hidden === 1 ? ' is' : 's are'} shown as \\x.. / \\u.... escapes.`);
  const foreign = nonAsciiCharacters(q.command);
  if (foreign.length) out.push(`⚠ Non-ASCII characters (they may look like ASCII ones): ${foreign.slice(0, 20).join(', ')}${foreign.length > 20 ? ` and ${foreign.length - 20} more` : ''}.`);
  if (q.reason) out.push(`Why: ${visibleText(q.reason, { multiline: true })}`);
  if (q.rules?.length) out.push(`"Always" saves: ${q.rules.map(oneLine).join(', ')}`);
  out.push(`Agent: ${oneLine(q.agentLabel)}`, `Workflow: ${oneLine(q.runName)}`);
  return out.join('\n');
}

/** The pending-approvals quick pick's row: one line, codicons as text; choosing it opens the modal. */
export function pickRow(q: ApprovalQuestion): { label: string; description: string } {
  return {
    label: codiconEscape(shorten(oneLine(q.command), 200)),
    description: codiconEscape(`agent "${name(q.agentLabel)}" · ${name(q.runName)}`),
  };
}

/** One line for logs and the status bar's tooltip (plain text). */
export function logText(s: string): string {
  return oneLine(s);
}
