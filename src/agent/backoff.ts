// One back-off for the whole run (issue 3 "Faults"): a 429/529 pauses every new request until
// the server's retry-after has passed and halves the request concurrency; each success after
// that wins one slot back. The SDK's own per-request retries stay low so hundreds of agents do
// not each sleep on their own. A usage limit (a wait past the threshold, see usageLimit.ts) holds
// every request until the window reopens, without shedding concurrency or counting an overload.
import { ConcurrencyGate } from '../shared/concurrencyGate';

export interface BackoffOptions {
  /** Requests in flight when nothing is wrong. */
  limit: number;
  /** Pause when the server sends no retry-after (doubles per consecutive overload, capped). */
  basePauseMs?: number;
  maxPauseMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RunBackoff {
  readonly gate: ConcurrencyGate;
  private pausedUntil = 0;
  private limitedUntil = 0;
  private streak = 0;
  private readonly full: number;
  readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Overloads seen, for logs and tests. */
  overloads = 0;

  constructor(private readonly options: BackoffOptions) {
    this.full = options.limit;
    this.gate = new ConcurrencyGate(options.limit);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
  }

  /** Waits for a request slot and for any pause to pass; returns the release function. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const release = await this.gate.acquire(signal);
    try {
      for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now()) {
        await this.sleep(wait, signal);
      }
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  /** A 429/529 (or overloaded stream error): pause everyone and shed concurrency. */
  overloaded(retryAfterMs: number | undefined): number {
    this.overloads++;
    this.streak++;
    const base = this.options.basePauseMs ?? 1000;
    const pause = retryAfterMs ?? Math.min(this.options.maxPauseMs ?? 60_000, base * 2 ** (this.streak - 1));
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + pause);
    this.gate.setLimit(Math.max(1, Math.floor(this.gate.limit / 2)));
    return pause;
  }

  /** The account's usage limit: every request waits until `until` (epoch ms); no slot is shed. */
  usageLimited(until: number): void {
    this.limitedUntil = Math.max(this.limitedUntil, until);
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** When the usage limit this back-off waits out reopens (epoch ms); undefined when none is pending. */
  get usageLimitUntil(): number | undefined {
    return this.limitedUntil > this.now() ? this.limitedUntil : undefined;
  }

  /** A success: recover one slot at a time towards the full limit. */
  succeeded(): void {
    this.streak = 0;
    if (this.gate.limit < this.full) this.gate.setLimit(this.gate.limit + 1);
  }

  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }
}

/** Milliseconds a 429/529 response asks us to wait (retry-after-ms wins over retry-after). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
