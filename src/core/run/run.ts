// One workflow run: the sandbox conducts, this class coordinates what it asks for — agents go
// through the registry, the admission policy, the gate and the runner; their lines through the
// journal committer before results reach the script; child workflows, the person's controls
// (stop, skip, retry) and the ending (the finisher, which always settles `done`).
import { SandboxHost } from '../sandbox/sandboxHost';
import type { GuestOp } from '../sandbox/protocol';
import { ConcurrencyGate } from '../../shared/concurrencyGate';
import { EventBus } from './eventBus';
import type { AgentState, RunEvent } from './events';
import { AgentAttempts, type LiveAgent } from './agentAttempts';
import { AgentOutcomes } from './agentOutcomes';
import { agentLabel, validateAgentOptions } from './agentOptions';
import { AgentRegistry } from './agentRegistry';
import { AgentAdmission } from './agentAdmission';
import { ChildWorkflows } from './childWorkflows';
import { JournalCommitter } from './journalCommitter';
import { RunFinisher, type RunEnd } from './runFinisher';
import { RunSpend } from './runSpend';
import { UsageWindow } from './usageWindow';
import { internalFailure } from './storageFailure';
import type { ReplayIndex } from '../journal/replay';
import { contentHash, positionHash } from '../journal/keys';
import type { RunRecord } from '../journal/runStore';
import type { RunLock } from '../journal/runLock';
import type { ParsedScript } from '../script';
import { MESSAGES } from '../errors';
import { withLocation } from '../script/errorLocation';
import { PRELUDE_FILE } from '../sandbox/prelude';
import { addUsage, type ErrorInfo, type PauseInfo, type RunPlan, type TokenUsage } from '../types';
import { storedRunPlan } from '../estimate/runPlan';
import { preview } from './preview';
import { heldText } from './capText';
import type { RunDeps, RunResult, RunSettings } from './runTypes';

export type {
  FinalStatus,
  RunCounts,
  RunDeps,
  RunResult,
  RunSettings,
  WorkflowRef,
  WorkflowResolver,
} from './runTypes';

export { preview } from './preview';

const MAX_LOGS = 1000;

type AgentOp = Extract<GuestOp, { op: 'agent' }>;

export class WorkflowRun {
  readonly events: EventBus;
  readonly done: Promise<RunResult>;
  private readonly sandbox: SandboxHost;
  private readonly gate: ConcurrencyGate;
  private readonly journal: JournalCommitter;
  private readonly agents = new AgentRegistry();
  private readonly attempts: AgentAttempts;
  private readonly admission: AgentAdmission;
  private readonly spend: RunSpend;
  private readonly children: ChildWorkflows;
  private readonly outcomes: AgentOutcomes;
  private readonly finisher: RunFinisher;
  /** The account's usage-limit window: closed, the run pauses and goes on by itself when it reopens. */
  private readonly window: UsageWindow;
  private logs: string[] = [];
  private phases: string[] = [];
  /** Agents a cap held back (issue 11); they stay unfinished in the journal and run on resume. */
  private readonly held = new Set<LiveAgent>();
  /** The first cap that held an agent: the run pauses once nothing else is running. */
  private pause: PauseInfo | undefined;
  /** Set when the run starts ending; nothing of a live agent is recorded after that. */
  private ending = false;

