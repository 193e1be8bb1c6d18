// The unrolled execution DAG of a run (ARCHITECTURE.md "Events"), rebuilt from the event stream
// alone so every consumer (tree view, CLI, run records) sees the same shape. Aggregates are kept
// incrementally: an event touches its node and its ancestors only, so a batch costs O(batch × depth).
import type {
  DagPosition,
  ErrorInfo,
  LiveReason,
  PauseInfo,
  RunPlan,
  RunStatus,
  SourceLocation,
  TokenUsage,
  WorktreeInfo,
} from '../types';
import type { AgentState, RunEvent } from './events';

export const AGENT_STATES: readonly AgentState[] = [
  'queued',
  'running',
  'done',
  'cached',
  'null',
  'skipped',
  'failed',
  'stopped',
];

export interface TraceSummary {
  total: number;
  byState: Record<AgentState, number>;
  usage: TokenUsage;
  /** Done agents some of whose tool calls failed or were denied (also counted in byState.done). */
  toolErrors: number;
  /** The part of `usage` replayed from the journal: spent by an earlier run, not this one. */
  cachedUsage: TokenUsage;
}

// Nodes are plain data; the trace mutates them in place, consumers only read them.
interface Base {
  readonly id: string;
  readonly label: string;
  /** Id of the node holding this one (undefined for the run). */
  readonly parentId?: string;
}
interface Container extends Base {
  /** Agents in this subtree, kept up to date on every apply. */
  readonly counts: Readonly<TraceSummary>;
}
export type RunNode = Container &
  Readonly<{
    kind: 'run';
    runId: string;
    state: RunStatus;
    description: string;
    resumed: boolean;
    result?: unknown;
    error?: ErrorInfo;
    /** The cap that held the next agent (state 'paused'), or the usage limit a live run waits for. */
    paused?: PauseInfo;
    startedAt?: number;
    endedAt?: number;
    /** The script is in a synchronous slice of over a second ("script computing…"). */
    computing: boolean;
    /** The priced plan the run started with; spend is shown against it. */
    plan?: RunPlan;
    /** USD spent by the run's earlier sessions (a resumed run). */
    earlierCostUsd?: number;
  }>;
export type PhaseNode = Container & Readonly<{ kind: 'phase'; index: number; title: string }>;
export type GroupNode = Container &
  Readonly<{
    kind: 'group';
    groupId: number;
    groupKind: 'parallel' | 'pipeline' | 'workflow';
    size: number;
    stages?: number;
    title?: string;
    site?: SourceLocation;
    position: DagPosition;
    ended: boolean;
    failedSlots: readonly number[];
  }>;
/**
 * `failed`: the slot's thunk or one of its stages threw (from groupEnd). `item`: what the slot works
 * on, when the runtime knows — the pipeline item's short name, else the label the script gave its
 * first agent.
 */
export type SlotNode = Container &
  Readonly<{ kind: 'slot'; groupId: number; slot: number; failed: boolean; item?: string }>;
export type AgentNode = Base &
  Readonly<{
    kind: 'agent';
    agentId: string;
    index: number;
    state: AgentState;
    phase?: string;
    position: DagPosition;
    site?: SourceLocation;
    model?: string;
    reason?: LiveReason;
    attempt?: number;
    promptPreview?: string;
    resultPreview?: string;
    error?: ErrorInfo;
    usage: TokenUsage;
    toolName?: string;
    worktree?: WorktreeInfo;
    /** A queued agent a cap held back when the run paused (it starts on resume). */
    held?: PauseInfo;
    /** Tool calls that failed or were denied (done agents). */
    toolErrors?: number;
    queuedAt?: number;
    startedAt?: number;
    endedAt?: number;
  }>;
export type TraceNode = RunNode | PhaseNode | GroupNode | SlotNode | AgentNode;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type AnyNode = Mutable<RunNode> | Mutable<PhaseNode> | Mutable<GroupNode> | Mutable<SlotNode> | Mutable<AgentNode>;

/** Tree links, kept beside the public node so nodes stay plain data. */
interface Rec {
  node: AnyNode;
  up?: Rec;
  kids: Rec[];
  /** Sort key inside the parent (slot index, pipeline stage, else 0); ties by seq = creation order. */
  order: number;
  seq: number;
  counts?: TraceSummary;
  /** A top-level group still sitting under the phase that was current when it was created. */
  provisional?: boolean;
  /** A group made up from an agent's position before its own group event arrived. */
  placeholder?: boolean;
  /** A pipeline's item names by slot (group records). */
  items?: readonly string[];
}

