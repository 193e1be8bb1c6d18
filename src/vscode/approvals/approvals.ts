// Asking the person before an agent runs a command no rule allows (the engine's Approver port):
// a notification naming the run, the agent and the exact command. Only the asking agent waits
// (and lends its concurrency slot out meanwhile); its siblings keep working, and several questions
// can be open at once. Every answer — a notification link, the Runs tree's inline Allow/Deny, the
// status-bar pick, a test — goes through answer(); a run that ends withdraws its open questions.
//
// Why a progress notification: a plain showWarningMessage cannot be closed by an extension, so an
// answered or withdrawn question stayed in the Notification Center with live buttons. A
// `withProgress` notification closes when its task settles, so each question's notification is
// tied to the question: answered anywhere, withdrawn or disposed, it goes away. It has no custom
// buttons, so the answers are links to our own commands (VS Code renders `[label](command:…)` in
// extension progress notifications); untrusted text is escaped so it never forms a link. Its one
// button, Cancel, denies — cancelling the request is refusing it. A click that still arrives late
// (a link in a notification closing at that moment) is told what became of the question.
// Everything shown is built by approvalText.ts.
import * as vscode from 'vscode';
import { notificationText, shorten, type ApprovalRequest, type Approver } from '../../core';
import {
  ANSWERED,
  approvalNotice,
  linksMarkdown,
  logText,
  pickRow,
  reviewButtons,
  reviewDetail,
  reviewTitle,
  rulesOf,
  type ApprovalChoice,
  type ApprovalQuestion,
  type NoticeLink,
} from './approvalText';

export { CHOICE_LABELS, type ApprovalChoice } from './approvalText';

export interface PendingApproval extends ApprovalQuestion {
  readonly id: string;
  /** The notification's text, as shown. */
  readonly message: string;
  /** The notification's answers (links), in order. */
  readonly buttons: readonly string[];
  readonly links: readonly NoticeLink[];
  /** What Show Command (and the status bar's list) shows: title and plain-text detail with the whole command. */
  readonly review: { readonly title: string; readonly detail: string; readonly buttons: readonly string[] };
}

/** What became of an answer: taken, too late (answered before, or withdrawn), or for no known question. */
export type AnswerOutcome = 'answered' | 'already answered' | 'withdrawn' | 'unknown';

interface Entry extends PendingApproval {
  resolve(choice: ApprovalChoice): void;
  /** Settles the notification's task, which closes it. */
  close(): void;
}

/** Closed questions remembered for a late click's reply; older ones get "no longer open". */
const CLOSED_KEPT = 500;

export class Approvals implements vscode.Disposable {
  private readonly pending = new Map<string, Entry>();
  /** id → what a late click is told: how the question was closed. */
  private readonly closed = new Map<string, { outcome: 'already answered' | 'withdrawn'; text: string }>();
  /** Ids whose notification is still on screen (its task has not settled). */
  private readonly notices = new Set<string>();
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a question is asked, answered or withdrawn. */
  readonly onDidChange = this.changed.event;
  private readonly item = vscode.window.createStatusBarItem(
    'dynamicWorkflows.approvals',
    vscode.StatusBarAlignment.Left,
    49,
  );
  /** Late-click replies shown, newest last (tests read them; the person sees each as a message). */
  readonly replies: string[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.item.name = 'Workflow approvals';
    this.item.command = 'dynamicWorkflows.showApprovals';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  // The notification's links (answerApproval, reviewApproval); arguments come from our own link, but check them anyway.
  answerLink(id: unknown, choice: unknown): AnswerOutcome | 'unknown' {
    return typeof id === 'string' && isChoice(choice) ? this.answer(id, choice) : 'unknown';
  }

  reviewLink(id: unknown): Promise<void> | undefined {
    return typeof id === 'string' ? this.review(id) : undefined;
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
    return [...this.pending.values()].map(({ resolve: _resolve, close: _close, ...p }) => p);
  }

  /** The open question of one agent of a run (the Runs tree shows it as waiting). */
  forAgent(runId: string, agentId: string): PendingApproval | undefined {
    return this.list().find((p) => p.runId === runId && p.agentId === agentId);
  }

  /** Ids of questions whose notification is still on screen. */
  openNotifications(): string[] {
    return [...this.notices];
  }

  /**
   * The one way an answer gets in. A question answered or withdrawn before is left as it was, and
   * the person is told what became of it — a click is never met with silence.
   */
  answer(id: string, choice: ApprovalChoice): AnswerOutcome {
    const entry = this.pending.get(id);
    if (!entry) {
      const closed = this.closed.get(id);
      this.reply(closed?.text ?? 'This approval request is no longer open.');
      return closed?.outcome ?? 'unknown';
    }
    this.pending.delete(id);
    this.remember(id, {
      outcome: 'already answered',
      text: `Workflow "${notificationText(shorten(entry.runName, 80))}": this request was already answered: ${ANSWERED[choice]}.`,
    });
    const saves = rulesOf(entry, choice);
    this.log.info(
      `[${logText(entry.runName)}] ${ANSWERED[choice]}${saves.length ? ` (saves ${saves.map(logText).join(', ')})` : ''}: agent "${logText(entry.agentLabel)}" → ${logText(entry.command)}`,
    );
    entry.resolve(choice);
    entry.close();
    this.update();
    return 'answered';
  }

  /**
   * Withdraws a run's open questions (answered Deny, so its agents stop waiting) and closes their
   * notifications; `why` completes "withdrawn: …" for a late click. Returns how many.
   */
  withdraw(runId: string, why = 'the run ended'): number {
    return this.withdrawWhere((e) => e.runId === runId, why, `run ${runId}`);
  }

  /** Withdraws the open question of one agent that no longer waits for it (skipped, failed…). */
  withdrawAgent(runId: string, agentId: string, why: string): number {
    if (!this.pending.size) return 0;
    return this.withdrawWhere((e) => e.runId === runId && e.agentId === agentId, why, `run ${runId} agent ${agentId}`);
  }

  private withdrawWhere(which: (e: Entry) => boolean, why: string, what: string): number {
    let n = 0;
    for (const entry of [...this.pending.values()]) {
      if (!which(entry)) continue;
      this.pending.delete(entry.id);
      this.remember(entry.id, {
        outcome: 'withdrawn',
        text: `Workflow "${notificationText(shorten(entry.runName, 80))}": this request was withdrawn: ${why}.`,
      });
      entry.resolve('deny');
      entry.close();
      n++;
    }
    if (n) {
      this.log.info(`${what}: ${n} approval request${n === 1 ? '' : 's'} withdrawn (${why})`);
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
    const which =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, {
            title: 'Commands waiting for approval',
            matchOnDescription: true,
          });
    if (which) await this.review(which.id);
  }

  /**
   * The whole question in a modal (plain text, whitespace kept): the only place a command the
   * notification could not show is allowed. Its first button is the default (Deny for a
   * destructive command). Closing it is no answer.
   */
  async review(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) {
      this.reply(this.closed.get(id)?.text ?? 'This approval request is no longer open.');
      return;
    }
    const buttons = reviewButtons(entry);
    const label = await vscode.window.showWarningMessage(
      entry.review.title,
      { modal: true, detail: entry.review.detail },
      ...buttons.map((b) => b.label),
    );
    const choice = buttons.find((b) => b.label === label)?.choice;
    if (choice) this.answer(id, choice);
  }

