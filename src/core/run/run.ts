// One workflow run: the sandbox conducts, this class executes what it asks for — agents through
// the gate and the runner, journal lines before results reach the script, events for every
// consumer, and the controls a person has (stop, skip, retry).
import { SandboxHost } from '../sandbox/sandboxHost';
import type { GuestOp, SandboxLimits } from '../sandbox/protocol';
import type { IntlDefaults } from '../sandbox/intlHost';
import { ConcurrencyGate } from './gate';
import { EventBus } from './eventBus';
import type { AgentState, RunEvent } from './events';
import { AgentAttempts, SKIPPED, type LiveAgent } from './agentAttempts';
import { agentLabel, validateAgentOptions } from './agentOptions';
import { JournalWriter, type JournalLine } from '../journal/journalFile';
import type { ReplayIndex } from '../journal/replay';
import { contentHash, positionHash } from '../journal/keys';
import type { FileRunStore, RunRecord } from '../journal/runStore';
import type { RunLock } from '../journal/runLock';
import type { AgentRunner } from '../ports';
import { parseWorkflowScript, type ParsedScript } from '../script';
import { errorInfo, MESSAGES } from '../errors';
import { withLocation } from '../script/errorLocation';
import { PRELUDE_FILE } from '../sandbox/prelude';
import { addUsage, zeroUsage, type ErrorInfo, type RunStatus, type TokenUsage, type WorktreeInfo } from '../types';
import { worktreeLine } from './worktreeText';

export type WorkflowRef = { name: string } | { scriptPath: string };

/** Finds a child workflow's source for workflow(); relative scriptPaths resolve from `fromFile`. */
export type WorkflowResolver = (ref: WorkflowRef, fromFile: string) => Promise<{ source: string; file: string }>;

export interface RunDeps {
  runner: AgentRunner;
  store: FileRunStore;
  resolveWorkflow?: WorkflowResolver;
  workerPath?: string;
}

export interface RunSettings {
  /** Agents running at once; default min(16, max(2, cpus − 2)). */
  concurrency?: number;
  /** Output-token ceiling for budget.total; null = no ceiling. */
  budgetTotal?: number | null;
  /** agent() calls allowed per run (default 1000, the official cap; spec §4.1). */
  maxAgents?: number;
  limits?: Partial<SandboxLimits>;
  /** Event batching interval (ms); 0 delivers on the next microtask. */
  eventIntervalMs?: number;
  /** Locale and time zone for a new run (default: the process's); a resume keeps the recorded ones. */
  intl?: IntlDefaults;
}

export interface RunCounts {
  total: number;
  done: number;
  cached: number;
  failed: number;
  skipped: number;
}

export interface RunResult {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  result?: unknown;
  error?: ErrorInfo;
  agents: RunCounts;
  usage: TokenUsage;
  durationMs: number;
  logs: string[];
}

const MAX_LOGS = 1000;
const PREVIEW = 400;

export function preview(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.length > PREVIEW ? s.slice(0, PREVIEW) + '…' : s;
}

export class WorkflowRun {
  readonly events: EventBus;
  readonly done: Promise<RunResult>;
  private resolveDone!: (r: RunResult) => void;
  private sandbox: SandboxHost;
  private gate: ConcurrencyGate;
  private journal: JournalWriter;
  /** Lines written in one go: `started` lines per ops batch, outcomes before settlements leave. */
  private startedLines: JournalLine[] = [];
  private outcomeLines: JournalLine[] = [];
  /** Events that announce outcomes; emitted only once their lines are in the journal. */
  private outcomeEvents: (() => void)[] = [];
  private attempts: AgentAttempts;
  private agents = new Map<string, LiveAgent>();
  private agentIndex = 0;
  private counts: RunCounts = { total: 0, done: 0, cached: 0, failed: 0, skipped: 0 };
  private usage = zeroUsage();
  private logs: string[] = [];
  private phases: string[] = [];
  private children = new Map<number, { name: string; title: string; groupId: number }>();
  private childTitles = new Map<number, string>();
  private groupParents = new Map<number, number | undefined>();
  private childRuns = new Map<string, number>();
  private nullAgents: { label: string; line?: number; reason: string }[] = [];
  private budgetPosted = false;
  private finished = false;
  private readonly startedAt = Date.now();

