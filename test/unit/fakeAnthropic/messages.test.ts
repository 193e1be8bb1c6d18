// The fake Messages API through the real SDK: JSON and streamed messages, tool_use reassembled
// from input_json_delta chunks, a full tool loop, usage fields, auth, and the raw SSE wire shape.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { byTurn, FakeAnthropicServer, lastUserText, toolResults } from '../../fakes/fakeAnthropic';

const MODEL = 'claude-sonnet-4-6';
const TOOLS = [
  {
    name: 'read_file',
    description: 'Read a file',
    input_schema: { type: 'object' as const, properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

describe('fake Anthropic server: messages through the SDK', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  });
  afterEach(() => server.close());

  it('answers messages.create with a JSON message (default responder echoes the last user text)', async () => {
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'say hi' }],
    });
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.equal(msg.model, MODEL);
    assert.match(msg.id, /^msg_fake_/);
    assert.deepEqual(msg.content, [{ type: 'text', text: 'echo:say hi', citations: null }]);
    assert.equal(msg.stop_reason, 'end_turn');
    const rec = server.requests[0];
    assert.equal(rec.path, '/v1/messages');
    assert.equal(rec.stream, false);
    assert.equal(rec.headers.authorization, 'Bearer test-key');
    assert.ok(rec.headers['anthropic-version']);
    assert.equal(rec.retryCount, 0);
    assert.equal(rec.status, 200);
    assert.equal(rec.aborted, false);
  });

  it('streams text with messages.stream().finalMessage(), in several text_delta chunks', async () => {
    const long = 'The quick brown fox jumps over the lazy dog, twice over and then once more.';
    server.respond({ text: long });
    const deltas: string[] = [];
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'go' }],
    });
    stream.on('text', (d) => deltas.push(d));
    const msg = await stream.finalMessage();
    assert.ok(deltas.length >= 3, `expected several deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), long);
    assert.deepEqual(msg.content, [{ type: 'text', text: long, citations: null }]);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.equal(server.requests[0].stream, true);
    await server.idle();
    assert.equal(server.requests[0].aborted, false);
  });

  it('streams a tool_use whose input arrives in several input_json_delta chunks and is reassembled', async () => {
    const input = { path: 'docs/some/rather/long/path/README.md', max_bytes: 4096, flags: ['a', 'b'] };
    server.respond({ text: 'Let me read the file.', toolUses: [{ name: 'read_file', input }] });
    const chunks: string[] = [];
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 100,
      tools: TOOLS,
      messages: [{ role: 'user', content: 'read it' }],
    });
    stream.on('inputJson', (partial) => chunks.push(partial));
    const msg = await stream.finalMessage();
    assert.ok(chunks.filter((c) => c !== '').length >= 3, `expected several chunks, got ${JSON.stringify(chunks)}`);
    assert.equal(chunks.join(''), JSON.stringify(input));
    assert.equal(msg.stop_reason, 'tool_use');
    assert.equal(msg.content.length, 2);
    const [text, tool] = msg.content;
    assert.equal(text.type === 'text' && text.text, 'Let me read the file.');
    assert.ok(tool.type === 'tool_use');
    assert.equal(tool.name, 'read_file');
    assert.match(tool.id, /^toolu_fake_/);
    assert.deepEqual(tool.input, input);
  });

  it('runs a two-turn tool loop: tool_use, then tool_result, then the final text', async () => {
    server.respond(
      byTurn({ toolUses: [{ name: 'read_file', input: { path: 'README.md' } }] }, (req) => ({
        text: `The file says: ${toolResults(req.body)[0]?.content}`,
      })),
    );
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What does README.md say?' }];
    const first = await client.messages
      .stream({ model: MODEL, max_tokens: 100, tools: TOOLS, messages })
      .finalMessage();
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use');
    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: use.id, content: '# README\nhello' }],
    });
    const second = await client.messages
      .stream({ model: MODEL, max_tokens: 100, tools: TOOLS, messages })
      .finalMessage();
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'The file says: # README\nhello', citations: null }]);
    assert.equal(lastUserText(server.requests[1].body), '# README\nhello');
  });

  it('rejects a tool_use without a tool_result in the next message, as the API does (400, not retried)', async () => {
    const retrying = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 2 });
    const bad = retrying.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_x', name: 'read_file', input: {} }] },
        { role: 'user', content: 'no result here' },
      ],
    });
    await assert.rejects(bad, (e: unknown) => {
      assert.ok(e instanceof Anthropic.BadRequestError);
      assert.match(e.message, /tool_use` ids were found without `tool_result` blocks immediately after: toolu_x/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('reports deterministic usage with all cache fields, identical for JSON and streaming', async () => {
    server.respond({ text: 'x'.repeat(40) });
    const params = { model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content: 'y'.repeat(100) }] };
    const a = await client.messages.create(params);
    const b = await client.messages.stream(params).finalMessage();
    assert.equal(a.usage.output_tokens, 10); // 40 characters / 4
    assert.ok(a.usage.input_tokens >= 25); // 100 characters / 4, plus the block's JSON framing
    assert.equal(a.usage.cache_creation_input_tokens, 0);
    assert.equal(a.usage.cache_read_input_tokens, 0);
    assert.deepEqual(a.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    assert.equal(a.usage.service_tier, 'standard');
    assert.deepEqual(b.usage, a.usage);
    assert.deepEqual(server.requests[1].usage, a.usage);
  });

  it('lets a turn override usage numbers and the stop reason', async () => {
    server.respond({ text: 'cut', stopReason: 'max_tokens', usage: { input_tokens: 7, output_tokens: 54 } });
    const msg = await client.messages
      .stream({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    assert.equal(msg.stop_reason, 'max_tokens');
    assert.equal(msg.usage.input_tokens, 7);
    assert.equal(msg.usage.output_tokens, 54);
  });

  it('answers 401 authentication_error without credentials, and accepts x-api-key', async () => {
    const anonymous = new Anthropic({
      apiKey: 'test-key',
      baseURL: server.url,
      maxRetries: 2,
      defaultHeaders: { authorization: null },
    });
    await assert.rejects(
      anonymous.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      (e: unknown) => {
        assert.ok(e instanceof Anthropic.AuthenticationError);
        assert.equal(e.status, 401);
        assert.equal(e.type, 'authentication_error');
        assert.match(e.requestID ?? '', /^req_fake_/);
        return true;
      },
    );
    assert.equal(server.requests.length, 1, '401 is not retried');
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'raw' }] }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { content: { text: string }[] }).content[0].text, 'echo:raw');
  });

  it('checks the key when started with apiKey', async () => {
    const strict = await FakeAnthropicServer.start({ apiKey: 'right' });
    try {
      const wrong = new Anthropic({ apiKey: 'wrong', baseURL: strict.url, maxRetries: 0 });
      await assert.rejects(
        wrong.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
        Anthropic.AuthenticationError,
      );
      const right = new Anthropic({ apiKey: 'right', baseURL: strict.url, maxRetries: 0 });
      await right.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    } finally {
      await strict.close();
    }
  });

  it('speaks the SSE wire shape: event names in order, request-id header, cumulative usage in message_delta', async () => {
    server.respond({ text: 'hello there', toolUses: [{ name: 'read_file', input: { path: 'a' } }] });
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 10,
        stream: true,
        tools: TOOLS,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(res.headers.get('request-id') ?? '', /^req_fake_/);
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    const events = frames.map((f) => {
      const [ev, data] = f.split('\n');
      const parsed = JSON.parse(data.slice('data: '.length)) as Record<string, unknown>;
      assert.equal(parsed.type, ev.slice('event: '.length), 'data carries its event type');
      return parsed;
    });
    const names = [...new Set(events.map((e) => e.type))];
    assert.deepEqual(names, [
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0].message as { content: unknown[]; stop_reason: unknown; usage: Record<string, unknown> };
    assert.deepEqual(start.content, []);
    assert.equal(start.stop_reason, null);
    assert.equal(start.usage.output_tokens, 1);
    assert.ok('cache_read_input_tokens' in start.usage && 'cache_creation_input_tokens' in start.usage);
    const delta = events.find((e) => e.type === 'message_delta') as {
      delta: { stop_reason: string };
      usage: Record<string, number>;
    };
    assert.equal(delta.delta.stop_reason, 'tool_use');
    assert.ok(delta.usage.output_tokens > 1);
    assert.equal(events.at(-1)?.type, 'message_stop');
  });

  it('answers 404 not_found_error on other paths, and 400 without anthropic-version', async () => {
    const r404 = await fetch(`${server.url}/v1/complete`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: '{}',
    });
    assert.equal(r404.status, 404);
    assert.equal(((await r404.json()) as { error: { type: string } }).error.type, 'not_found_error');
    const r400 = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: '{}',
    });
    assert.equal(r400.status, 400);
    const body = (await r400.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.request_id, r400.headers.get('request-id'));
  });

  it('counts requests in flight and their peak', async () => {
    const slow = await FakeAnthropicServer.start({ latencyMs: 200 });
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      const all = Array.from({ length: 5 }, (_, i) =>
        c.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: `n${i}` }] }),
      );
      await slow.waitForRequests(5);
      assert.equal(slow.inFlight, 5);
      await Promise.all(all);
      await slow.idle();
      assert.equal(slow.inFlight, 0);
      assert.equal(slow.maxInFlight, 5);
    } finally {
      await slow.close();
    }
  });
});