const TERMINAL = new Set<AgentState>(['done', 'cached', 'null', 'skipped', 'failed', 'stopped']);

export function emptySummary(): TraceSummary {
  const byState = {} as Record<AgentState, number>;
  for (const s of AGENT_STATES) byState[s] = 0;
  return { total: 0, byState, usage: zero(), toolErrors: 0, cachedUsage: zero() };
}

export class RunTrace {
  private readonly recs = new Map<string, Rec>();
  private readonly groups = new Map<number, Rec>();
  private readonly phasesByTitle = new Map<string, Rec>();
  private readonly listeners = new Set<(changedIds: string[]) => void>();
  private runRec: Rec | undefined;
  private currentPhase: Rec | undefined;
  private nextPhaseIndex = 0;
  private seq = 0;
  private changed = new Set<string>();

  get root(): RunNode | undefined {
    return this.runRec?.node as RunNode | undefined;
  }
  node(id: string): TraceNode | undefined {
    return this.recs.get(id)?.node;
  }
  children(id: string): TraceNode[] {
    return this.recs.get(id)?.kids.map((k) => k.node) ?? [];
  }

  /** Agents of a subtree by state plus usage sums; zeros for an unknown id. */
  summary(id: string): TraceSummary {
    const rec = this.recs.get(id);
    const out = emptySummary();
    if (!rec) return out;
    if (rec.node.kind === 'agent') {
      out.total = 1;
      out.byState[rec.node.state] = 1;
      addInto(out.usage, rec.node.usage, 1);
      addExtras(out, extrasOf(rec.node), 1);
    } else if (rec.counts) addSummary(out, rec.counts, 1);
    return out;
  }

