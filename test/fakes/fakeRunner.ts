// A scripted AgentRunner for engine tests and benchmarks: replies by prompt rules, can hold calls
// until a test releases them, and counts how many ran at once (to check the concurrency gate).
import type { AgentOutcome, AgentProgress, AgentRequest, AgentRunner } from '../../src/core/ports';
import type { TokenUsage } from '../../src/core/types';

export interface FakeRule {
  /** Prompt substring, prompt regex, or a predicate over the whole request. */
  match: string | RegExp | ((req: AgentRequest) => boolean);
  /** The result of a `done` outcome (a function is called with the request). */
  reply?: string | number | boolean | null | object | ((req: AgentRequest) => unknown);
  /** A full outcome instead of a reply (null results, errors). Wins over `reply`. */
  outcome?: AgentOutcome | ((req: AgentRequest) => AgentOutcome);
  delayMs?: number | ((req: AgentRequest) => number);
  /** Wait for release() before answering (then the delay, if any, runs). */
  hold?: boolean;
  usage?: TokenUsage;
}

export interface FakeRunnerOptions {
  rules?: FakeRule[];
  defaultReply?: (req: AgentRequest) => unknown;
  defaultDelayMs?: number;
  agentTypes?: string[];
}

interface Held {
  req: AgentRequest;
  resume: () => void;
}

export const DEFAULT_FAKE_USAGE: Readonly<TokenUsage> = Object.freeze({
  input: 10,
  output: 5,
  cacheRead: 0,
  cacheWrite: 0,
});

export class FakeRunner implements AgentRunner {
  readonly calls: AgentRequest[] = [];
  private readonly rules: FakeRule[];
  private readonly options: FakeRunnerOptions;
  private held: Held[] = [];
  private callWaiters: { n: number; resolve: () => void }[] = [];
  private _inFlight = 0;
  private _maxInFlight = 0;

  constructor(options: FakeRunnerOptions = {}) {
    this.options = options;
    this.rules = [...(options.rules ?? [])];
  }

  get inFlight(): number {
    return this._inFlight;
  }
  get maxInFlight(): number {
    return this._maxInFlight;
  }
  /** How many calls are currently held (waiting for release()). */
  get heldCount(): number {
    return this.held.length;
  }

  rule(r: FakeRule): this {
    this.rules.push(r);
    return this;
  }

  agentTypes(): string[] | undefined {
    return this.options.agentTypes;
  }

  async run(req: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome> {
    // Everything up to the first await is synchronous, so once waitForCalls(n) resolves the
    // n-th call is already registered as held and release() can see it.
    this.calls.push(req);
    this._inFlight++;
    this._maxInFlight = Math.max(this._maxInFlight, this._inFlight);
    this.notifyCallWaiters();
    try {
      if (signal.aborted) throw abortError(signal);
      const rule = this.rules.find((r) => matches(r.match, req));
      if (rule?.hold) await this.holdUntilReleased(req, signal);
      const delay = pick(rule?.delayMs, req) ?? this.options.defaultDelayMs ?? 0;
      // An instant reply still yields one microtask, so calls started together overlap in flight.
      if (delay > 0) await sleep(delay, signal);
      else await null;
      if (signal.aborted) throw abortError(signal);
      const usage = rule?.usage ?? { ...DEFAULT_FAKE_USAGE };
      let outcome: AgentOutcome;
      if (rule?.outcome !== undefined) {
        outcome = pick(rule.outcome, req) as AgentOutcome;
      } else {
        const result =
          rule && 'reply' in rule
            ? pick(rule.reply, req)
            : this.options.defaultReply
              ? this.options.defaultReply(req)
              : `echo:${req.prompt}`;
        outcome = { kind: 'done', result, usage };
      }
      progress.usage?.(outcome.usage ?? usage);
      return outcome;
    } finally {
      this._inFlight--;
    }
  }

  /** Releases held calls whose prompt matches (all when no pattern); returns how many. */
  release(match?: string | RegExp): number {
    const keep: Held[] = [];
    const go: Held[] = [];
    for (const h of this.held) (match === undefined || matches(match, h.req) ? go : keep).push(h);
    this.held = keep;
    for (const h of go) h.resume();
    return go.length;
  }

  /** Resolves once at least n calls have started; rejects after timeoutMs. */
  waitForCalls(n: number, timeoutMs = 5000): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.callWaiters = this.callWaiters.filter((w) => w !== waiter);
        reject(new Error(`FakeRunner: expected ${n} calls within ${timeoutMs} ms, saw ${this.calls.length}`));
      }, timeoutMs);
      const waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.callWaiters.push(waiter);
    });
  }

  private notifyCallWaiters(): void {
    if (this.callWaiters.length === 0) return;
    const ready = this.callWaiters.filter((w) => this.calls.length >= w.n);
    this.callWaiters = this.callWaiters.filter((w) => this.calls.length < w.n);
    for (const w of ready) w.resolve();
  }

  private holdUntilReleased(req: AgentRequest, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.held = this.held.filter((h) => h !== entry);
        reject(abortError(signal));
      };
      const entry: Held = {
        req,
        resume: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.held.push(entry);
    });
  }
}

function matches(m: FakeRule['match'], req: AgentRequest): boolean {
  if (typeof m === 'string') return req.prompt.includes(m);
  if (m instanceof RegExp) return req.prompt.search(m) !== -1; // search() ignores lastIndex and /g state
  return m(req);
}

function pick<T>(v: T | ((req: AgentRequest) => T) | undefined, req: AgentRequest): T | undefined {
  return typeof v === 'function' ? (v as (req: AgentRequest) => T)(req) : v;
}

function abortError(signal: AbortSignal): Error {
  const e = new Error('The agent was aborted', { cause: signal.reason });
  e.name = 'AbortError';
  return e;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