  dispose(): void {
    for (const entry of this.pending.values()) {
      entry.resolve('deny');
      entry.close();
    }
    this.pending.clear();
    this.item.dispose();
    this.changed.dispose();
  }

  private ask(req: ApprovalRequest & { runName: string }): Promise<ApprovalChoice> {
    const id = `approval-${this.nextId++}`;
    const notice = approvalNotice(req);
    const review = {
      title: reviewTitle(req),
      detail: reviewDetail(req),
      buttons: reviewButtons(req).map((b) => b.label),
    };
    let close = () => {};
    const closing = new Promise<void>((resolve) => (close = resolve));
    const answered = new Promise<ApprovalChoice>((resolve) =>
      this.pending.set(id, {
        ...req,
        id,
        message: notice.message,
        buttons: notice.buttons,
        links: notice.links,
        review,
        resolve,
        close,
      }),
    );
    this.log.info(`[${logText(req.runName)}] agent "${logText(req.agentLabel)}" asks to run: ${logText(req.command)}`);
    this.update();
    this.notices.add(id);
    // Not awaited: the agent waits on `answered`; the notification lasts until `closing` settles.
    void vscode.window
      // VS Code shows `title: message`, so the question's last full stop gives way to the colon.
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: notice.message.replace(/\.$/, ''), cancellable: true },
        (progress, token) => {
          progress.report({ message: linksMarkdown(id, notice.links) });
          token.onCancellationRequested(() => {
            if (this.pending.has(id)) this.answer(id, 'deny');
          });
          return closing;
        },
      )
      .then(() => this.notices.delete(id));
    return answered;
  }

  private reply(text: string): void {
    this.replies.push(text);
    if (this.replies.length > 20) this.replies.shift();
    void vscode.window.showInformationMessage(text);
  }

  private remember(id: string, how: { outcome: 'already answered' | 'withdrawn'; text: string }): void {
    this.closed.set(id, how);
    for (const old of [...this.closed.keys()].slice(0, Math.max(0, this.closed.size - CLOSED_KEPT)))
      this.closed.delete(old);
  }

  private update(): void {
    const n = this.pending.size;
    void vscode.commands.executeCommand('setContext', 'dynamicWorkflows.approvalsPending', n > 0);
    if (n === 0) this.item.hide();
    else {
      this.item.text = `$(shield) ${n} approval${n === 1 ? '' : 's'} pending`;
      this.item.tooltip = this.list()
        .map((p) => `${logText(p.runName)} · ${logText(p.agentLabel)}: ${shorten(logText(p.command), 200)}`)
        .join('\n');
      this.item.show();
    }
    this.changed.fire();
  }
}

function isChoice(c: unknown): c is ApprovalChoice {
  return c === 'once' || c === 'always' || c === 'prefix' || c === 'deny';
}