  constructor(
    readonly runId: string,
    readonly script: ParsedScript,
    private readonly args: unknown,
    private readonly deps: RunDeps,
    private readonly settings: RunSettings,
    private readonly replay: ReplayIndex | undefined,
    private readonly record: RunRecord,
    /** The run's lock (one writer per run); released once the run's record is final. */
    private readonly lock?: RunLock,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.events = new EventBus({ intervalMs: settings.eventIntervalMs ?? 100 });
    this.gate = new ConcurrencyGate(settings.concurrency ?? ConcurrencyGate.defaultLimit());
    this.journal = new JournalWriter(deps.store.journalPath(runId), (message) => this.log('warn', message));
    this.attempts = new AgentAttempts(deps.runner, runId, {
      emit: (a, state, extra) => this.emitAgent(a, state, extra),
      usage: (a, delta) => this.onUsage(a, delta),
    });
    this.sandbox = new SandboxHost(
      {
        ops: (ops) => this.onOps(ops),
        childDone: (id, ok, error) => this.onChildDone(id, ok, error),
        done: (o) => this.finish(o.ok ? 'completed' : 'failed', o.ok ? o.resultJson : undefined, o.ok ? undefined : o.error),
        computing: (busy) => this.emit({ type: 'computing', busy, at: Date.now() }),
      },
      deps.workerPath,
      () => this.syncJournal(),
    );
  }

  get budgetTotal(): number | null {
    return this.settings.budgetTotal ?? null;
  }

  /** Starts the script. `resumed` marks a run that continues an earlier journal. */
  start(resumed: boolean): void {
    this.journal.append(
      resumed
        ? { type: 'resumed', at: Date.now(), scriptHash: this.script.hash }
        : { type: 'launched', runId: this.runId, scriptHash: this.script.hash, at: Date.now() },
    );
    this.phases = this.script.meta.phases.map((p) => p.title);
    this.emit({
      type: 'run',
      runId: this.runId,
      state: 'running',
      name: this.script.meta.name,
      description: this.script.meta.description,
      phases: this.phases.slice(),
      resumed,
      at: Date.now(),
    });
    this.phases.forEach((title, index) => this.emit({ type: 'phase', index, title }));
    this.sandbox.start({
      compiled: this.script.compiled,
      file: this.script.file,
      argsJson: this.args === undefined ? undefined : JSON.stringify(this.args),
      budgetTotal: this.budgetTotal,
      maxAgents: this.settings.maxAgents,
      replay: this.replay?.resultTexts(),
      spent: 0,
      limits: this.settings.limits,
      intl: this.record.locale && this.record.timeZone ? { locale: this.record.locale, timeZone: this.record.timeZone } : undefined,
    });
  }

  /** Stops the whole run: the script stops, running agents are aborted, finished ones stay journaled. */
  stop(): void {
    if (this.finished) return;
    this.sandbox.terminate();
    this.finish('stopped', undefined, undefined);
  }

  /** The person skips one agent: its agent() resolves null (spec §4.4). */
  skip(agentId: string): boolean {
    const a = this.agents.get(agentId);
    return !!a && this.attempts.skip(a);
  }

  /** The person restarts one running agent: the attempt is aborted and run again. */
  retry(agentId: string): boolean {
    const a = this.agents.get(agentId);
    return !!a && this.attempts.retry(a);
  }

  get agentIds(): string[] {
    return [...this.agents.keys()];
  }

  private emit(e: RunEvent): void {
    this.events.emit(e);
  }

