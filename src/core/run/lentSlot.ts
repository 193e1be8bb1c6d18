// An agent's concurrency slot, lent to the others while the agent waits for a person (an
// approval): a question left open for minutes must not keep queued agents from running. The slot
// goes back to the gate when the agent's first open question is asked and is taken again — ahead
// of agents that have not started — once its last open question is answered.
import type { ConcurrencyGate } from '../../shared/concurrencyGate';
import { untilAborted } from '../../shared/abort';

export class LentSlot {
  private release: () => void;
  private held = true;
  private open = 0;
  private taking: Promise<void> | undefined;

  constructor(
    private readonly gate: ConcurrencyGate,
    release: () => void,
    /** The agent's current abort signal (a retry replaces it). */
    private readonly signal: () => AbortSignal,
  ) {
    this.release = release;
  }

  /** Whether the agent holds its slot now (false while it waits for a person). */
  get holding(): boolean {
    return this.held;
  }

  /** Takes the slot back if it is lent out (before a retried attempt); rejects if `signal` aborts first. */
  async hold(signal: AbortSignal): Promise<void> {
    if (this.held) return;
    this.taking ??= this.gate
      .acquire(signal, { front: true })
      .then((release) => {
        this.release = release;
        this.held = true;
      })
      .finally(() => (this.taking = undefined));
    await this.taking;
  }

  /** Gives the slot back to the gate for good, if held. */
  releaseHeld(): void {
    if (!this.held) return;
    this.held = false;
    this.release();
  }

  /**
   * Waits for `answer` without holding the slot and resolves with it once the slot is held again.
   * If the agent is aborted meanwhile it rejects at once and leaves the slot lent (nothing to run).
   */
  readonly awaitPerson = async <T>(answer: Promise<T>): Promise<T> => {
    const signal = this.signal();
    if (this.open++ === 0) this.releaseHeld();
    try {
      return await untilAborted(answer, signal);
    } finally {
      this.open--;
      if (this.open === 0 && !signal.aborted) await this.hold(signal);
    }
  };
}
