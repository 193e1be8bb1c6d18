// Ends a run exactly once and always: the final record (written atomically), the lock released,
// the last event, and `done` settled — also when the record cannot be written, in which case the
// run ends failed with an error that names the file and says what to do.
import type { FileRunStore, RunRecord } from '../journal/runStore';
import type { RunLock } from '../journal/runLock';
import { addUsage, type ErrorInfo, type PauseInfo, type TokenUsage } from '../types';
import type { EventBus } from './eventBus';
import type { FinalStatus, RunCounts, RunResult } from './runTypes';
import { internalFailure, recordWriteFailure } from './storageFailure';

/** How the run ended, as its coordinator saw it. */
export interface RunEnd {
  status: FinalStatus;
  resultJson?: string;
  error?: ErrorInfo;
  paused?: PauseInfo;
}

/** The run's tallies at the end, and the journal's failure if closing it failed. */
export interface RunTally {
  counts: RunCounts;
  usage: TokenUsage;
  logs: string[];
  phases: string[];
  journalFailure?: ErrorInfo;
}

interface Ending {
  status: FinalStatus;
  result?: unknown;
  error?: ErrorInfo;
  paused?: PauseInfo;
}

export class RunFinisher {
  readonly done: Promise<RunResult>;
  private resolveDone!: (r: RunResult) => void;
  private settled = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly runId: string,
    private readonly meta: { name: string; description: string },
    private readonly store: Pick<FileRunStore, 'writeRecord' | 'recordPath'>,
    /** The record as the run started; the final one keeps its fields and adds the outcome. */
    private readonly record: RunRecord,
    private readonly lock: RunLock | undefined,
    private readonly events: EventBus,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get finished(): boolean {
    return this.settled;
  }

  /** Never throws; a second call is ignored. */
  finish(end: RunEnd, tally: RunTally): void {
    if (this.settled) return;
    this.settled = true;
    let ending: Ending;
    const durationMs = Date.now() - this.startedAt;
    try {
      ending = this.outcome(end, tally.journalFailure);
      ending = this.writeRecord(ending, tally, durationMs);
    } catch (e) {
      ending = { status: 'failed', error: internalFailure('finishing the run', e) };
    } finally {
      this.releaseLock();
    }
    this.announce(ending, tally.phases);
    this.resolveDone({
      runId: this.runId,
      ...ending,
      agents: { ...tally.counts },
      usage: tally.usage,
      durationMs,
      logs: tally.logs.slice(),
    });
  }

  private outcome(end: RunEnd, journalFailure: ErrorInfo | undefined): Ending {
    // A journal that failed while closing outranks the script's ending: the person has to act.
    if (journalFailure && journalFailure !== end.error) {
      const had = end.error ? `${end.status}: ${end.error.name}: ${end.error.message}` : end.status;
      return {
        status: 'failed',
        error: { ...journalFailure, message: `${journalFailure.message} (The run had ${had}.)` },
      };
    }
    if (end.status === 'paused') return { status: 'paused', paused: end.paused };
    if (end.status !== 'completed' || end.resultJson === undefined) return { status: end.status, error: end.error };
    return { status: 'completed', result: JSON.parse(end.resultJson) };
  }

  /** Spend accumulates across resumes; a replayed agent costs nothing again. */
  private writeRecord(ending: Ending, tally: RunTally, durationMs: number): Ending {
    const record: RunRecord = {
      ...this.record,
      status: ending.status,
      updatedAt: Date.now(),
      durationMs,
      agents: { ...tally.counts },
      usage: addUsage(this.record.usage, tally.usage),
      result: ending.result,
      error: ending.error,
      paused: ending.paused,
      logs: tally.logs,
      pid: undefined,
    };
    try {
      this.store.writeRecord(record);
      return ending;
    } catch (e) {
      return { status: 'failed', error: recordWriteFailure(this.store.recordPath(this.runId), e, ending) };
    }
  }

  private releaseLock(): void {
    try {
      this.lock?.release();
    } catch {
      // A lock file that cannot be removed is found stale by the next taker: it is no longer held.
    }
  }

  private announce(ending: Ending, phases: string[]): void {
    this.events.emit({
      type: 'run',
      runId: this.runId,
      state: ending.status,
      name: this.meta.name,
      description: this.meta.description,
      phases: phases.slice(),
      result: ending.result,
      error: ending.error,
      paused: ending.paused,
      at: Date.now(),
    });
    this.events.flush();
  }
}
