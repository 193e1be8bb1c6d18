// Tells a usage limit ("come back at 14:05") from an ordinary 429 ("slow down"). A usage limit
// pauses the whole run until the window reopens instead of burning the agent's retries. The
// shapes are the API's: a 429 `rate_limit_error` whose `retry-after`/`retry-after-ms` or exhausted
// `anthropic-ratelimit-*-reset` lies past the threshold, or a subscription's refusal
// (`anthropic-ratelimit-unified-status: rejected` with `anthropic-ratelimit-unified-reset` in epoch
// seconds, or Claude Code's "usage limit reached|<epoch seconds>" message).
import { retryAfterMs } from './backoff';

/** Waits longer than this are a usage limit, not a back-off (issue 11: "over a minute"). */
export const USAGE_LIMIT_THRESHOLD_MS = 60_000;

export interface Headers {
  get(name: string): string | null;
}

export interface RateLimitRefusal {
  status: number | undefined;
  /** `error.type` of the body. */
  type: string | undefined;
  message: string | undefined;
  headers: Headers | undefined;
}

/** The per-minute limits the API reports, each with `-remaining` and an RFC 3339 `-reset`. */
const LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/** Epoch ms when the service takes requests again, if this refusal is a usage limit; else undefined. */
export function usageLimitUntil(r: RateLimitRefusal, now: number, thresholdMs: number): number | undefined {
  if (r.status !== 429 && r.type !== 'rate_limit_error') return undefined;
  const header = (name: string) => r.headers?.get(name) ?? null;
  const said = /usage limit/i.test(r.message ?? '');
  if (said || header('anthropic-ratelimit-unified-status') === 'rejected') {
    const at =
      epochSeconds(/\|\s*(\d{9,})\s*$/.exec(r.message ?? '')?.[1]) ??
      epochSeconds(header('anthropic-ratelimit-unified-reset') ?? undefined);
    const wait = retryAfterMs(r.headers);
    // A reset already past (clocks disagree) or none given: look again after the threshold.
    const until = at ?? (wait !== undefined ? now + wait : undefined);
    return until !== undefined && until > now ? until : now + thresholdMs;
  }
  const wait = retryAfterMs(r.headers) ?? exhaustedResetMs(header, now);
  return wait !== undefined && wait > thresholdMs ? now + wait : undefined;
}

function epochSeconds(raw: string | undefined): number | undefined {
  const s = Number(raw);
  return raw && Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

/** The latest reset among the limits with nothing remaining: until then every request is refused. */
function exhaustedResetMs(header: (name: string) => string | null, now: number): number | undefined {
  let wait: number | undefined;
  for (const limit of LIMITS) {
    if (header(`anthropic-ratelimit-${limit}-remaining`) !== '0') continue;
    const reset = Date.parse(header(`anthropic-ratelimit-${limit}-reset`) ?? '');
    if (Number.isFinite(reset)) wait = Math.max(wait ?? 0, reset - now);
  }
  return wait;
}
