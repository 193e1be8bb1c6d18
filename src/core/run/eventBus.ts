// Batches the run's event stream (ARCHITECTURE.md "Events"): emit() is O(1) and never calls out,
// so the engine's hot path cannot be slowed or broken by a tree view or a progress bar.
import type { RunEvent, RunEventListener } from './events';

export interface SubscribeOptions {
  /** First deliver everything already delivered to others, as one batch, before live batches. */
  replay?: boolean;
}

export class EventBus {
  private readonly intervalMs: number;
  private readonly events: RunEvent[] = [];
  /** Events before this index have been handed to listeners; the rest are pending. */
  private delivered = 0;
  private readonly listeners = new Set<RunEventListener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private microtaskQueued = false;
  private lastDelivery = -Infinity;
  private delivering = false;
  private reflush = false;
  private disposed = false;

  constructor(options?: { intervalMs?: number }) {
    this.intervalMs = Math.max(0, options?.intervalMs ?? 100);
  }

  /** Every event emitted so far, in order (the live array: read it, don't keep mutating copies). */
  get history(): readonly RunEvent[] {
    return this.events;
  }

  emit(event: RunEvent): void {
    this.events.push(event);
    if (this.disposed || this.timer !== undefined || this.microtaskQueued) return;
    this.schedule();
  }

  subscribe(listener: RunEventListener, options?: SubscribeOptions): () => void {
    // Replay only what others already saw; pending events reach this listener with the next batch.
    if (options?.replay && this.delivered > 0) safeCall(listener, this.events.slice(0, this.delivered));
    if (!this.disposed) this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Delivers pending events now (run end), instead of waiting for the interval. */
  flush(): void {
    this.cancelTimer();
    this.deliver(true);
  }

  /** Drops listeners and the pending timer; pending events stay in history but are not delivered. */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.intervalMs === 0) {
      this.microtaskQueued = true;
      queueMicrotask(() => {
        if (!this.microtaskQueued) return; // a flush() got there first
        this.microtaskQueued = false;
        this.deliver(false);
      });
      return;
    }
    // Leading edge after a quiet spell, then at most one delivery per interval.
    const wait = Math.max(0, this.lastDelivery + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deliver(false);
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.microtaskQueued = false;
  }

  private deliver(fromFlush: boolean): void {
    if (this.disposed) return;
    // A listener that emits and flushes re-enters here; the outer loop delivers that batch after
    // the current one reached everybody, so every listener sees the same order.
    if (this.delivering) {
      if (fromFlush) this.reflush = true;
      return;
    }
    this.delivering = true;
    try {
      do {
        this.reflush = false;
        if (this.delivered >= this.events.length) break;
        const batch = this.events.slice(this.delivered);
        this.delivered = this.events.length;
        this.lastDelivery = Date.now();
        for (const listener of [...this.listeners]) {
          // Skip listeners unsubscribed by an earlier listener of this same batch.
          if (this.listeners.has(listener)) safeCall(listener, batch);
        }
      } while (this.reflush);
    } finally {
      this.delivering = false;
    }
  }
}

function safeCall(listener: RunEventListener, batch: readonly RunEvent[]): void {
  try {
    listener(batch);
  } catch {
    // A broken consumer must not break the run or the other consumers.
  }
}
