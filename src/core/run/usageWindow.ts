// The account's usage-limit window as the run sees it (issue 11 item 4): while it is closed the
// run is paused — no queued agent starts, the requests in flight wait in the runner — and when it
// reopens the run goes on by itself. The runner reports each refusal; the latest reopening wins.

/** setTimeout's ceiling (about 24.8 days): a longer wait is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WindowHooks {
  /** The window closed, or its reopening moved later: `until` is epoch ms. */
  closed(until: number): void;
  /** The window reopened: the run goes on. */
  opened(): void;
}

export class UsageWindow {
  private until = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly hooks: WindowHooks,
    private readonly now: () => number = Date.now,
  ) {}

  get closedUntil(): number | undefined {
    return this.until > 0 ? this.until : undefined;
  }

  /** The service refused until `until`; a time already past or not later than the known one changes nothing. */
  refused(until: number): void {
    if (this.disposed || until <= this.now() || until <= this.until) return;
    this.until = until;
    this.arm();
    this.hooks.closed(until);
  }

  /** Resolves once the window is open (at once when it is); rejects when `signal` aborts. */
  async whenOpen(signal: AbortSignal): Promise<void> {
    while (this.until > 0) {
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.waiters.delete(done);
          reject(signal.reason);
        };
        const done = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.add(done);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** The run ended: no timer keeps the process alive, no hook fires any more. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, this.until - this.now()));
    this.timer = setTimeout(() => (this.until - this.now() > 0 ? this.arm() : this.open()), wait);
  }

  private open(): void {
    this.timer = undefined;
    this.until = 0;
    const waiters = [...this.waiters];
    this.waiters.clear();
    if (!this.disposed) this.hooks.opened();
    for (const w of waiters) w();
  }
}
