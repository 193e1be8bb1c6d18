// One model turn over the streaming Messages API, with the run's shared back-off, a stall
// timer (no stream event for stallMs aborts the attempt) and bounded retries. The SDK's own
// retries are off: hundreds of agents must wait on one back-off, not sleep each on their own.
import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { RunBackoff } from './backoff';
import { retryAfterMs, sleep } from './backoff';
import { USAGE_LIMIT_THRESHOLD_MS, usageLimitUntil, type Headers } from './usageLimit';

export interface RequestPolicy {
  stallMs: number;
  /** Stalled attempts retried before agent() throws (spec §4.5: 5 retries, 6 attempts). */
  maxStallRetries: number;
  /** 5xx/connection failures retried before the agent resolves null. */
  maxRetries: number;
  /**
   * 429/529 answers retried before the agent resolves null. Counted apart and generous: the
   * shared back-off already paused the whole run, so an overload says "wait", not "this agent
   * is broken" — only the agents in flight meet a storm, and they must not be the ones lost.
   */
  maxOverloads: number;
  /**
   * A 429 asking to wait longer than this, or the account's usage-limit error, is a usage limit:
   * the request waits for the window (no retry counted) and the run shows itself paused.
   */
  usageLimitMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  stallMs: 600_000,
  maxStallRetries: 5,
  maxRetries: 8,
  maxOverloads: 60,
  usageLimitMs: USAGE_LIMIT_THRESHOLD_MS,
};

/** agent() throws this (spec §4.3): the official stall message. */
export class StallError extends Error {
  override name = 'AgentStallError';
  constructor(attempts: number, stallMs: number) {
    super(`agent stalled on all ${attempts} attempts (no progress for ${stallMs}ms each)`);
  }
}

/** The API refused for good (4xx other than 408/409/429, or retries exhausted): agent() → null. */
export class TerminalApiError extends Error {
  override name = 'TerminalApiError';
}

export interface RequestHooks {
  retry?(reason: string, waitMs: number | undefined): void;
  /** The service refused until `until` (epoch ms): the request waits and is sent again then. */
  usageLimit?(until: number, reason: string): void;
}

type Classified =
  | { kind: 'usage-limit'; until: number; why: string }
  | { kind: 'overload'; waitMs?: number; why: string }
  | { kind: 'transient'; why: string }
  | { kind: 'terminal'; why: string };

function classify(e: unknown, now: number, usageLimitMs: number): Classified {
  if (e instanceof Anthropic.APIError) {
    const body = (e.error as { error?: { type?: string; message?: string } } | undefined)?.error;
    const why = `${e.status ?? 'stream'} ${body?.type ?? e.name}: ${body?.message ?? e.message}`;
    const headers = e.headers as Headers | undefined;
    const until = usageLimitUntil(
      { status: e.status, type: body?.type, message: body?.message, headers },
      now,
      usageLimitMs,
    );
    if (until !== undefined) return { kind: 'usage-limit', until, why };
    if (
      e.status === 429 ||
      e.status === 529 ||
      body?.type === 'overloaded_error' ||
      body?.type === 'rate_limit_error'
    ) {
      return {
        kind: 'overload',
        waitMs: retryAfterMs(headers),
        why,
      };
    }
    if (
      e instanceof Anthropic.APIConnectionError ||
      e.status === undefined ||
      e.status === 408 ||
      e.status === 409 ||
      e.status >= 500
    ) {
      return { kind: 'transient', why };
    }
    return { kind: 'terminal', why };
  }
  return { kind: 'transient', why: e instanceof Error ? e.message : String(e) };
}

export async function requestTurn(
  client: Anthropic,
  params: MessageCreateParamsNonStreaming,
  backoff: RunBackoff,
  policy: RequestPolicy,
  signal: AbortSignal,
  hooks: RequestHooks = {},
): Promise<Message> {
  let stalls = 0;
  let failures = 0;
  let overloads = 0;
  // The reopening last reported, so a wait is told once, not once per loop.
  let told: number | undefined;
  const tell = (until: number, why: string) => {
    if (until !== told) hooks.usageLimit?.(until, why);
    told = until;
  };
  for (;;) {
    // Another agent already met the usage limit: say this one waits too, before it waits.
    const limited = backoff.usageLimitUntil;
    if (limited !== undefined) tell(limited, 'waiting for the usage limit to reopen');
    const release = await backoff.acquire(signal);
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        attempt.abort(new Error('stalled'));
      }, policy.stallMs);
    };
    try {
      arm();
      const stream = client.messages.stream(params, { signal: attempt.signal, maxRetries: 0 });
      stream.on('streamEvent', arm);
      const message = await stream.finalMessage();
      backoff.succeeded();
      return message;
    } catch (e) {
      if (signal.aborted) throw signal.reason ?? e;
      if (stalled) {
        stalls++;
        if (stalls > policy.maxStallRetries) throw new StallError(stalls, policy.stallMs);
        hooks.retry?.(
          `stalled (no progress for ${policy.stallMs} ms) — retrying (${stalls}/${policy.maxStallRetries})`,
          undefined,
        );
        continue;
      }
      const c = classify(e, backoff.now(), policy.usageLimitMs);
      if (c.kind === 'terminal') throw new TerminalApiError(c.why);
      if (c.kind === 'usage-limit') {
        // Not a retry: the request was refused, not broken; it is sent again once the window opens.
        backoff.usageLimited(c.until);
        tell(c.until, c.why);
        continue;
      }
      if (c.kind === 'overload') overloads++;
      else failures++;
      if (overloads > policy.maxOverloads || failures > policy.maxRetries) {
        throw new TerminalApiError(`${c.why} (gave up after ${overloads + failures} attempts)`);
      }
      if (c.kind === 'overload') {
        const wait = backoff.overloaded(c.waitMs);
        hooks.retry?.(c.why, wait);
      } else {
        // Connection drops and 5xx: a short, growing wait of this agent's own.
        const wait = Math.min(8000, 250 * 2 ** (failures - 1));
        hooks.retry?.(c.why, wait);
        await sleep(wait, signal);
      }
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
    }
  }
}