  constructor(
    readonly runId: string,
    readonly script: ParsedScript,
    private readonly args: unknown,
    private readonly deps: RunDeps,
    private readonly settings: RunSettings,
    private readonly replay: ReplayIndex | undefined,
    private readonly record: RunRecord,
    /** The run's lock (one writer per run); released once the run's record is final. */
    lock?: RunLock,
  ) {
    this.events = new EventBus({ intervalMs: settings.eventIntervalMs ?? 100 });
    this.finisher = new RunFinisher(runId, script.meta, deps.store, record, lock, this.events);
    this.done = this.finisher.done;
    this.gate = new ConcurrencyGate(settings.concurrency ?? ConcurrencyGate.defaultLimit());
    this.journal = JournalCommitter.open(
      deps.store.journalPath(runId),
      () => deps.store.openJournal(runId, (message) => this.log('warn', message)),
      (error) => this.fail(error),
    );
    this.attempts = new AgentAttempts(deps.runner, runId, {
      emit: (a, state, extra) => this.emitAgent(a, state, extra),
      usage: (a, delta) => this.onUsage(a, delta),
      usageLimit: (_a, until) => this.window.refused(until),
    });
    this.window = new UsageWindow({
      closed: (until) => this.emit({ type: 'pause', paused: this.usageLimitPause(until), at: Date.now() }),
      opened: () => this.emit({ type: 'pause', at: Date.now() }),
    });
    this.spend = new RunSpend((spent) => this.sandbox.post({ t: 'budget', spent }));
    this.admission = new AgentAdmission(this.budgetTotal, settings.caps ?? {}, {
      outputSpent: () => this.spend.usage.output,
      // The record carries earlier sessions' spend; replayed agents add nothing again.
      costSpent: () => (record.usage.costUsd ?? 0) + (this.spend.usage.costUsd ?? 0),
      replayed: () => this.agents.snapshot().cached,
    });
    this.sandbox = new SandboxHost(
      {
        ops: (ops) => this.guarded("handling the script's operations", () => this.onOps(ops)),
        childDone: (id, ok, error) => this.children.done(id, ok, error),
        done: (o) =>
          this.finish(
            o.ok
              ? { status: 'completed', resultJson: o.resultJson }
              : { status: 'failed', error: this.scriptError(o.error) },
          ),
        computing: (busy) => this.emit({ type: 'computing', busy, at: Date.now() }),
      },
      deps.workerPath,
      () => this.journal.commitOutcomes(),
    );
    this.outcomes = new AgentOutcomes(this.agents, this.journal, {
      emitAgent: (a, state, extra) => this.emitAgent(a, state, extra),
      log: (level, message) => this.log(level, message),
      settle: (item) => this.sandbox.settle(item),
    });
    this.children = new ChildWorkflows(deps.resolveWorkflow, script.file, {
      emit: (e) => this.emit(e),
      log: (level, message) => this.log(level, message),
      post: (msg) => this.sandbox.post(msg),
      settle: (item) => this.sandbox.settle(item),
    });
  }

  get budgetTotal(): number | null {
    return this.settings.budgetTotal ?? null;
  }

