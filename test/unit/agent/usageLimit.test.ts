// Usage limits in the request layer (issue 11 item 4), through the real SDK against the fake
// server: a long wait or the account's usage-limit refusal waits for the window on the run's
// back-off and counts no retry; a short retry-after stays an ordinary, counted overload. The
// back-off's clock and sleep are injected, so a one-hour window passes at once.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  ACCOUNT_RATE_LIMIT_MESSAGE,
  FakeAnthropicServer,
  exhaustedTokens,
  longRetryAfter,
  usageLimitReached,
} from '../../fakes/fakeAnthropic';
import { RunBackoff } from '../../../src/agent/backoff';
import { DEFAULT_POLICY, requestTurn, TerminalApiError, type RequestPolicy } from '../../../src/agent/request';
import { USAGE_LIMIT_THRESHOLD_MS, usageLimitUntil } from '../../../src/agent/usageLimit';

const NOW = 1_800_000_000_000; // whole seconds, so epoch-second resets land exactly
const HOUR = 3_600_000;
const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
const refusal = (h: Record<string, string>, message = ACCOUNT_RATE_LIMIT_MESSAGE, status = 429) => ({
  status,
  type: status === 529 ? 'overloaded_error' : 'rate_limit_error',
  message,
  headers: headers(h),
});

describe('usage limits: which refusals pause the run', () => {
  const until = (r: ReturnType<typeof refusal>) => usageLimitUntil(r, NOW, USAGE_LIMIT_THRESHOLD_MS);

  it('a retry-after over a minute is a usage limit until then; a minute or less is not', () => {
    assert.equal(until(refusal({ 'retry-after': '61' })), NOW + 61_000);
    assert.equal(until(refusal({ 'retry-after': '60' })), undefined);
    assert.equal(until(refusal({ 'retry-after': '5' })), undefined);
  });

  it('retry-after-ms wins over retry-after, both ways', () => {
    assert.equal(until(refusal({ 'retry-after': '5', 'retry-after-ms': '90000' })), NOW + 90_000);
    assert.equal(until(refusal({ 'retry-after': '3600', 'retry-after-ms': '200' })), undefined);
  });

  it('without retry-after, the reset of a spent per-minute limit decides', () => {
    const at = new Date(NOW + 5 * 60_000).toISOString();
    assert.equal(
      until(refusal({ 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': at })),
      NOW + 5 * 60_000,
    );
    // A limit with requests to spare says nothing about when this refusal ends.
    assert.equal(
      until(refusal({ 'anthropic-ratelimit-tokens-remaining': '5', 'anthropic-ratelimit-tokens-reset': at })),
      undefined,
    );
  });

  it("the account's usage limit pauses until its reset, from the headers or the message", () => {
    const reset = String((NOW + 2 * HOUR) / 1000);
    assert.equal(
      until(refusal({ 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': reset })),
      NOW + 2 * HOUR,
    );
    assert.equal(until(refusal({}, `Claude AI usage limit reached|${(NOW + HOUR) / 1000}`)), NOW + HOUR);
    // Said, but with no time at all: look again after the threshold rather than hammer the API.
    assert.equal(until(refusal({}, 'Claude AI usage limit reached')), NOW + USAGE_LIMIT_THRESHOLD_MS);
  });

  it('an overload (529) is never a usage limit, whatever it asks', () => {
    assert.equal(until(refusal({ 'retry-after': '3600' }, 'Overloaded', 529)), undefined);
  });
});

describe('usage limits: requestTurn against the fake server', function () {
  this.timeout(20_000);
  let server: FakeAnthropicServer;
  let client: Anthropic;
  let clock: number;
  let sleeps: number[];
  let backoff: RunBackoff;
  const params = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };
  // No overload may be retried: a usage limit that counted as one would end the request.
  const strict: RequestPolicy = { ...DEFAULT_POLICY, maxOverloads: 0 };

  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
    clock = NOW;
    sleeps = [];
    backoff = new RunBackoff({
      limit: 4,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
  });
  afterEach(() => server.close());

  const turn = (policy = strict) => {
    const limits: number[] = [];
    const retries: string[] = [];
    const done = requestTurn(client, params, backoff, policy, new AbortController().signal, {
      usageLimit: (until) => limits.push(until),
      retry: (why) => retries.push(why),
    });
    return { done, limits, retries };
  };

  it('a long retry-after waits it out once, burns no retry and sends the request once more', async () => {
    server.fault(longRetryAfter(3600));
    const t = turn();
    const msg = await t.done;
    assert.equal(msg.content[0].type === 'text' && msg.content[0].text, 'echo:hi');
    assert.deepEqual(t.limits, [NOW + HOUR]);
    assert.deepEqual(t.retries, []);
    assert.deepEqual(sleeps, [HOUR], 'the back-off slept exactly until the window reopened');
    assert.equal(backoff.overloads, 0);
    assert.equal(backoff.gate.limit, 4, 'a usage limit sheds no concurrency');
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [429, 200],
    );
  });

  it('a short retry-after stays an ordinary overload: counted, retried after its pause', async () => {
    server.fault(longRetryAfter(2));
    const t = turn({ ...DEFAULT_POLICY, maxOverloads: 1 });
    await t.done;
    assert.deepEqual(t.limits, []);
    assert.equal(t.retries.length, 1);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(backoff.overloads, 1);

    server.fault(longRetryAfter(2));
    await assert.rejects(turn().done, TerminalApiError, 'with no overload retries left it gives up');
  });

  it("the account's usage-limit error pauses until its reset time", async () => {
    server.fault(usageLimitReached(new Date(NOW + 2 * HOUR)));
    const t = turn();
    await t.done;
    assert.deepEqual(t.limits, [NOW + 2 * HOUR]);
    assert.deepEqual(sleeps, [2 * HOUR]);
    assert.equal(backoff.overloads, 0);
  });

  it('a spent per-minute limit with a far reset pauses until that reset', async () => {
    server.fault(exhaustedTokens(new Date(NOW + 10 * 60_000)));
    const t = turn();
    await t.done;
    assert.deepEqual(t.limits, [NOW + 10 * 60_000]);
    assert.deepEqual(sleeps, [10 * 60_000]);
  });

  it('a request that starts while the window is closed says it waits, then waits without a request', async () => {
    backoff.usageLimited(NOW + HOUR);
    const t = turn();
    await t.done;
    assert.deepEqual(t.limits, [NOW + HOUR]);
    assert.deepEqual(sleeps, [HOUR]);
    assert.equal(server.requests.length, 1, 'nothing was sent before the window reopened');
  });

  it('a stop while waiting for the window ends the request at once', async () => {
    const stop = new AbortController();
    const real = new RunBackoff({ limit: 4 });
    server.fault(longRetryAfter(3600));
    const done = requestTurn(client, params, real, strict, stop.signal, {
      usageLimit: () => stop.abort(new Error('stopped')),
    });
    await assert.rejects(done, /stopped/);
    assert.equal(server.requests.length, 1);
  });
});
