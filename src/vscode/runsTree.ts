// The Runs view's data: runs (newest first) → phases → parallel/pipeline groups → slots → agents,
// read straight from each run's RunTrace. Elements are small stable handles (run id + node id), one
// per node, so a trace update refreshes exactly the nodes it touched, and only those the view has
// already shown (a node never shown is fetched with its parent anyway).
import * as vscode from 'vscode';
import type { TraceNode } from '../core/run/trace';
import type { RunChange, RunController, RunSession } from './runController';
import { AgentItem, GroupItem, PhaseItem, RunItem, SlotItem } from './runsTreeItems';

export interface RunsElement {
  readonly runId: string;
  /** The trace node id (`run`, `phase:0`, `group:3`, `slot:3:1`, `agent:…`). */
  readonly nodeId: string;
}

/** How often running nodes' elapsed times tick while a run is live. */
const TICK_MS = 1000;

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsElement | RunsElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Elements handed to the view, per run: only these can be refreshed individually. */
  private readonly shown = new Map<string, Map<string, RunsElement>>();
  private readonly subscription: vscode.Disposable;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly controller: RunController) {
    this.subscription = controller.onDidChange((c) => this.onRunChange(c));
  }

  getChildren(element?: RunsElement): RunsElement[] {
    if (!element) return this.controller.list().reverse().map((s) => this.element(s.runId, 'run'));
    const session = this.controller.get(element.runId);
    if (!session) return [];
    return session.trace.children(element.nodeId).map((n) => this.element(element.runId, n.id));
  }

  getParent(element: RunsElement): RunsElement | undefined {
    const parentId = this.controller.get(element.runId)?.trace.node(element.nodeId)?.parentId;
    return parentId === undefined ? undefined : this.element(element.runId, parentId);
  }

  getTreeItem(element: RunsElement): vscode.TreeItem {
    const session = this.controller.get(element.runId);
    const node = session?.trace.node(element.nodeId);
    const now = Date.now();
    if (!session) return new vscode.TreeItem('(run removed)');
    if (!node || node.kind === 'run') return new RunItem(session.runId, node?.kind === 'run' ? node : undefined, session.name, now);
    return itemFor(session, node, now);
  }

  /** The element of a run's root node (for reveal). */
  runElement(runId: string): RunsElement {
    return this.element(runId, 'run');
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.ticker) clearInterval(this.ticker);
    this.changed.dispose();
  }

  private element(runId: string, nodeId: string): RunsElement {
    let byNode = this.shown.get(runId);
    if (!byNode) this.shown.set(runId, (byNode = new Map()));
    let el = byNode.get(nodeId);
    if (!el) byNode.set(nodeId, (el = { runId, nodeId }));
    return el;
  }

  private onRunChange(change: RunChange): void {
    const { session, nodeIds } = change;
    if (!nodeIds) {
      // A run started, ended or was dropped: the root list changes.
      if (!this.controller.get(session.runId)) this.shown.delete(session.runId);
      this.updateTicker();
      this.changed.fire(undefined);
      return;
    }
    const byNode = this.shown.get(session.runId);
    if (!byNode) return;
    const elements = nodeIds.map((id) => byNode.get(id)).filter((e): e is RunsElement => e !== undefined);
    if (elements.length) this.changed.fire(elements);
  }

  private updateTicker(): void {
    const live = this.controller.live().length > 0;
    if (live && !this.ticker) this.ticker = setInterval(() => this.tick(), TICK_MS);
    else if (!live && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /**
   * Refreshes the shown running agents, whose elapsed time moves. Not the run node: refreshing it
   * makes the view refetch its whole subtree, and its time moves with every event batch anyway.
   */
  private tick(): void {
    const out: RunsElement[] = [];
    for (const s of this.controller.live()) {
      const byNode = this.shown.get(s.runId);
      if (!byNode) continue;
      for (const el of byNode.values()) {
        const n = s.trace.node(el.nodeId);
        if (n?.kind === 'agent' && n.state === 'running') out.push(el);
      }
    }
    if (out.length) this.changed.fire(out);
  }
}

function itemFor(session: RunSession, node: Exclude<TraceNode, { kind: 'run' }>, now: number): vscode.TreeItem {
  const hasChildren = () => session.trace.children(node.id).length > 0;
  switch (node.kind) {
    case 'phase':
      return new PhaseItem(session.runId, node, hasChildren());
    case 'group':
      return new GroupItem(session.runId, node);
    case 'slot':
      return new SlotItem(session.runId, node, hasChildren());
    case 'agent':
      return new AgentItem(session.runId, node, now);
  }
}
