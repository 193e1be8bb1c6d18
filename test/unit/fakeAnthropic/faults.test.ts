// Fault injection through the real SDK: 429 with retry-after-ms (retried), 529 and 400 (typed
// errors, retried or not as the SDK decides), mid-stream `event: error`, slow streams aborted
// by the client, stalled streams held open, and faults scoped by match/times.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { FakeAnthropicServer, firstUserText } from '../../fakes/fakeAnthropic';

const MODEL = 'claude-sonnet-4-6';
const ask = (content = 'hi') => ({ model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content }] });

describe('fake Anthropic server: faults through the SDK', () => {
  let server: FakeAnthropicServer;
  const client = (maxRetries: number) => new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries });
  beforeEach(async () => (server = await FakeAnthropicServer.start()));
  afterEach(() => server.close());

  it('429 with retry-after-ms is retried by the SDK after that pause', async () => {
    server.fault({ status: 429, headers: { 'retry-after-ms': '30', 'retry-after': '1' } });
    const started = Date.now();
    const msg = await client(2).messages.stream(ask('again')).finalMessage();
    assert.equal(msg.content[0].type === 'text' && msg.content[0].text, 'echo:again');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      server.requests.map((r) => r.headers['x-stainless-retry-count']),
      ['0', '1'],
    );
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [429, 200],
    );
    assert.ok(Date.now() - started < 900, 'retry-after-ms wins over retry-after: 1');
    assert.equal(server.pendingFaults, 0);
  });

  it('429 errors carry the API error body and headers once retries are exhausted', async () => {
    server.fault({ status: 429, headers: { 'retry-after-ms': '5' } }, { times: 2 });
    await assert.rejects(client(1).messages.create(ask()), (e: unknown) => {
      assert.ok(e instanceof Anthropic.RateLimitError);
      assert.equal(e.status, 429);
      assert.equal(e.type, 'rate_limit_error');
      assert.equal(e.headers?.get('retry-after-ms'), '5');
      assert.equal(e.requestID, e.headers?.get('request-id'));
      const body = e.error as { type: string; error: { type: string; message: string }; request_id: string };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'rate_limit_error');
      assert.ok(body.error.message.length > 0);
      assert.equal(body.request_id, e.requestID);
      return true;
    });
    assert.equal(server.requests.length, 2);
  });

  it('529 with maxRetries 0 rejects at once with OverloadedError', async () => {
    server.fault({ status: 529 });
    await assert.rejects(client(0).messages.stream(ask()).finalMessage(), (e: unknown) => {
      assert.ok(e instanceof Anthropic.OverloadedError);
      assert.equal(e.status, 529);
      assert.equal(e.type, 'overloaded_error');
      assert.match(e.requestID ?? '', /^req_fake_/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('500 is retried; 400 and x-should-retry: false are not', async () => {
    server.fault({ status: 500, headers: { 'retry-after-ms': '1' } });
    await client(2).messages.create(ask());
    assert.equal(server.requests.length, 2);

    server.reset();
    server.fault({ status: 400, message: 'messages.0: bad' });
    await assert.rejects(client(2).messages.create(ask()), (e: unknown) => {
      assert.ok(e instanceof Anthropic.BadRequestError);
      assert.equal(e.type, 'invalid_request_error');
      assert.match(e.message, /messages\.0: bad/);
      return true;
    });
    assert.equal(server.requests.length, 1);

    server.reset();
    server.fault({ status: 529, headers: { 'x-should-retry': 'false' } });
    await assert.rejects(client(2).messages.create(ask()), Anthropic.OverloadedError);
    assert.equal(server.requests.length, 1);
  });

  it('a mid-stream event: error surfaces as an APIError without a status and is not retried', async () => {
    server.respond({ text: 'a fairly long answer that will be cut off half way through' });
    server.fault({ streamErrorAfter: 4, errorType: 'overloaded_error' });
    const stream = client(2).messages.stream(ask());
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    await assert.rejects(stream.finalMessage(), (e: unknown) => {
      assert.ok(e instanceof Anthropic.APIError);
      assert.equal(e.status, undefined);
      assert.equal(e.type, 'overloaded_error');
      return true;
    });
    assert.ok(texts.length >= 1, 'events before the error were delivered');
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].eventsSent, 4);
  });

  it('an AbortSignal mid-stream gives APIUserAbortError and the server records the disconnect', async () => {
    server.respond({ text: 'word '.repeat(40) });
    server.fault({ streamDelayMs: 20 });
    const ac = new AbortController();
    const stream = client(2).messages.stream(ask(), { signal: ac.signal });
    stream.on('text', () => ac.abort());
    await assert.rejects(stream.finalMessage(), Anthropic.APIUserAbortError);
    assert.equal(stream.aborted, true);
    await server.idle();
    const rec = server.requests[0];
    assert.equal(rec.aborted, true);
    assert.ok(rec.eventsSent < 10, `stopped early (${rec.eventsSent} events)`);
    assert.ok(rec.endedAt !== undefined);
    assert.equal(server.requests.length, 1, 'an abort is not retried');
  });

  it('a stalled stream keeps the request open until the client aborts', async () => {
    server.fault({ stallAfter: 3 });
    const ac = new AbortController();
    const stream = client(0).messages.stream(ask(), { signal: ac.signal });
    const done = stream.finalMessage().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    let connected = false;
    stream.on('connect', () => (connected = true));
    await server.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(connected, true);
    assert.equal(server.inFlight, 1);
    assert.equal(server.requests[0].eventsSent, 3);
    assert.equal(server.requests[0].endedAt, undefined);
    ac.abort();
    assert.ok((await done) instanceof Anthropic.APIUserAbortError);
    await server.idle();
    assert.equal(server.requests[0].aborted, true);
  });

  it('a stalled non-streaming request gets no headers; close() destroys its socket', async () => {
    server.fault({ stallAfter: 0 });
    const pending = client(0)
      .messages.create(ask())
      .then(
        () => 'resolved',
        (e: unknown) => e,
      );
    await server.waitForRequests(1);
    assert.equal(server.inFlight, 1);
    await server.close();
    assert.ok((await pending) instanceof Anthropic.APIConnectionError);
    assert.equal(server.inFlight, 0);
  });

  it('delayMs holds the headers back; the abort before headers is recorded too', async () => {
    server.fault({ delayMs: 5000 });
    const ac = new AbortController();
    const p = client(0).messages.create(ask(), { signal: ac.signal });
    await server.waitForRequests(1);
    ac.abort();
    await assert.rejects(p, Anthropic.APIUserAbortError);
    await server.idle();
    assert.equal(server.requests[0].aborted, true);
    assert.equal(server.requests[0].status, undefined);
  });

  it('faults apply in order, only to matching requests, for the given number of times', async () => {
    server.fault({ status: 529 }, { times: 2, match: (r) => firstUserText(r.body) === 'victim' });
    server.fault({ status: 400 });
    const c = client(0);
    await assert.rejects(c.messages.create(ask('victim')), Anthropic.OverloadedError);
    await assert.rejects(c.messages.create(ask('bystander')), Anthropic.BadRequestError);
    await c.messages.create(ask('bystander'));
    await assert.rejects(c.messages.create(ask('victim')), Anthropic.OverloadedError);
    await c.messages.create(ask('victim'));
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [529, 400, 200, 529, 200],
    );
    assert.equal(server.pendingFaults, 0);
  });

  it('a slow stream still completes with the whole message', async () => {
    server.respond({ text: 'slow and steady' });
    server.fault({ streamDelayMs: 5 });
    const msg = await client(0).messages.stream(ask()).finalMessage();
    assert.equal(msg.content[0].type === 'text' && msg.content[0].text, 'slow and steady');
    assert.equal(server.requests[0].eventsSent, 7);
  });
});
