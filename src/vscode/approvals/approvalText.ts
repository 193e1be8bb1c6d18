// The words of an approval question in VS Code, built from untrusted text (the command, the agent's
// label, the run's name). Pure: no vscode import, so the unit tests read exactly what is shown.
//
// A notification is one line of at most 1000 characters in which `[text](command:…)` becomes a
// clickable link: a command appears in it only when it shows there exactly and whole (one line, no
// link syntax, short). Any other command is offered as "Show Command…", a modal whose detail is
// plain text with the whole command, line by line — the only place its Allow buttons are. The
// answers are our own `command:` links (approvals.ts says why); untrusted text never forms one.
import {
  codiconEscape,
  hasLinkSyntax,
  hiddenCount,
  nonAsciiCharacters,
  notificationText,
  oneLine,
  shorten,
  visibleText,
  type ApprovalAnswer,
  type ApprovalRequest,
} from '../../core';
import { COMMANDS } from '../commandIds';

export type ApprovalChoice = ApprovalAnswer;

/** Short names of the answers: the notification's links and the log. */
export const CHOICE_LABELS: Readonly<Record<ApprovalChoice, string>> = {
  once: 'Allow once',
  always: 'Always allow',
  prefix: 'Always allow prefix',
  deny: 'Deny',
};

/** What became of a question, for the log and for a late click ("already answered: Allowed once"). */
export const ANSWERED: Readonly<Record<ApprovalChoice, string>> = {
  once: 'Allowed once',
  always: 'Always allowed',
  prefix: 'Always allowed (prefix rule)',
  deny: 'Denied',
};

export const SHOW_COMMAND = 'Show Command…';

/** The commands the notification's links run (answered by Approvals; registered by the command table). */
export const ANSWER_COMMAND = COMMANDS.answerApproval;
export const REVIEW_COMMAND = COMMANDS.reviewApproval;

/** A command longer than this (as shown) goes to the modal rather than the notification. */
const MAX_INLINE = 300;
/** Labels and run names in one-line surfaces; the modal shows them whole. */
const MAX_NAME = 80;
/** A rule longer than this is named in the modal's detail, not on its button. */
const MAX_RULE_BUTTON = 60;

export interface ApprovalQuestion extends ApprovalRequest {
  runName: string;
}

/** One link of the notification: an answer, or "Show Command…" (the modal). */
export interface NoticeLink {
  label: string;
  action: ApprovalChoice | 'review';
}

/** What the notification shows and offers. */
export interface ApprovalNotice {
  /** The question (plain text, nothing in it forms a link). */
  message: string;
  links: NoticeLink[];
  /** The links' labels, in order. */
  buttons: string[];
  /** The command is in the message, whole and exact. */
  inline: boolean;
}

/**
 * The answers offered, first one first: "always" only when the request does not say that no rule
 * would be saved, "prefix" only when the gate offers a prefix rule; Deny leads for a command that
 * may destroy work, so the first button is never "Allow once" for it.
 */
export function choicesFor(q: ApprovalRequest): ApprovalChoice[] {
  const always = !(q.rules !== undefined && q.rules.length === 0);
  const allow: ApprovalChoice[] = [
    'once',
    ...(always ? (['always'] as const) : []),
    ...(always && q.prefixRules?.length ? (['prefix'] as const) : []),
  ];
  return q.destructive ? ['deny', ...allow] : [...allow, 'deny'];
}

/** The rules an answer saves (none for once and deny). */
export function rulesOf(q: ApprovalRequest, choice: ApprovalChoice): string[] {
  return choice === 'always' ? (q.rules ?? []) : choice === 'prefix' ? (q.prefixRules ?? []) : [];
}

/**
 * A modal button: "Always allow Bash(npm run lint)" names the rule it saves when that is short
 * and plain (a dialog button takes `&&` as a mnemonic); otherwise it points at the detail,
 * which always lists the rules.
 */