  /** Starts the script. `resumed` marks a run that continues an earlier journal. Throws if the journal cannot be written. */
  start(resumed: boolean): void {
    this.journal.open(
      resumed
        ? { type: 'resumed', at: Date.now(), scriptHash: this.script.hash }
        : { type: 'launched', runId: this.runId, scriptHash: this.script.hash, at: Date.now() },
    );
    this.phases = this.script.meta.phases.map((p) => p.title);
    // A resumed run keeps the plan it started with (run.json), and says what earlier sessions spent.
    const plan = storedRunPlan(this.record.plan);
    this.record.plan = plan;
    const earlier = resumed ? (this.record.usage.costUsd ?? 0) : 0;
    this.emit({
      type: 'run',
      runId: this.runId,
      state: 'running',
      name: this.script.meta.name,
      description: this.script.meta.description,
      phases: this.phases.slice(),
      resumed,
      ...(plan && { plan }),
      ...(earlier > 0 && { earlierCostUsd: earlier }),
      at: Date.now(),
    });
    if (!plan && this.settings.plan) this.makePlan(this.settings.plan);
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
      intl:
        this.record.locale && this.record.timeZone
          ? { locale: this.record.locale, timeZone: this.record.timeZone }
          : undefined,
    });
  }

  /**
   * Makes the priced plan after the start, so the run never waits for it; a plan that cannot be
   * made is no plan (spend only). Kept in run.json, so a reload or a resume still knows it.
   */
  private makePlan(make: () => Promise<RunPlan | undefined>): void {
    setImmediate(() => {
      void Promise.resolve()
        .then(make)
        .then(
          (made) => {
            const plan = storedRunPlan(made);
            if (!plan || this.ending) return;
            this.record.plan = plan;
            try {
              this.deps.store.writeRecord({ ...this.record });
            } catch {
              // The final record keeps it; the run goes on either way.
            }
            this.emit({ type: 'plan', plan });
          },
          () => undefined,
        );
    });
  }

  /** Stops the whole run: the script stops, running agents are aborted, finished ones stay journaled. */
  stop(): void {
    if (this.ending) return;
    this.sandbox.terminate();
    this.finish({ status: 'stopped' });
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
    return this.agents.ids;
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
          this.children.noteGroup(op.groupId, op.position.group);
          this.emit({
            type: 'group',
            groupId: op.groupId,
            kind: op.kind,
            size: op.size,
            stages: op.stages,
            items: op.items,
            parent: op.position,
            site: op.site,
          });
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
          void this.children.start(op);
          break;
      }
    }
    this.journal.commitStarted();
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    if (this.logs.length < MAX_LOGS) this.logs.push(message);
    this.emit({ type: 'log', level, message, at: Date.now() });
  }

  private onAgent(op: AgentOp): void {
    let raw: Record<string, unknown> | undefined;
    try {
      raw = op.optsJson === undefined ? undefined : (JSON.parse(op.optsJson) as Record<string, unknown>);
    } catch {
      raw = undefined;
    }
    const child = this.children.titleOf(op.position.group);
    const phase = child ? child : typeof raw?.phase === 'string' ? raw.phase : op.phase;
    const label = agentLabel(op.prompt, raw?.label);
    const item = typeof raw?.label === 'string' && raw.label.trim() ? label : undefined; // names the slot's item
    const a = this.agents.register(op, label, phase);
    if (op.cached) {
      // The worker already settled it from the journal (its options were checked when it ran);
      // here it is only counted and shown.
      const hit = this.replay?.hit(op.key);
      this.agents.count('cached');
      this.emitAgent(a, 'cached', {
        item,
        resultPreview: hit ? preview(hit.result) : undefined,
        usage: hit?.usage,
        model: hit?.model,
        ...(hit?.worktree && { worktree: hit.worktree }),
      });
      return;
    }
    const checked = validateAgentOptions(
      raw,
      this.deps.runner.agentTypes?.(),
      this.deps.runner.remoteAgents?.() ?? false,
    );
    if ('error' in checked) return this.outcomes.settleError(a, checked.error);
    a.options = checked.options;
    const pos = positionHash(op.chain);
    const content = contentHash(op.prompt, raw);
    const reason = this.replay ? this.replay.reason(op.key, pos, content) : 'new';
    this.journal.queueStarted({
      type: 'started',
      key: a.key,
      agentId: a.agentId,
      index: a.index,
      label: a.label,
      phase,
      pos,
      content,
      reason,
    });
    this.emitAgent(a, 'queued', { item, reason, promptPreview: preview(op.prompt) });
    this.runLive(a).catch((e: unknown) => this.fail(internalFailure(`running agent '${a.label}'`, e)));
  }

  private async runLive(a: LiveAgent): Promise<void> {
    const outcome = await this.attempts.run(a, this.gate, this.admission, this.window);
    if (this.ending) return;
    if (outcome.kind === 'held') {
      this.held.add(a);
      this.pause ??= outcome.pause;
    } else this.outcomes.record(a, outcome);
    this.pauseWhenIdle();
  }

  /** Once a cap held an agent, the run pauses when no other agent is queued or running. */
  private pauseWhenIdle(): void {
    const pause = this.pause;
    if (!pause || this.ending) return;
    for (const a of this.agents.all()) {
      if (!this.held.has(a) && (a.state === 'queued' || a.state === 'running')) return;
    }
    this.sandbox.terminate();
    this.finish({ status: 'paused', paused: pause }, heldText(pause));
  }

  private usageLimitPause(until: number): PauseInfo {
    return {
      reason: 'usage-limit',
      limit: Math.max(0, Math.ceil((until - Date.now()) / 1000)),
      spent: (this.record.usage.costUsd ?? 0) + (this.spend.usage.costUsd ?? 0),
      until: new Date(until).toISOString(),
    };
  }

  private onUsage(a: LiveAgent, delta: TokenUsage): void {
    a.usage = addUsage(a.usage, delta);
    this.spend.add(delta);
    this.emit({ type: 'usage', agentId: a.agentId, delta, total: a.usage });
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

  /** The script's own error, with its source location and, after null results, which agents were null. */
  private scriptError(error: ErrorInfo): ErrorInfo {
    try {
      return withLocation(this.agents.withNullHint(error), this.script, PRELUDE_FILE);
    } catch {
      return error;
    }
  }

  /** Runs a handler of the sandbox's; a throw ends the run (failed) instead of escaping into the host. */
  private guarded(what: string, handler: () => void): void {
    try {
      handler();
    } catch (e) {
      this.fail(internalFailure(what, e));
    }
  }

  /** Ends the run as failed: the script is stopped first, so it sees nothing that is not journaled. */
  private fail(error: ErrorInfo): void {
    if (this.ending) return;
    this.sandbox.terminate();
    this.finish({ status: 'failed', error }, `the run failed (${error.name})`);
  }

  private finish(
    end: RunEnd,
    why = end.status === 'stopped' ? 'the run was stopped' : MESSAGES.stoppedUnawaited,
  ): void {
    if (this.ending) return;
    this.ending = true;
    // A stop while the usage limit holds the run ends it now, without waiting for the window.
    this.window.dispose();
    // Agents still running when the run ends are aborted (spec §2.6); they stay unfinished in the journal.
    // Held agents never started: they stay queued, marked held, and start when the run is resumed.
    for (const a of this.agents.all()) {
      if (this.held.has(a) && this.pause) this.emitAgent(a, 'queued', { held: this.pause });
      else if (this.attempts.stop(a)) this.emitAgent(a, 'stopped', { error: { name: 'Stopped', message: why } });
    }
    const journalFailure = this.journal.close();
    this.finisher.finish(end, {
      counts: this.agents.snapshot(),
      usage: this.spend.usage,
      logs: this.logs,
      phases: this.phases,
      journalFailure,
    });
  }
}
