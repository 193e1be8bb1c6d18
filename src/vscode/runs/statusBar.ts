// The newest live run's counts in the status bar (the run node's numbers, from runCounts), and
// once no run is live, the last run's final counts until the next one starts; a click opens the
// Runs view.
import * as vscode from 'vscode';
import type { RunController, RunSession } from './runController';
import { capLimitText, countsText, runCounts, spendText, oneLine } from '../../core';
import { COMPUTING_TEXT } from './runsTreeItems';
import { plannedTotal } from './runPlan';
import { runIcon } from '../ui/icons';
import type { Approvals } from '../approvals/approvals';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'dynamicWorkflows.status',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[] = [];

  /** `approvals`: agents waiting for an answer are counted as waiting, as in the Runs tree. */
  constructor(
    private readonly controller: RunController,
    private readonly approvals?: Approvals,
  ) {
    this.item.name = 'Dynamic Workflows';
    this.item.command = 'dynamicWorkflows.runs.focus';
    this.subscriptions.push(controller.onDidChange(() => this.update()));
    if (approvals) this.subscriptions.push(approvals.onDidChange(() => this.update()));
  }

  /** The text shown, for tests; undefined while hidden. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  /** The hover text, for tests; undefined while hidden. */
  get tooltip(): string | undefined {
    return this.shown && typeof this.item.tooltip === 'string' ? this.item.tooltip : undefined;
  }

  private shown = false;

  private update(): void {
    const live = this.controller.live();
    const session = live.at(-1) ?? this.controller.list().at(-1);
    const root = session?.trace.root;
    if (!session || !root) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const final = root.state !== 'running';
    const c = runCounts(root.counts, { final, waiting: this.waiting(session), planned: plannedTotal(session) });
    // With a priced plan, agents and dollars against it (issue 11 item 5), as the run node; details on hover.
    const spend = spendText({ counts: c, plan: root.plan, earlierUsd: root.earlierCostUsd });
    const counts = [countsText(c), root.plan && spend.short].filter(Boolean).join(' · ');
    const icon = final ? `$(${runIcon(root.state).id})` : '$(loading~spin)';
    // A paused run says so first: it waits for the person (Raise Cap and Continue).
    const paused = root.state === 'paused' && root.paused ? `paused: ${capLimitText(root.paused)} · ` : '';
    this.item.text = `${icon} ${paused}${root.computing ? `${COMPUTING_TEXT} · ` : ''}${counts || (final ? root.state : 'starting…')}`;
    const others =
      live.length > 1 ? `\n${live.length} workflow runs live: ${live.map((s) => oneLine(s.name)).join(', ')}` : '';
    this.item.tooltip = `${oneLine(session.name)} (${final ? root.state : 'running'})\n${spend.detail.join('\n')}${others}`;
    this.item.show();
    this.shown = true;
  }

  private waiting(session: RunSession): number {
    return (this.approvals?.list() ?? []).filter((p) => {
      const agent = p.runId === session.runId && p.agentId ? session.trace.node(`agent:${p.agentId}`) : undefined;
      return agent?.kind === 'agent' && agent.state === 'running';
    }).length;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
