// The Runs view's data: runs (newest first) → phases → parallel/pipeline groups → slots → agents,
// read straight from each run's RunTrace. Elements are small stable handles (run id + node id), one
// per node, so a trace update refreshes exactly the nodes it touched, and only those the view has
// already shown (a node never shown is fetched with its parent anyway).
//
// Why two refresh speeds: VS Code refreshes an element by refetching its children, recursively
// through every expanded descendant, and drops any element whose ancestor is refreshed too. Every
// agent update bumps the counts of its slot, group, phase and run, so firing all changed ids would
// refetch the whole expanded tree on every batch. Instead agents (leaves) and containers whose
// child list changed go out together every FAST_MS; containers whose only change is their counts
// wait for SLOW_MS, so the big refetches happen about once a second whatever the event rate.
import * as vscode from 'vscode';
import { markdownEscape, type AgentNode, type TraceNode } from '../../core';
import type { RunChange, RunController, RunSession } from './runController';
import {
  AgentItem,
  GroupItem,
  PhaseItem,
  RunItem,
  SlotItem,
  agentTooltip,
  groupTooltip,
  isBigGroup,
  runTooltip,
} from './runsTreeItems';
import { runMetaMarkdown, runWhenAndArgs } from './runMeta';
import { join } from '../ui/format';
import type { Approvals } from '../approvals/approvals';
import { appendWaitingTooltip, showWaiting } from '../approvals/waitingAgent';
import { changeChildren, changeParent, changeTreeItem, isChangeNode } from '../changes/changesTree';
import { concurrencyLine, modelLine } from './runShape';
import { plannedTotal } from './runPlan';
import { agentMatches, containerMayMatch, type RunsFilterState } from './runsFilter';

export interface RunsElement {
  readonly runId: string;
  /** The trace node id (`run`, `phase:0`, `group:3`, `slot:3:1`, `agent:…`). */
  readonly nodeId: string;
}

/** Runs shown at the top level (running ones always are); older ones go under "Older runs (n)". */
export const TOP_LEVEL_RUNS = 10;
/** The "Older runs (n)" node: no run of its own. */
export const OLDER_RUNS: RunsElement = Object.freeze({ runId: '', nodeId: 'older' });
/** By value: a caller (a test bundle, a command argument) may hold its own copy. */
const isOlderRuns = (el: RunsElement) => el.runId === OLDER_RUNS.runId && el.nodeId === OLDER_RUNS.nodeId;