  onDidChange(listener: (changedIds: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(batch: readonly RunEvent[]): void {
    for (const e of batch) {
      if (e.type === 'run') this.onRun(e);
      else if (e.type === 'group') this.onGroup(e);
      else if (e.type === 'groupEnd') this.onGroupEnd(e);
      else if (e.type === 'agent') this.onAgent(e);
      // A child workflow's phase() is a no-op (spec §3.8): it must not move the parent's phase.
      else if (e.type === 'phase' && e.workflow === undefined) this.currentPhase = this.phase(e.title, e.index);
      else if (e.type === 'computing') this.onComputing(e.busy);
      else if (e.type === 'plan') this.onPlan(e.plan);
      else if (e.type === 'pause') this.onPause(e.paused);
      else if (e.type === 'usage') {
        const rec = this.recs.get(`agent:${e.agentId}`);
        if (rec?.node.kind === 'agent') this.setUsage(rec, e.total, extrasOf(rec.node));
      }
    }
    if (this.changed.size === 0) return;
    const ids = [...this.changed];
    this.changed = new Set();
    for (const l of [...this.listeners]) {
      try {
        l(ids);
      } catch {} // one broken view must not starve the others of updates
    }
  }

  private onRun(e: Extract<RunEvent, { type: 'run' }>): void {
    const run = this.run();
    const n = run.node as Mutable<RunNode>;
    Object.assign(n, { runId: e.runId, state: e.state, label: e.name, description: e.description });
    if (e.resumed !== undefined) n.resumed = e.resumed;
    if (e.plan !== undefined) n.plan = e.plan;
    if (e.earlierCostUsd !== undefined) n.earlierCostUsd = e.earlierCostUsd;
    if (e.result !== undefined) n.result = e.result;
    if (e.error !== undefined) n.error = e.error;
    n.paused = e.state === 'paused' ? e.paused : undefined;
    if (e.state === 'running') n.startedAt ??= e.at;
    else {
      n.endedAt = e.at;
      n.computing = false;
    }
    // meta.phases are pre-announced in order (spec §3.4) but do not make any of them current.
    e.phases.forEach((title, i) => this.phase(title, i));
    this.changed.add(run.node.id);
  }

  private onPlan(plan: RunPlan): void {
    const n = this.run().node as Mutable<RunNode>;
    n.plan = plan;
    this.changed.add(n.id);
  }

  private onPause(paused: PauseInfo | undefined): void {
    const n = this.run().node as Mutable<RunNode>;
    // A late usage-limit pause after the end must neither make a finished run look paused nor
    // clear the cap that paused it.
    if (n.state !== 'running') return;
    n.paused = paused;
    this.changed.add(n.id);
  }

  private onComputing(busy: boolean): void {
    const n = this.run().node as Mutable<RunNode>;
    // A late 'busy' after the end must not make a finished run look busy.
    n.computing = busy && n.state === 'running';
    this.changed.add(n.id);
  }

  private onGroup(e: Extract<RunEvent, { type: 'group' }>): void {
    let rec = this.groups.get(e.groupId);
    if (!rec) rec = this.createGroup(e.groupId, e.parent);
    else if (rec.placeholder) {
      // Out-of-order stream: now we know where the group really sits.
      rec.placeholder = false;
      if (e.parent.group !== undefined) {
        rec.provisional = false;
        this.move(rec, this.inside(e.parent), e.parent.stage ?? 0);
      }
    }
    const n = rec.node as Mutable<GroupNode>;
    n.position = { ...e.parent };
    Object.assign(n, { groupKind: e.kind, size: e.size, stages: e.stages, title: e.title, site: e.site });
    n.label = groupLabel(n);
    if (e.items) {
      rec.items = e.items;
      // Slots made before this event (an out-of-order stream) learn their item now.
      for (const k of rec.kids) if (k.node.kind === 'slot') this.nameSlot(k, e.items[k.node.slot]);
    }
    this.changed.add(n.id);
  }

  /** Gives a slot its item name; an item from the group's own list wins over an agent's label. */
  private nameSlot(slot: Rec, item: string | undefined): void {
    if (!item || slot.node.kind !== 'slot') return;
    (slot.node as Mutable<SlotNode>).item = item;
    this.changed.add(slot.node.id);
  }

  private onGroupEnd(e: Extract<RunEvent, { type: 'groupEnd' }>): void {
    const rec = this.groups.get(e.groupId) ?? this.createGroup(e.groupId, {}, true);
    const n = rec.node as Mutable<GroupNode>;
    n.ended = true;
    n.failedSlots = [...e.failedSlots];
    if (n.groupKind !== 'workflow') {
      for (const i of e.failedSlots) (this.slot(rec, i).node as Mutable<SlotNode>).failed = true;
    }
    this.changed.add(n.id);
  }

  private onAgent(e: Extract<RunEvent, { type: 'agent' }>): void {
    const id = `agent:${e.agentId}`;
    let rec = this.recs.get(id);
    const before = rec?.node.kind === 'agent' ? extrasOf(rec.node) : undefined;
    if (!rec) {
      const node: Mutable<AgentNode> = {
        kind: 'agent',
        id,
        label: e.label,
        agentId: e.agentId,
        index: e.index,
        state: e.state,
        position: { ...e.position },
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      };
      const parent = this.placeAgent(e);
      rec = this.link(node, parent, e.position.stage ?? 0);
      if (parent.node.kind === 'slot' && parent.node.item === undefined) this.nameSlot(parent, e.item);
      this.bump(rec.up, (c) => void (c.total++, c.byState[e.state]++));
    } else if (rec.node.kind === 'agent' && rec.node.state !== e.state) {
      const from = rec.node.state;
      rec.node.state = e.state;
      this.bump(rec.up, (c) => void (c.byState[from]--, c.byState[e.state]++));
    }
    const n = rec.node as Mutable<AgentNode>;
    if (e.attempt !== undefined && n.attempt !== undefined && e.attempt !== n.attempt) {
      n.queuedAt = n.startedAt = undefined; // a retry: times restart with the new attempt
    }
    n.label = e.label;
    n.state = e.state;
    if (e.phase !== undefined) n.phase = e.phase;
    for (const k of [
      'site',
      'model',
      'reason',
      'attempt',
      'promptPreview',
      'resultPreview',
      'error',
      'toolName',
      'worktree',
      'held',
    ] as const) {
      if (e[k] !== undefined) (n as Record<string, unknown>)[k] = e[k];
    }
    if (e.state !== 'queued') n.held = undefined;
    if (e.state === 'queued') n.queuedAt ??= e.at;
    if (e.state === 'running') n.startedAt ??= e.at;
    n.endedAt = TERMINAL.has(e.state) ? e.at : undefined; // undefined again when a retry runs
    if (e.state !== 'done') n.toolErrors = undefined;
    else if (e.toolErrors !== undefined) n.toolErrors = e.toolErrors;
    if (e.usage) this.setUsage(rec, e.usage, before);
    else this.bumpExtras(rec, before);
    this.changed.add(id);
  }

  /** Finds (creating on demand) the node an agent hangs under, and settles a provisional group. */
  private placeAgent(e: Extract<RunEvent, { type: 'agent' }>): Rec {
    if (e.position.group === undefined) return this.topLevelParent(e.phase);
    const parent = this.inside(e.position);
    // The phase of a top-level group is the phase of the first agent that lands in it. Agents of a
    // child workflow carry the child's phase, not the parent's, so they never decide it.
    let top: Rec | undefined;
    for (let r: Rec | undefined = parent; r; r = r.up) {
      if (r.node.kind === 'group') {
        if (r.node.groupKind === 'workflow') return parent;
        top = r;
      }
    }
    if (top?.provisional) {
      top.provisional = false;
      const target = this.topLevelParent(e.phase);
      if (target !== top.up) this.move(top, target, 0);
    }
    return parent;
  }

  private topLevelParent(phase: string | undefined): Rec {
    if (phase !== undefined) return this.phase(phase);
    return this.currentPhase ?? this.run();
  }

  /** The slot (or workflow group) a DagPosition points into. */
  private inside(pos: DagPosition): Rec {
    const group = this.groups.get(pos.group!) ?? this.createGroup(pos.group!, {}, true);
    return group.node.kind === 'group' && group.node.groupKind === 'workflow' ? group : this.slot(group, pos.slot ?? 0);
  }

  private createGroup(groupId: number, parentPos: DagPosition, placeholder = false): Rec {
    const node: Mutable<GroupNode> = {
      kind: 'group',
      id: `group:${groupId}`,
      label: '',
      groupId,
      groupKind: 'parallel',
      size: 0,
      position: { ...parentPos },
      ended: false,
      failedSlots: [],
      counts: emptySummary(),
    };
    node.label = groupLabel(node);
    const topLevel = parentPos.group === undefined;
    const rec = this.link(
      node,
      topLevel ? this.topLevelParent(undefined) : this.inside(parentPos),
      parentPos.stage ?? 0,
    );
    rec.provisional = topLevel;
    rec.placeholder = placeholder;
    this.groups.set(groupId, rec);
    return rec;
  }

  private slot(group: Rec, slot: number): Rec {
    const g = group.node as GroupNode;
    const id = `slot:${g.groupId}:${slot}`;
    const existing = this.recs.get(id);
    if (existing) return existing;
    const node: Mutable<SlotNode> = {
      kind: 'slot',
      id,
      label: `[${slot}]`,
      groupId: g.groupId,
      slot,
      failed: false,
      counts: emptySummary(),
    };
    const rec = this.link(node, group, slot);
    this.nameSlot(rec, group.items?.[slot]);
    return rec;
  }

  private phase(title: string, index?: number): Rec {
    const existing = this.phasesByTitle.get(title);
    if (existing) return existing;
    // Prefer the engine's index; fall back to the next free one if an ad-hoc phase took it.
    if (index === undefined || this.recs.has(`phase:${index}`)) index = this.nextPhaseIndex;
    this.nextPhaseIndex = Math.max(this.nextPhaseIndex, index + 1);
    const node: Mutable<PhaseNode> = {
      kind: 'phase',
      id: `phase:${index}`,
      label: title,
      index,
      title,
      counts: emptySummary(),
    };
    const rec = this.link(node, this.run(), 0);
    this.phasesByTitle.set(title, rec);
    return rec;
  }

  private run(): Rec {
    if (this.runRec) return this.runRec;
    const node: Mutable<RunNode> = {
      kind: 'run',
      id: 'run',
      label: '(run)',
      runId: '',
      state: 'running',
      description: '',
      resumed: false,
      computing: false,
      counts: emptySummary(),
    };
    this.runRec = this.link(node, undefined, 0);
    return this.runRec;
  }

  private link(node: AnyNode, parent: Rec | undefined, order: number): Rec {
    const rec: Rec = { node, kids: [], order, seq: this.seq++ };
    if (node.kind !== 'agent') rec.counts = (node as Mutable<Container>).counts as TraceSummary;
    this.recs.set(node.id, rec);
    if (parent) this.attach(rec, parent);
    this.changed.add(node.id);
    return rec;
  }

  // Inserted by (order, seq), scanning from the end: appends, the common case, cost O(1).
  private attach(rec: Rec, parent: Rec): void {
    const kids = parent.kids;
    let i = kids.length;
    while (i > 0 && (kids[i - 1].order > rec.order || (kids[i - 1].order === rec.order && kids[i - 1].seq > rec.seq)))
      i--;
    kids.splice(i, 0, rec);
    rec.up = parent;
    (rec.node as Mutable<Base>).parentId = parent.node.id;
    this.changed.add(parent.node.id);
  }

  private move(rec: Rec, to: Rec, order: number): void {
    const from = rec.up!;
    from.kids.splice(from.kids.indexOf(rec), 1);
    this.changed.add(from.node.id);
    const moved = rec.counts!;
    this.bump(from, (c) => addSummary(c, moved, -1));
    rec.order = order;
    this.attach(rec, to);
    this.bump(to, (c) => addSummary(c, moved, 1));
  }

  private setUsage(rec: Rec, total: TokenUsage, extrasBefore: Extras | undefined): void {
    const n = rec.node as Mutable<AgentNode>;
    const before = n.usage;
    n.usage = { ...total };
    this.changed.add(n.id);
    this.bump(rec.up, (c) => {
      addInto(c.usage, before, -1);
      addInto(c.usage, total, 1);
    });
    this.bumpExtras(rec, extrasBefore);
  }

  /** Moves an agent's share of the tool-error and cached counts from what it was (`before`) to what it is. */
  private bumpExtras(rec: Rec, before: Extras | undefined): void {
    const after = extrasOf(rec.node as AgentNode);
    this.bump(rec.up, (c) => {
      if (before) addExtras(c, before, -1);
      addExtras(c, after, 1);
    });
  }

  /** Applies fn to the counts of r and every ancestor, marking them changed. */
  private bump(r: Rec | undefined, fn: (c: TraceSummary) => void): void {
    for (; r; r = r.up) {
      fn(r.counts!);
      this.changed.add(r.node.id);
    }
  }
}

function groupLabel(g: Mutable<GroupNode>): string {
  if (g.title) return g.title;
  if (g.groupKind === 'pipeline') return `pipeline ×${g.size}${g.stages !== undefined ? ` · ${g.stages} stages` : ''}`;
  return `${g.groupKind} ×${g.size}`;
}

function addInto(into: TokenUsage, d: TokenUsage, sign: 1 | -1): void {
  into.input += sign * d.input;
  into.output += sign * d.output;
  into.cacheRead += sign * d.cacheRead;
  into.cacheWrite += sign * d.cacheWrite;
  // Cost sums too, so a run, group or call site shows what its agents cost.
  if (d.costUsd !== undefined) into.costUsd = (into.costUsd ?? 0) + sign * d.costUsd;
}

/** Adds (or with -1 removes) the counts of `d` into `c`. */
export function addSummary(c: TraceSummary, d: Readonly<TraceSummary>, sign: 1 | -1): void {
  c.total += sign * d.total;
  for (const s of AGENT_STATES) c.byState[s] += sign * d.byState[s];
  addInto(c.usage, d.usage, sign);
  addExtras(c, d, sign);
}

/** One agent's share of the counts kept beside byState and usage. */
type Extras = Pick<TraceSummary, 'toolErrors' | 'cachedUsage'>;

function extrasOf(n: AgentNode): Extras {
  return {
    toolErrors: n.state === 'done' && (n.toolErrors ?? 0) > 0 ? 1 : 0,
    cachedUsage: n.state === 'cached' ? n.usage : zero(),
  };
}

function addExtras(c: TraceSummary, d: Extras, sign: 1 | -1): void {
  c.toolErrors += sign * d.toolErrors;
  addInto(c.cachedUsage, d.cachedUsage, sign);
}

function zero(): TokenUsage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}