  private onOps(ops: GuestOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'agent':
          this.onAgent(op);
          break;
        case 'group':
          this.groupParents.set(op.groupId, op.position.group);
          this.emit({ type: 'group', groupId: op.groupId, kind: op.kind, size: op.size, stages: op.stages, items: op.items, parent: op.position, site: op.site });
          break;
        case 'groupEnd':
          this.emit({ type: 'groupEnd', groupId: op.groupId, failedSlots: op.failed });
          break;
        case 'phase':
          if (!this.phases.includes(op.title)) {
            this.phases.push(op.title);
            this.emit({ type: 'phase', index: this.phases.length - 1, title: op.title });
          }
          break;
        case 'log':
          this.log(op.level, op.message);
          break;
        case 'workflow':
          void this.startChild(op);
          break;
      }
    }
    if (this.startedLines.length) {
      this.journal.appendMany(this.startedLines);
      this.startedLines = [];
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    if (this.logs.length < MAX_LOGS) this.logs.push(message);
    this.emit({ type: 'log', level, message, at: Date.now() });
  }

  private onAgent(op: Extract<GuestOp, { op: 'agent' }>): void {
    const index = this.agentIndex++;
    let raw: Record<string, unknown> | undefined;
    try {
      raw = op.optsJson === undefined ? undefined : (JSON.parse(op.optsJson) as Record<string, unknown>);
    } catch {
      raw = undefined;
    }
    const child = this.childTitleOf(op.position.group);
    const label = agentLabel(op.prompt, raw?.label);
    const item = typeof raw?.label === 'string' && raw.label.trim() ? label : undefined; // names the slot's item
    const phase = child ? child : typeof raw?.phase === 'string' ? raw.phase : op.phase;
    let agentId = op.key.slice(3, 15);
    if (this.agents.has(agentId)) agentId = `${agentId}-${index}`;
    const a: LiveAgent = {
      agentId,
      guestId: op.id,
      index,
      key: op.key,
      prompt: op.prompt,
      label,
      phase,
      position: op.position,
      site: op.site,
      options: {},
      attempt: 1,
      usage: zeroUsage(),
      state: 'queued',
    };
    this.agents.set(agentId, a);
    this.counts.total++;
    if (op.cached) {
      // The worker already settled it from the journal (its options were checked when it ran);
      // here it is only counted and shown.
      const hit = this.replay?.hit(op.key);
      this.counts.cached++;
      a.state = 'cached';
      this.emitAgent(a, 'cached', { item, resultPreview: hit ? preview(hit.result) : undefined, usage: hit?.usage, model: hit?.model, ...(hit?.worktree && { worktree: hit.worktree }) });
      return;
    }
    const checked = validateAgentOptions(raw, this.deps.runner.agentTypes?.());
    if ('error' in checked) return this.settleError(a, checked.error);
    a.options = checked.options;
    const reason = this.replay ? this.replay.reason(op.key, positionHash(op.chain), contentHash(op.prompt, raw)) : 'new';
    this.startedLines.push({
      type: 'started',
      key: a.key,
      agentId,
      index,
      label,
      phase,
      pos: positionHash(op.chain),
      content: contentHash(op.prompt, raw),
      reason,
    });
    this.emitAgent(a, 'queued', { item, reason, promptPreview: preview(op.prompt) });
    void this.runLive(a);
  }

  /** The `▸ name` title when a group lies inside a child workflow (its agents' phase, spec §3.8). */
  private childTitleOf(group: number | undefined): string | undefined {
    for (let g = group; g !== undefined; g = this.groupParents.get(g)) {
      const title = this.childTitles.get(g);
      if (title) return title;
    }
    return undefined;
  }

  private async runLive(a: LiveAgent): Promise<void> {
    const outcome = await this.attempts.run(a, this.gate, () => this.budgetRefusal());
    if (this.finished) return;
    const worktree = outcome.kind === 'stopped' ? undefined : outcome.worktree;
    if (worktree) this.log('info', worktreeLine(a.label, worktree));
    switch (outcome.kind) {
      case 'done': {
        // The line is written before the settlement leaves for the script (see syncJournal):
        // a kill at any moment loses no result the script has seen.
        this.outcomeLines.push({ type: 'result', key: a.key, agentId: a.agentId, result: outcome.result, toolsUsed: outcome.toolsUsed, usage: a.usage, model: outcome.model, ...(worktree && { worktree }) });
        this.counts.done++;
        a.state = 'done';
        this.outcomeEvents.push(() => this.emitAgent(a, 'done', { resultPreview: preview(outcome.result), usage: a.usage, model: outcome.model, toolErrors: outcome.toolErrors, ...(worktree && { worktree }) }));
        this.sandbox.settle([a.guestId, true, outcome.result === undefined ? undefined : JSON.stringify(outcome.result)]);
        break;
      }
      case 'null': {
        this.outcomeLines.push({ type: 'failed', key: a.key, agentId: a.agentId, reason: outcome.reason, ...(worktree && { worktree }) });
        const skipped = outcome.reason === SKIPPED;
        if (skipped) this.counts.skipped++;
        else {
          this.counts.failed++;
          this.log('warn', `[${a.label}] failed: ${outcome.reason}`);
        }
        this.nullAgents.push({ label: a.label, line: a.site?.line, reason: outcome.reason });
        a.state = skipped ? 'skipped' : 'null';
        this.outcomeEvents.push(() => this.emitAgent(a, skipped ? 'skipped' : 'null', { error: { name: 'AgentNull', message: outcome.reason }, usage: a.usage, ...(worktree && { worktree }) }));
        this.sandbox.settle([a.guestId, true, 'null']);
        break;
      }
      case 'error': {
        this.outcomeLines.push({ type: 'failed', key: a.key, agentId: a.agentId, reason: outcome.error.message, ...(worktree && { worktree }) });
        this.settleError(a, outcome.error, worktree);
        break;
      }
      case 'stopped':
        break;
    }
  }

  private settleError(a: LiveAgent, error: ErrorInfo, worktree?: WorktreeInfo): void {
    this.counts.failed++;
    this.emitAgent(a, 'failed', { error, ...(worktree && { worktree }) });
    this.sandbox.settle([a.guestId, false, { name: error.name, message: `${error.message}` }]);
  }

  /** The hard budget ceiling, checked again when a queued agent would start. */
  private budgetRefusal(): ErrorInfo | undefined {
    const total = this.budgetTotal;
    if (total === null || this.usage.output < total) return undefined;
    return { name: 'WorkflowBudgetExceededError', message: MESSAGES.budgetExceeded(this.usage.output, total) };
  }

  private onUsage(a: LiveAgent, delta: TokenUsage): void {
    a.usage = addUsage(a.usage, delta);
    this.usage = addUsage(this.usage, delta);
    this.emit({ type: 'usage', agentId: a.agentId, delta, total: a.usage });
    // Posted with or without a ceiling: budget.spent() reports real spend either way (spec §3.7).
    if (!this.budgetPosted) {
      this.budgetPosted = true;
      setImmediate(() => {
        this.budgetPosted = false;
        this.sandbox.post({ t: 'budget', spent: this.usage.output });
      });
    }
  }

  private emitAgent(a: LiveAgent, state: AgentState, extra: Partial<Extract<RunEvent, { type: 'agent' }>> = {}): void {
    a.state = state;
    this.emit({
      type: 'agent',
      agentId: a.agentId,
      index: a.index,
      state,
      label: a.label,
      phase: a.phase,
      position: a.position,
      site: a.site,
      model: a.model ?? a.options.model,
      attempt: a.attempt,
      at: Date.now(),
      ...extra,
    });
  }

  /**
   * Group commit: one write for all outcomes of a tick — in the file before the settlements
   * leave for the script, so a kill loses nothing — then an fdatasync off the main thread, then
   * their events.
   */
  private syncJournal(): void {
    if (this.outcomeLines.length === 0) return;
    this.journal.appendMany(this.outcomeLines);
    this.outcomeLines = [];
    this.journal.syncSoon();
    const events = this.outcomeEvents;
    this.outcomeEvents = [];
    for (const emit of events) emit();
  }

  private async startChild(op: Extract<GuestOp, { op: 'workflow' }>): Promise<void> {
    try {
      if (!this.deps.resolveWorkflow) throw new Error('workflow() is not available: this host has no workflow registry');
      const { source, file } = await this.deps.resolveWorkflow(op.ref, this.script.file);
      const parsed = parseWorkflowScript(source, file);
      const name = parsed.meta.name;
      const n = (this.childRuns.get(name) ?? 0) + 1;
      this.childRuns.set(name, n);
      const title = n > 1 ? `▸ ${name} #${n}` : `▸ ${name}`;
      this.children.set(op.id, { name, title, groupId: op.groupId });
      this.childTitles.set(op.groupId, title);
      this.groupParents.set(op.groupId, op.position.group);
      this.emit({ type: 'group', groupId: op.groupId, kind: 'workflow', size: 0, title, parent: op.position, site: op.site });
      this.log('info', `▸ running dynamic workflow ${name}`);
      this.sandbox.post({ t: 'child', id: op.id, compiled: parsed.compiled, file, name, argsJson: op.argsJson, groupId: op.groupId });
    } catch (e) {
      const info = errorInfo(e);
      const message = 'format' in (e as object) && typeof (e as { format?: unknown }).format === 'function' ? (e as { format(): string }).format() : info.message;
      this.sandbox.settle([op.id, false, { name: info.name, message }]);
    }
  }

  private onChildDone(id: number, ok: boolean, error?: ErrorInfo): void {
    const child = this.children.get(id);
    if (!child) return;
    this.log(ok ? 'info' : 'warn', ok ? `▸ ${child.name} done` : `▸ ${child.name} failed: ${error?.message ?? 'unknown error'}`);
    this.emit({ type: 'groupEnd', groupId: child.groupId, failedSlots: [] });
  }

  private finish(status: Exclude<RunStatus, 'running'>, resultJson: string | undefined, error: ErrorInfo | undefined): void {
    if (this.finished) return;
    this.finished = true;
    // Agents still running when the script ends are aborted (spec §2.6); they stay unfinished in the journal.
    const why = status === 'stopped' ? 'the run was stopped' : MESSAGES.stoppedUnawaited;
    for (const a of this.agents.values()) {
      if (this.attempts.stop(a)) this.emitAgent(a, 'stopped', { error: { name: 'Stopped', message: why } });
    }
    let result: unknown;
    if (status === 'completed' && resultJson !== undefined) result = JSON.parse(resultJson);
    if (error) error = withLocation(this.withNullHint(error), this.script, PRELUDE_FILE);
    if (this.startedLines.length) this.journal.appendMany(this.startedLines);
    this.syncJournal();
    this.journal.sync();
    this.journal.close();
    const durationMs = Date.now() - this.startedAt;
    const record: RunRecord = {
      ...this.record,
      status,
      updatedAt: Date.now(),
      durationMs,
      agents: { ...this.counts },
      // Spend accumulates across resumes; a replayed agent costs nothing again.
      usage: addUsage(this.record.usage, this.usage),
      result,
      error,
      logs: this.logs,
      pid: undefined,
    };
    try {
      this.deps.store.writeRecord(record);
    } finally {
      this.lock?.release();
    }
    this.emit({
      type: 'run',
      runId: this.runId,
      state: status,
      name: this.script.meta.name,
      description: this.script.meta.description,
      phases: this.phases.slice(),
      result,
      error,
      at: Date.now(),
    });
    this.events.flush();
    this.resolveDone({ runId: this.runId, status, result, error, agents: { ...this.counts }, usage: this.usage, durationMs, logs: this.logs.slice() });
  }

  /** A TypeError on null after agents resolved null: name them, so the person knows why. */
  private withNullHint(error: ErrorInfo): ErrorInfo {
    if (!/null/.test(error.message) || this.nullAgents.length === 0) return error;
    const names = this.nullAgents
      .slice(0, 3)
      .map((n) => `'${n.label}'${n.line ? ` (line ${n.line})` : ''}: ${n.reason}`)
      .join('; ');
    return {
      ...error,
      message: `${error.message}\nHint: ${this.nullAgents.length} agent(s) resolved null — ${names}. Guard results with "if (!r)", or fix the cause and resume the run: finished agents are replayed.`,
    };
  }
}