export function choiceButton(q: ApprovalRequest, choice: ApprovalChoice): string {
  if (choice !== 'always' && choice !== 'prefix') return CHOICE_LABELS[choice];
  const rules = rulesOf(q, choice).map(oneLine).join(', ');
  if (rules && [...rules].length <= MAX_RULE_BUTTON && !/&|\$\(/.test(rules)) return `Always allow ${rules}`;
  if (!rules) return CHOICE_LABELS[choice];
  return choice === 'always' ? 'Always allow (the exact rule above)' : 'Always allow (the prefix rule above)';
}

/** The modal's buttons, in order, with the answer each gives. */
export function reviewButtons(q: ApprovalRequest): { label: string; choice: ApprovalChoice }[] {
  return choicesFor(q).map((choice) => ({ label: choiceButton(q, choice), choice }));
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

/** What the answers save and why Deny leads, for the notification (escaped: rules come from the command). */
function consequences(q: ApprovalQuestion): string {
  const parts: string[] = [];
  if (q.destructive) parts.push(`⚠ ${notificationText(q.destructive)}.`);
  const choices = choicesFor(q);
  for (const c of ['always', 'prefix'] as const) {
    const rules = rulesOf(q, c);
    if (choices.includes(c) && rules.length)
      parts.push(`"${CHOICE_LABELS[c]}" saves ${rules.map(notificationText).join(', ')}.`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** A link that runs one of our commands with JSON arguments (VS Code's `command:` URI form). */
export function commandLink(command: string, args: readonly unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(
    /[()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `command:${command}?${query}`;
}

/** The notification's links as VS Code renders them: `[Allow once](command:…) · [Deny](command:…)`. */
export function linksMarkdown(id: string, links: readonly NoticeLink[]): string {
  return links
    .map(
      (l) =>
        `[${l.label}](${l.action === 'review' ? commandLink(REVIEW_COMMAND, [id]) : commandLink(ANSWER_COMMAND, [id, l.action])})`,
    )
    .join(' · ');
}

/** The longest id Approvals hands out is far shorter; the length check below assumes this one. */
const ID_FOR_LENGTH = 'approval-99999999';

export function approvalNotice(q: ApprovalQuestion): ApprovalNotice {
  const message = `${who(q)} wants to ${toolWords(q)} that no rule allows: ${oneLine(q.command)}${consequences(q)}`;
  const links = choicesFor(q).map((c) => ({ label: CHOICE_LABELS[c], action: c }));
  // VS Code shows `title: links` and cuts the whole raw text, link targets included.
  if (fitsNotification(q.command) && `${message}: ${linksMarkdown(ID_FOR_LENGTH, links)}`.length <= NOTIFICATION_MAX) {
    return { message, links, buttons: links.map((l) => l.label), inline: true };
  }
  const lines = q.command.split('\n').length;
  const size = `${lines > 1 ? `${lines} lines, ` : ''}${[...q.command].length} characters`;
  const review: NoticeLink[] = [
    { label: SHOW_COMMAND, action: 'review' },
    { label: CHOICE_LABELS.deny, action: 'deny' },
  ];
  return {
    message: `${who(q)} wants to ${toolWords(q)} that no rule allows (${size}). Read it whole with Show Command before answering.`,
    links: review,
    buttons: review.map((l) => l.label),
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
  const out =
    lines.length > 1 ? lines.map((l, i) => `${String(i + 1).padStart(width)}│ ${oneLine(l)}`) : [oneLine(q.command)];
  out.push('');
  const hidden = hiddenCount(q.command) + (q.command.match(/\t/g)?.length ?? 0);
  if (hidden)
    out.push(
      `⚠ ${hidden} invisible or control character${hidden === 1 ? ' is' : 's are'} shown as \\x.. / \\u.... escapes.`,
    );
  const foreign = nonAsciiCharacters(q.command);
  if (foreign.length)
    out.push(
      `⚠ Non-ASCII characters (they may look like ASCII ones): ${foreign.slice(0, 20).join(', ')}${foreign.length > 20 ? ` and ${foreign.length - 20} more` : ''}.`,
    );
  if (q.destructive) out.push(`⚠ Destructive: ${oneLine(q.destructive)}.`);
  if (q.reason) out.push(`Why: ${visibleText(q.reason, { multiline: true })}`);
  const choices = choicesFor(q);
  if (q.rules?.length && choices.includes('always'))
    out.push(`"Always allow" saves: ${q.rules.map(oneLine).join(', ')}`);
  if (q.prefixRules?.length && choices.includes('prefix'))
    out.push(
      `"Always allow prefix" saves: ${q.prefixRules.map(oneLine).join(', ')} (every command starting with those words)`,
    );
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

/** Words after "waiting for approval: " in the Runs tree's description. */
const MAX_TREE_COMMAND = 60;

/** The Runs tree's description of an agent waiting for an answer: one line, escaped, cut visibly. */
export function waitingDescription(q: ApprovalRequest): string {
  return `waiting for approval: ${shorten(oneLine(q.command), MAX_TREE_COMMAND)}`;
}

/**
 * Whether one click on the tree's inline Allow may answer "Allow once": only for a command the
 * notification shows whole and that is not destructive; otherwise Allow opens the modal first.
 */
export function allowsOneClick(q: ApprovalQuestion): boolean {
  return !q.destructive && approvalNotice(q).inline;
}
