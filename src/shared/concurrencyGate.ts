// The run's concurrency gate (spec §4.1): at most `limit` agents hold a slot; the rest wait in
// strict FIFO order, which is what makes start order = call order when slots are scarce (§4.2).
import { availableParallelism } from 'node:os';

interface Waiter {
  grant: (release: () => void) => void;
  /** Set once the waiter left the queue (granted or aborted); the queue skips such entries. */
  gone: boolean;
}

export class ConcurrencyGate {
  private _limit: number;
  private _active = 0;
  private _waiting = 0;
  // Array + head index: O(1) enqueue/dequeue; aborted waiters are tombstoned, not spliced out.
  private queue: Waiter[] = [];
  private head = 0;

  constructor(limit: number) {
    this._limit = checkLimit(limit);
  }

  /** The official default: min(16, max(2, cpus − 2)). */
  static defaultLimit(cpus: number = availableParallelism()): number {
    return Math.min(16, Math.max(2, Math.floor(cpus) - 2));
  }

  get active(): number {
    return this._active;
  }
  get waiting(): number {
    return this._waiting;
  }
  get limit(): number {
    return this._limit;
  }

  /**
   * Resolves with an idempotent release function once a slot is ours. `front`: wait ahead of the
   * queue — for an agent that already started and lent its slot out (lentSlot.ts), so start
   * order stays call order.
   */
  acquire(signal?: AbortSignal, options: { front?: boolean } = {}): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Only take a slot directly when nobody is queued, otherwise a newcomer would overtake.
    if ((this._waiting === 0 || options.front) && this._active < this._limit) {
      this._active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = () => {
        if (waiter.gone) return;
        waiter.gone = true;
        this._waiting--;
        reject(signal!.reason);
        this.compact();
      };
      const waiter: Waiter = {
        gone: false,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (options.front) this.queue.splice(this.head, 0, waiter);
      else this.queue.push(waiter);
      this._waiting++;
    });
  }

  /** Raising wakes waiters now; lowering takes effect as running agents release their slots. */
  setLimit(n: number): void {
    this._limit = checkLimit(n);
    this.pump();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this._active--;
      this.pump();
    };
  }

  // Hands freed slots straight to the oldest waiters, so FIFO holds even against new acquire() calls.
  private pump(): void {
    while (this._active < this._limit && this._waiting > 0) {
      const w = this.queue[this.head++];
      if (w.gone) continue;
      w.gone = true;
      this._waiting--;
      this._active++;
      w.grant(this.releaser());
    }
    this.compact();
  }

  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head].gone) this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

function checkLimit(n: number): number {
  if (!(n === Infinity || (Number.isInteger(n) && n >= 1))) {
    throw new RangeError(`concurrency limit must be a positive integer, got ${n}`);
  }
  return n;
}