/** How often running nodes' elapsed times tick while a run is live. */
const TICK_MS = 1000;
/** Leaves and structural changes. */
const FAST_MS = 100;
/** Count-only changes of containers (each costs a refetch of their expanded subtree). */
const SLOW_MS = 1000;

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsElement | RunsElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Elements handed to the view, per run: only these can be refreshed individually. */
  private readonly shown = new Map<string, Map<string, RunsElement>>();
  /** How many children each container had when the view last saw it: a different count is a structural change. */
  private readonly childCounts = new WeakMap<RunsElement, number>();
  private readonly fast = new Set<RunsElement>();
  private readonly slow = new Set<RunsElement>();
  /** Per run, slots shown as their single agent: a second agent joining must refresh the group. */
  private readonly flattened = new Map<string, Set<string>>();
  private filter: RunsFilterState | undefined;
  private fastTimer: ReturnType<typeof setTimeout> | undefined;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Refreshes handed to VS Code (fires, elements), for tests and the benchmark. */
  readonly stats = { fires: 0, elements: 0 };

  /** `runId agentId` of agents waiting for an answer, as last shown. */
  private waiting = new Set<string>();
  private readonly approvalsSubscription: vscode.Disposable | undefined;
  private readonly changesSubscription: vscode.Disposable;

  /** `approvals`: agents waiting for an answer show as waiting, not running. */
  constructor(
    private readonly controller: RunController,
    private readonly approvals?: Approvals,
  ) {
    this.subscription = controller.onDidChange((c) => this.onRunChange(c));
    this.approvalsSubscription = approvals?.onDidChange(() => this.onApprovalsChange());
    this.changesSubscription = controller.changes.onDidChange((w) => this.onFilesChanged(w.runId, w.agentId));
  }

  getChildren(element?: RunsElement): RunsElement[] {
    if (!element) {
      const { top, older } = this.runsByAge();
      return [...top.map((s) => this.element(s.runId, 'run')), ...(older.length ? [OLDER_RUNS] : [])];
    }
    if (isOlderRuns(element)) return this.runsByAge().older.map((s) => this.element(s.runId, 'run'));
    const session = this.controller.get(element.runId);
    if (!session) return [];
    // Changed files hang below agents and the run; they are not trace nodes.
    const changed = changeChildren(this.controller.changes, element.runId, element.nodeId).map((id) =>
      this.element(element.runId, id),
    );
    if (isChangeNode(element.nodeId)) return changed;
    const all = session.trace.children(element.nodeId);
    this.childCounts.set(element, all.length);
    const kids = this.filter ? all.filter((n) => this.passes(session, n)) : all;
    return [...kids.map((n) => this.element(element.runId, this.shownId(session, n))), ...changed];
  }

  getParent(element: RunsElement): RunsElement | undefined {
    if (isOlderRuns(element)) return undefined;
    if (isChangeNode(element.nodeId)) return this.element(element.runId, changeParent(element.nodeId));
    if (element.nodeId === 'run')
      return this.runsByAge().older.some((s) => s.runId === element.runId) ? OLDER_RUNS : undefined;
    const session = this.controller.get(element.runId);
    let parentId = session?.trace.node(element.nodeId)?.parentId;
    // A flattened slot is not in the view: its agent hangs straight below the group.
    const parent = parentId === undefined ? undefined : session?.trace.node(parentId);
    if (session && parent && this.shownId(session, parent) !== parent.id) parentId = parent.parentId;
    return parentId === undefined ? undefined : this.element(element.runId, parentId);
  }

  getTreeItem(element: RunsElement): vscode.TreeItem {
    if (isOlderRuns(element)) return olderRunsItem(this.runsByAge().older.length);
    const session = this.controller.get(element.runId);
    if (!session) return new vscode.TreeItem('(run removed)');
    if (isChangeNode(element.nodeId)) return changeTreeItem(this.controller.changes, element.runId, element.nodeId);
    const node = session.trace.node(element.nodeId);
    const now = Date.now();
    if (node?.kind === 'agent') {
      const item = new AgentItem(session.runId, node, now);
      const question = node.state === 'running' ? this.approvals?.forAgent(session.runId, node.agentId) : undefined;
      if (question) showWaiting(item, question);
      if (this.controller.changes.forAgent(session.runId, node.agentId).length)
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      return item;
    }
    // Remember how many children the view was told about: a different count later is a structural change.
    const count = session.trace.children(element.nodeId).length;
    this.childCounts.set(element, count);
    if (!node || node.kind === 'run') {
      const item = new RunItem(
        session.runId,
        node,
        session.name,
        now,
        [element],
        this.waitingUnder(session, 'run'),
        plannedTotal(session),
      );
      item.description = join(
        typeof item.description === 'string' ? item.description : '',
        ...runWhenAndArgs(node?.startedAt, session.args, now),
      );
      // The newest run and running ones open; older finished runs show just their line.
      const newest = this.controller.list().at(-1) === session;
      item.collapsibleState =
        newest || !session.result
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
      return item;
    }
    // Totals are exact once nothing more can join: the run ended, or the group did.
    const runFinal = session.trace.root !== undefined && session.trace.root.state !== 'running';
    const waiting = this.waitingUnder(session, node.id);
    if (node.kind === 'group') return new GroupItem(session.runId, node, { final: runFinal || node.ended, waiting });
    if (node.kind === 'phase') return new PhaseItem(session.runId, node, count > 0, { final: runFinal, waiting });
    const group = node.parentId !== undefined ? session.trace.node(node.parentId) : undefined;
    const final = runFinal || (group?.kind === 'group' && group.ended);
    // The item the runtime recorded (pipeline item, the label the script gave); else the first agent's label.
    const item = node.item ?? session.trace.children(node.id).find((n) => n.kind === 'agent')?.label;
    return new SlotItem(
      session.runId,
      node,
      count > 0,
      group?.kind === 'group' && isBigGroup(group),
      { final, waiting },
      item,
    );
  }

  /** Hides agents not in this state (and containers left without any); undefined shows all. */
  setFilter(filter: RunsFilterState | undefined): void {
    this.filter = filter;
    this.fire(undefined);
  }

  private passes(session: RunSession, node: TraceNode): boolean {
    const filter = this.filter;
    if (!filter) return true;
    if (node.kind === 'agent')
      return agentMatches(
        filter,
        node,
        node.state === 'running' && !!this.approvals?.forAgent(session.runId, node.agentId),
      );
    if (node.kind === 'run') return true;
    return containerMayMatch(filter, node.counts);
  }

  /**
   * The node the view shows for a trace child: a slot holding just one agent shows as that agent
   * (the extra level says nothing). Pipeline slots flatten only once their group ended, so a slot
   * does not jump from agent to container when its second stage starts.
   */
  private shownId(session: RunSession, node: TraceNode): string {
    if (node.kind !== 'slot') return node.id;
    const kids = session.trace.children(node.id);
    const group = node.parentId !== undefined ? session.trace.node(node.parentId) : undefined;
    const settled = group?.kind === 'group' && (group.groupKind === 'parallel' || group.ended);
    if (kids.length !== 1 || kids[0].kind !== 'agent' || !settled) return node.id;
    let flat = this.flattened.get(session.runId);
    if (!flat) this.flattened.set(session.runId, (flat = new Set()));
    flat.add(node.id);
    return kids[0].id;
  }

  /** Running agents under a node that wait for an approval (few questions are open at once). */
  private waitingUnder(session: RunSession, nodeId: string): number {
    let n = 0;
    for (const p of this.approvals?.list() ?? []) {
      if (p.runId !== session.runId || !p.agentId) continue;
      const agent = session.trace.node(`agent:${p.agentId}`);
      if (agent?.kind !== 'agent' || agent.state !== 'running') continue;
      for (let id: string | undefined = agent.parentId; id !== undefined; id = session.trace.node(id)?.parentId) {
        if (id === nodeId) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Tooltips are built on hover only. */
  resolveTreeItem(item: vscode.TreeItem, element: RunsElement): vscode.TreeItem {
    if (isOlderRuns(element) || isChangeNode(element.nodeId)) return item;
    const session = this.controller.get(element.runId);
    const node = session?.trace.node(element.nodeId);
    if (!node || node.kind === 'run') {
      const md = runTooltip(element.runId, node);
      md.appendMarkdown(runMetaMarkdown(node?.startedAt, node?.endedAt, session?.args, Date.now()));
      if (session?.shape)
        md.appendMarkdown(
          `\n\n${markdownEscape(modelLine(session.shape))}\n\n${markdownEscape(concurrencyLine(session.shape))}`,
        );
      item.tooltip = md;
    } else if (node.kind === 'agent') {
      const md = agentTooltip(node);
      const question = this.approvals?.forAgent(element.runId, node.agentId);
      if (question) appendWaitingTooltip(md, question);
      item.tooltip = md;
    } else if (node.kind === 'group') item.tooltip = groupTooltip(node);
    return item;
  }

  /** The element of a run's root node (for reveal and commands). */
  runElement(runId: string): RunsElement {
    return this.element(runId, 'run');
  }

  /** The element of any node of a run (Find Agent reveals agents through it). */
  nodeElement(runId: string, nodeId: string): RunsElement {
    return this.element(runId, nodeId);
  }

  /** Whether the state filter hides this node (reveal cannot reach a hidden one). */
  hidden(element: RunsElement): boolean {
    const r = this.resolve(element);
    return !!r && !this.passes(r.session, r.node);
  }

  /** The session and trace node an element stands for, while the run is still in the view. */
  resolve(element: RunsElement): { session: RunSession; node: TraceNode } | undefined {
    const session = this.controller.get(element.runId);
    const node = session?.trace.node(element.nodeId);
    return session && node ? { session, node } : undefined;
  }

  /** An agent element's session and node; undefined for any other element. */
  agent(element: RunsElement | undefined): { session: RunSession; node: AgentNode } | undefined {
    const r = element && this.resolve(element);
    return r && r.node.kind === 'agent' ? { session: r.session, node: r.node } : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.approvalsSubscription?.dispose();
    this.changesSubscription.dispose();
    if (this.ticker) clearInterval(this.ticker);
    clearTimeout(this.fastTimer);
    clearTimeout(this.slowTimer);
    this.changed.dispose();
  }

  /** Runs newest first: the first TOP_LEVEL_RUNS and every running one on top, the rest older. */
  private runsByAge(): { top: RunSession[]; older: RunSession[] } {
    const top: RunSession[] = [];
    const older: RunSession[] = [];
    this.controller
      .list()
      .reverse()
      .forEach((s, i) => (i < TOP_LEVEL_RUNS || !s.result ? top : older).push(s));
    return { top, older };
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
      // A run started, ended or was dropped: the root list changes (and with it everything).
      if (!this.controller.get(session.runId)) {
        this.shown.delete(session.runId);
        this.flattened.delete(session.runId);
      }
      this.updateTicker();
      this.fast.clear();
      this.slow.clear();
      this.fire(undefined);
      return;
    }
    const byNode = this.shown.get(session.runId);
    if (!byNode) return;
    const flat = this.flattened.get(session.runId);
    for (const id of nodeIds) {
      if (flat?.has(id) && session.trace.children(id).length !== 1) {
        // A flattened slot got a second agent: its group's child list changes.
        flat.delete(id);
        const group = session.trace.node(id)?.parentId;
        const groupEl = group !== undefined ? byNode.get(group) : undefined;
        if (groupEl) this.fast.add(groupEl);
      }
      const el = byNode.get(id);
      if (!el) continue;
      const node = session.trace.node(id);
      if (!node || node.kind === 'agent') this.fast.add(el);
      else if (this.childCounts.get(el) !== undefined && this.childCounts.get(el) !== session.trace.children(id).length)
        this.fast.add(el);
      else this.slow.add(el);
    }
    if (this.fast.size && !this.fastTimer) this.fastTimer = setTimeout(() => this.flush(this.fast, 'fast'), FAST_MS);
    if (this.slow.size && !this.slowTimer) this.slowTimer = setTimeout(() => this.flush(this.slow, 'slow'), SLOW_MS);
  }

  /** Refreshes the agents that started or stopped waiting for an answer. */
  private onApprovalsChange(): void {
    const now = new Set((this.approvals?.list() ?? []).filter((p) => p.agentId).map((p) => `${p.runId} ${p.agentId}`));
    for (const key of new Set([...now, ...this.waiting])) {
      if (now.has(key) && this.waiting.has(key)) continue;
      const [runId, agentId] = key.split(' ');
      const el = this.shown.get(runId)?.get(`agent:${agentId}`);
      if (el) this.fast.add(el);
      // The run's "waiting for approval" count moves with it.
      const run = this.shown.get(runId)?.get('run');
      if (run) this.fast.add(run);
    }
    this.waiting = now;
    if (this.fast.size && !this.fastTimer) this.fastTimer = setTimeout(() => this.flush(this.fast, 'fast'), FAST_MS);
  }

  /** An agent wrote a file: its node (now with children), the run's list, and the run once a second for the count. */
  private onFilesChanged(runId: string, agentId: string): void {
    const byNode = this.shown.get(runId);
    if (!byNode) return;
    for (const id of [`agent:${agentId}`, 'changes']) {
      const el = byNode.get(id);
      if (el) this.fast.add(el);
    }
    const run = byNode.get('run');
    if (run) this.slow.add(run);
    if (this.fast.size && !this.fastTimer) this.fastTimer = setTimeout(() => this.flush(this.fast, 'fast'), FAST_MS);
    if (this.slow.size && !this.slowTimer) this.slowTimer = setTimeout(() => this.flush(this.slow, 'slow'), SLOW_MS);
  }

  /** Fires one batch, leaving out elements an ancestor in the same batch refreshes anyway. */
  private flush(pending: Set<RunsElement>, which: 'fast' | 'slow'): void {
    if (which === 'fast') this.fastTimer = undefined;
    else this.slowTimer = undefined;
    const out: RunsElement[] = [];
    for (const el of pending) {
      const trace = this.controller.get(el.runId)?.trace;
      if (!trace) continue;
      let covered = false;
      for (let p = trace.node(el.nodeId)?.parentId; p !== undefined && !covered; p = trace.node(p)?.parentId) {
        const up = this.shown.get(el.runId)?.get(p);
        covered = !!up && pending.has(up);
      }
      if (!covered) out.push(el);
    }
    pending.clear();
    if (out.length) this.fire(out);
  }

  private fire(elements: RunsElement[] | undefined): void {
    this.stats.fires++;
    this.stats.elements += elements?.length ?? 1;
    this.changed.fire(elements);
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
   * Refreshes the shown running agents, whose elapsed time moves, and the run node's duration in the
   * slow batch: refreshing it refetches its expanded subtree, so at most once a second.
   */
  private tick(): void {
    for (const s of this.controller.live()) {
      const byNode = this.shown.get(s.runId);
      if (!byNode) continue;
      // The run's duration moves too; the slow batch refreshes it at most once a second.
      const run = byNode.get('run');
      if (run) this.slow.add(run);
      for (const el of byNode.values()) {
        const n = s.trace.node(el.nodeId);
        if (n?.kind === 'agent' && n.state === 'running') this.fast.add(el);
      }
    }
    if (this.fast.size && !this.fastTimer) this.fastTimer = setTimeout(() => this.flush(this.fast, 'fast'), FAST_MS);
    if (this.slow.size && !this.slowTimer) this.slowTimer = setTimeout(() => this.flush(this.slow, 'slow'), SLOW_MS);
  }
}

function olderRunsItem(n: number): vscode.TreeItem {
  const item = new vscode.TreeItem(`Older runs (${n})`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = 'older-runs';
  item.iconPath = new vscode.ThemeIcon('history');
  item.contextValue = 'olderRuns';
  return item;
}
