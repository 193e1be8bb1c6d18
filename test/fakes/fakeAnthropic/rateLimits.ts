// The API's two kinds of "not now" as faults, in its wire shapes: a 429 whose retry-after asks for
// a long wait (a per-minute limit spent), and a subscription's usage limit (a 429 whose
// anthropic-ratelimit-unified-* headers say the window is rejected until an epoch second).
import type { FakeFault } from './types';

/** The message the API sends with a 429 `rate_limit_error` for an account's limit. */
export const ACCOUNT_RATE_LIMIT_MESSAGE =
  "This request would exceed your account's rate limit. Please try again later.";

/** A 429 asking to wait `seconds` (`retry-after`), or `ms` exactly (`retry-after-ms`, which wins). */
export function longRetryAfter(seconds: number, ms?: number): FakeFault {
  return {
    status: 429,
    errorType: 'rate_limit_error',
    message: ACCOUNT_RATE_LIMIT_MESSAGE,
    headers: { 'retry-after': String(seconds), ...(ms !== undefined && { 'retry-after-ms': String(ms) }) },
  };
}

/** A per-minute limit spent: `remaining: 0` and its RFC 3339 reset, with no retry-after. */
export function exhaustedTokens(resetAt: Date): FakeFault {
  return {
    status: 429,
    errorType: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your per-minute rate limit',
    headers: {
      'anthropic-ratelimit-tokens-limit': '80000',
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': resetAt.toISOString(),
    },
  };
}

/**
 * The account's usage limit: rejected until `resetAt` (the header has whole epoch seconds). With
 * `message`, the body says it instead (Claude Code's `Claude AI usage limit reached|<epoch s>`).
 */
export function usageLimitReached(resetAt: Date, opts: { message?: string } = {}): FakeFault {
  const epoch = Math.ceil(resetAt.getTime() / 1000);
  return {
    status: 429,
    errorType: 'rate_limit_error',
    message: opts.message ?? ACCOUNT_RATE_LIMIT_MESSAGE,
    headers: {
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': String(epoch),
    },
  };
}
