// Asking the person before an agent runs a command no rule allows (the engine's Approver port):
// a notification naming the run, the agent and the exact command, with Allow once / Always allow
// in this workspace / Deny. Only the asking agent waits; its siblings keep working, and several
// questions can be open at once. Every answer — a notification button, the status-bar quick pick,
// a test — goes through answer(), and a run that ends withdraws its open questions (as Deny).
// Everything shown is built by approvalText.ts: untrusted text never becomes a link, an icon or a
// hidden character, and a command the notification cannot show whole is read in a modal first.
import * as vscode from 'vscode';
import type { ApprovalRequest, Approver } from '../core/ports';
import { notificationText, shorten } from '../core/display';
import { approvalNotice, CHOICE_LABELS, choicesFor, logText, pickRow, reviewDetail, reviewTitle, SHOW_COMMAND, type ApprovalChoice, type ApprovalQuestion } from './approvalText';

export { CHOICE_LABELS, type ApprovalChoice } from './approvalText';

export interface PendingApproval extends ApprovalQuestion {
  readonly id: string;
  /** The notification's text, as shown. */
  readonly message: string;
  /** The notification's buttons. */
  readonly buttons: readonly string[];
  /** What Show Command (and the status bar's list) shows: title and plain-text detail with the whole command. */
  readonly review: { readonly title: string; readonly detail: string; readonly buttons: readonly string[] };
}

/** What became of an answer: taken, too late (the run ended and withdrew it), or for no known question. */
export type AnswerOutcome = 'answered' | 'withdrawn' | 'unknown';

interface Entry extends PendingApproval {
  resolve(choice: ApprovalChoice): void;
}

/** Withdrawn ids remembered for the "run has ended" reply; older ones just get no reply. */
const WITHDRAWN_KEPT = 500;

export class Approvals implements vscode.Disposable {
  private readonly pending = new Map<string, Entry>();
  /** id → run name of questions withdrawn because their run ended. */
  private readonly withdrawn = new Map<string, string>();
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a question is asked, answered or withdrawn. */
  readonly onDidChange = this.changed.event;
  private readonly item = vscode.window.createStatusBarItem('dynamicWorkflows.approvals', vscode.StatusBarAlignment.Left, 49);
  private readonly command: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.item.name = 'Workflow approvals';
    this.item.command = 'dynamicWorkflows.showApprovals';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.command = vscode.commands.registerCommand('dynamicWorkflows.showApprovals', () => this.pick());
  }

  /** The Approver for one run; `runName` is what the person knows the run by. */
  approverFor(runName: string): Approver {
    return { approveCommand: (req) => this.ask({ ...req, runName }) };
  }

  /** The status bar's text, for tests; undefined while it is hidden. */
  get statusText(): string | undefined {
    return this.pending.size ? this.item.text : undefined;
  }

  /** Open questions, oldest first. */
  list(): PendingApproval[] {
    return [...this.pending.values()].map(({ resolve: _resolve, ...p }) => p);
  }

  /** The one way an answer gets in. A question already answered elsewhere is left as it was. */
  answer(id: string, choice: ApprovalChoice): AnswerOutcome {
    const entry = this.pending.get(id);
    if (!entry) {
      const runName = this.withdrawn.get(id);
      if (runName === undefined) return 'unknown';
      void vscode.window.showInformationMessage(`Workflow "${notificationText(runName)}" has ended; its request to run a command was withdrawn.`);
      return 'withdrawn';
    }
    this.pending.delete(id);
    this.log.info(`[${logText(entry.runName)}] ${CHOICE_LABELS[choice]}: agent "${logText(entry.agentLabel)}" → ${logText(entry.command)}`);
    entry.resolve(choice);
    this.update();
    return 'answered';
  }

  /** Withdraws a run's open questions (answered Deny, so its agents stop waiting); returns how many. */
  withdraw(runId: string): number {
    let n = 0;
    for (const entry of [...this.pending.values()]) {
      if (entry.runId !== runId) continue;
      this.pending.delete(entry.id);
      this.withdrawn.set(entry.id, entry.runName);
      entry.resolve('deny');
      n++;
    }
    for (const id of [...this.withdrawn.keys()].slice(0, Math.max(0, this.withdrawn.size - WITHDRAWN_KEPT))) this.withdrawn.delete(id);
    if (n) {
      this.log.info(`run ${runId} ended: ${n} approval request${n === 1 ? '' : 's'} withdrawn`);
      this.update();
    }
    return n;
  }

  /** The status bar's quick pick rows (one line each, codicons as text), for the pick and tests. */
  pickItems(): (vscode.QuickPickItem & { id: string })[] {
    return this.list().map((p) => ({ ...pickRow(p), id: p.id }));
  }

  /** The status bar's quick pick: choose an open question, then read it whole and answer in the modal. */
  async pick(): Promise<void> {
    const items = this.pickItems();
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No workflow agent is waiting for approval.');
      return;
    }
    const which = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Commands waiting for approval', matchOnDescription: true });
    if (which) await this.review(which.id);
  }

  /**
   * The whole question in a modal (plain text, whitespace kept): the only place a command the
   * notification could not show is allowed. Closing it is no answer.
   */
  async review(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) return;
    const label = await vscode.window.showWarningMessage(entry.review.title, { modal: true, detail: entry.review.detail }, ...entry.review.buttons);
    const choice = (Object.keys(CHOICE_LABELS) as ApprovalChoice[]).find((c) => CHOICE_LABELS[c] === label);
    if (choice) this.answer(id, choice);
  }

  dispose(): void {
    for (const entry of this.pending.values()) entry.resolve('deny');
    this.pending.clear();
    this.command.dispose();
    this.item.dispose();
    this.changed.dispose();
  }

  private ask(req: ApprovalRequest & { runName: string }): Promise<ApprovalChoice> {
    const id = `approval-${this.nextId++}`;
    const notice = approvalNotice(req);
    const review = { title: reviewTitle(req), detail: reviewDetail(req), buttons: choicesFor(req).map((c) => CHOICE_LABELS[c]) };
    const answered = new Promise<ApprovalChoice>((resolve) =>
      this.pending.set(id, { ...req, id, message: notice.message, buttons: notice.buttons, review, resolve }),
    );
    this.log.info(`[${logText(req.runName)}] agent "${logText(req.agentLabel)}" asks to run: ${logText(req.command)}`);
    this.update();
    // Not awaited: the agent waits on `answered`. Closing the notification is no answer — the
    // question stays open in the status bar's list.
    void vscode.window.showWarningMessage(notice.message, ...notice.buttons).then((label) => {
      if (label === SHOW_COMMAND) return this.review(id);
      const choice = (Object.keys(CHOICE_LABELS) as ApprovalChoice[]).find((c) => CHOICE_LABELS[c] === label);
      if (choice) this.answer(id, choice);
    });
    return answered;
  }

  private update(): void {
    const n = this.pending.size;
    void vscode.commands.executeCommand('setContext', 'dynamicWorkflows.approvalsPending', n > 0);
    if (n === 0) this.item.hide();
    else {
      this.item.text = `$(shield) ${n} approval${n === 1 ? '' : 's'} pending`;
      this.item.tooltip = this.list().map((p) => `${logText(p.runName)} · ${logText(p.agentLabel)}: ${shorten(logText(p.command), 200)}`).join('\n');
      this.item.show();
    }
    this.changed.fire();
  }
}
