// Runs one live agent: waits at the gate, calls the runner, and turns a person's controls into
// outcomes — skip resolves null, retry aborts and runs the attempt again, stop abandons it.
import type { ConcurrencyGate } from '../../shared/concurrencyGate';
import type { StartPolicy } from './agentAdmission';
import type { UsageWindow } from './usageWindow';
import { LentSlot } from './lentSlot';
import type { AgentState, RunEvent } from './events';
import type { AgentOptions, DagPosition, PauseInfo, SourceLocation, TokenUsage } from '../types';
import type { AgentOutcome, AgentRunner } from '../ports';
import { errorInfo } from '../errors';

export interface LiveAgent {
  agentId: string;
  /** Id of the guest promise this agent settles. */
  guestId: number;
  index: number;
  key: string;
  prompt: string;
  label: string;
  phase?: string;
  position: DagPosition;
  site?: SourceLocation;
  options: AgentOptions;
  attempt: number;
  usage: TokenUsage;
  /** The model the runner actually uses (after alias resolution), once it says. */
  model?: string;
  state: AgentState;
  /** Aborts the wait at the gate or the running attempt; the reason says why. */
  controller?: AbortController;
  abortReason?: 'skip' | 'retry' | 'stop';
}

/** 'held': a cap kept it from starting; it never reached the runner and runs on resume. */
export type AttemptOutcome = AgentOutcome | { kind: 'stopped' } | { kind: 'held'; pause: PauseInfo };

export interface AttemptHooks {
  emit(a: LiveAgent, state: AgentState, extra?: Partial<Extract<RunEvent, { type: 'agent' }>>): void;
  usage(a: LiveAgent, delta: TokenUsage): void;
  /** The account's usage limit refused the agent's request until `until` (epoch ms). */
  usageLimit?(a: LiveAgent, until: number): void;
}

export const SKIPPED = 'skipped by user';

export class AgentAttempts {
  constructor(
    private readonly runner: AgentRunner,
    private readonly runId: string,
    private readonly hooks: AttemptHooks,
  ) {}

  /**
   * Waits for a slot and for the usage-limit `window` to be open, asks `policy` whether the agent
   * may start, then runs attempts until one ends it.
   */
  async run(a: LiveAgent, gate: ConcurrencyGate, policy: StartPolicy, window?: UsageWindow): Promise<AttemptOutcome> {
    a.controller = new AbortController();
    let slot: LentSlot;
    try {
      slot = new LentSlot(gate, await gate.acquire(a.controller.signal), () => a.controller!.signal);
    } catch {
      return this.aborted(a);
    }
    try {
      try {
        await window?.whenOpen(a.controller.signal);
      } catch {
        return this.aborted(a);
      }
      const verdict = policy.mayStart(a);
      if (verdict.kind === 'refuse') return { kind: 'error', error: verdict.error };
      if (verdict.kind === 'hold') return { kind: 'held', pause: verdict.pause };
      for (;;) {
        // Stopped or skipped between the slot's grant and now: it must not reach the runner.
        if (a.abortReason) return this.aborted(a);
        if (a.controller.signal.aborted) a.controller = new AbortController();
        // A retry while the agent waited for a person: the slot was lent out; take it back first.
        try {
          await slot.hold(a.controller.signal);
        } catch {
          return this.aborted(a);
        }
        this.hooks.emit(a, 'running');
        let outcome: AgentOutcome;
        try {
          outcome = await this.runner.run(
            {
              runId: this.runId,
              agentId: a.agentId,
              index: a.index,
              prompt: a.prompt,
              label: a.label,
              phase: a.phase,
              options: a.options,
              attempt: a.attempt,
              key: a.key,
            },
            a.controller.signal,
            {
              usage: (delta) => this.hooks.usage(a, delta),
              tool: (name) => this.hooks.emit(a, 'running', { toolName: name, usage: a.usage }),
              model: (id) => {
                a.model = id;
              },
              awaitPerson: slot.awaitPerson,
              usageLimit: (until) => this.hooks.usageLimit?.(a, until),
            },
          );
        } catch (e) {
          outcome = a.abortReason ? { kind: 'null', reason: 'aborted' } : { kind: 'error', error: errorInfo(e) };
        }
        if (a.abortReason === 'retry') {
          a.abortReason = undefined;
          a.attempt++;
          continue;
        }
        if (a.abortReason) return this.aborted(a);
        return outcome;
      }
    } finally {
      slot.releaseHeld();
    }
  }

  private aborted(a: LiveAgent): AttemptOutcome {
    return a.abortReason === 'skip' ? { kind: 'null', reason: SKIPPED } : { kind: 'stopped' };
  }

  private active(a: LiveAgent): boolean {
    return a.state === 'queued' || a.state === 'running';
  }

  skip(a: LiveAgent): boolean {
    if (!this.active(a) || a.abortReason) return false;
    a.abortReason = 'skip';
    a.controller?.abort(new Error(SKIPPED));
    return true;
  }

  /** Only a running attempt can be retried; a queued agent has nothing to restart yet. */
  retry(a: LiveAgent): boolean {
    if (a.state !== 'running' || a.abortReason) return false;
    a.abortReason = 'retry';
    a.controller?.abort(new Error('retry requested'));
    return true;
  }

  /** Abandons an active agent; returns whether it was active. */
  stop(a: LiveAgent): boolean {
    if (!this.active(a)) return false;
    a.abortReason = 'stop';
    a.controller?.abort(new Error('stopped'));
    return true;
  }
}
