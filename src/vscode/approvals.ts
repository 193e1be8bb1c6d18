// Asking the person before an agent runs a command no rule allows (the engine's Approver port):
// a notification naming the run, the agent and the exact command, with Allow once / Always allow
// in this workspace / Deny. Only the asking agent waits; its siblings keep working, and several
// questions can be open at once. Every answer — a notification button, the status-bar quick pick,
// a test — goes through answer(), and a run that ends withdraws its open questions (as Deny).
import * as vscode from 'vscode';
import type { Approver } from '../core/ports';

export type ApprovalChoice = 'once' | 'always' | 'deny';

export const CHOICE_LABELS: Readonly<Record<ApprovalChoice, string>> = {
  once: 'Allow once',
  always: 'Always allow in this workspace',
  deny: 'Deny',
};

export interface PendingApproval {
  readonly id: string;
  readonly runId: string;
  readonly runName: string;
  readonly agentLabel: string;
  readonly command: string;
  /** The notification's text, as shown. */
  readonly message: string;
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
    return { approveCommand: (req) => this.ask({ runName, ...req }) };
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
      void vscode.window.showInformationMessage(`Workflow "${runName}" has ended; its request to run a command was withdrawn.`);
      return 'withdrawn';
    }
    this.pending.delete(id);
    this.log.info(`[${entry.runName}] ${CHOICE_LABELS[choice]}: agent "${entry.agentLabel}" → ${entry.command}`);
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

  /** The status bar's quick pick: choose an open question, then the answer. */
  async pick(): Promise<void> {
    const items = this.list().map((p) => ({ label: p.command, description: `agent "${p.agentLabel}" · ${p.runName}`, id: p.id }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No workflow agent is waiting for approval.');
      return;
    }
    const which = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Commands waiting for approval', matchOnDescription: true });
    if (!which) return;
    const choices = (Object.keys(CHOICE_LABELS) as ApprovalChoice[]).map((c) => ({ label: CHOICE_LABELS[c], choice: c }));
    const answer = await vscode.window.showQuickPick(choices, { title: `Run ${which.label}?`, placeHolder: which.description });
    if (answer) this.answer(which.id, answer.choice);
  }

  dispose(): void {
    for (const entry of this.pending.values()) entry.resolve('deny');
    this.pending.clear();
    this.command.dispose();
    this.item.dispose();
    this.changed.dispose();
  }

  private ask(req: { runId: string; runName: string; agentLabel: string; command: string }): Promise<ApprovalChoice> {
    const id = `approval-${this.nextId++}`;
    const message = `Workflow "${req.runName}": agent "${req.agentLabel}" wants to run a command that no rule allows: ${req.command}`;
    const answered = new Promise<ApprovalChoice>((resolve) => this.pending.set(id, { id, ...req, message, resolve }));
    this.log.info(`[${req.runName}] agent "${req.agentLabel}" asks to run: ${req.command}`);
    this.update();
    // Not awaited: the agent waits on `answered`. Closing the notification is no answer — the
    // question stays open in the status bar's list.
    const labels = Object.values(CHOICE_LABELS);
    void vscode.window.showWarningMessage(message, ...labels).then((label) => {
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
      this.item.tooltip = this.list().map((p) => `${p.runName} · ${p.agentLabel}: ${p.command}`).join('\n');
      this.item.show();
    }
    this.changed.fire();
  }
}
