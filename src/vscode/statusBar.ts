// While a run is live: running agents and tokens so far, in the status bar; a click opens the Runs view.
import * as vscode from 'vscode';
import type { RunController } from './runController';
import { count } from './format';
import { oneLine } from '../core/display';
import { COMPUTING_TEXT } from './runsTreeItems';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dynamicWorkflows.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: RunController) {
    this.item.name = 'Dynamic Workflows';
    this.item.command = 'dynamicWorkflows.runs.focus';
    this.subscription = controller.onDidChange(() => this.update());
  }

  /** The text shown, for tests; undefined while hidden. */
  get text(): string | undefined {
    return this.controller.live().length ? this.item.text : undefined;
  }

  private update(): void {
    const live = this.controller.live();
    if (live.length === 0) {
      this.item.hide();
      return;
    }
    let running = 0;
    let queued = 0;
    let tokens = 0;
    let computing = false;
    for (const s of live) {
      computing ||= s.trace.root?.computing === true;
      const sum = s.trace.summary('run');
      running += sum.byState.running;
      queued += sum.byState.queued;
      tokens += sum.usage.input + sum.usage.cacheRead + sum.usage.cacheWrite + sum.usage.output;
    }
    this.item.text = `$(loading~spin) ${computing ? `${COMPUTING_TEXT} · ` : ''}${running} agent${running === 1 ? '' : 's'} · ${count(tokens)} tok`;
    this.item.tooltip = `${live.length} workflow run${live.length === 1 ? '' : 's'} live: ${live.map((s) => oneLine(s.name)).join(', ')}\n${running} running, ${queued} queued`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
