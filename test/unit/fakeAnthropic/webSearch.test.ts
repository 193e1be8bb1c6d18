// The fake's server-side web search through the real SDK: the blocks a searching turn returns
// (JSON and streamed), the usage it bills, max_uses, and the checks on a conversation that sends
// the blocks back.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { FakeAnthropicServer, searchResultsSoFar, type FakeWebSearch } from '../../fakes/fakeAnthropic';

const MODEL = 'claude-sonnet-4-6';
const WEB_SEARCH = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 2 };
const SEARCH: FakeWebSearch = {
  query: 'quickjs sandbox',
  results: [
    { url: 'https://example.org/quickjs', title: 'QuickJS', pageAge: '3 days ago' },
    { url: 'https://example.org/wasm', title: 'Wasm sandboxes' },
  ],
};

describe('fake Anthropic server: server-side web search', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  });
  afterEach(() => server.close());

  function searchBlocks(content: ContentBlock[]) {
    return content.filter((b) => b.type === 'server_tool_use' || b.type === 'web_search_tool_result');
  }

  it('a turn with webSearches returns server_tool_use + web_search_tool_result before the text, billed in usage', async () => {
    server.respond({ webSearches: [SEARCH], text: 'QuickJS runs in wasm.' });
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [WEB_SEARCH],
      messages: [{ role: 'user', content: 'search' }],
    });
    assert.deepEqual(
      msg.content.map((b) => b.type),
      ['server_tool_use', 'web_search_tool_result', 'text'],
    );
    const [call, result] = searchBlocks(msg.content);
    assert.ok(call.type === 'server_tool_use' && result.type === 'web_search_tool_result');
    assert.equal(call.name, 'web_search');
    assert.deepEqual(call.input, { query: 'quickjs sandbox' });
    assert.equal(result.tool_use_id, call.id);
    assert.ok(Array.isArray(result.content));
    assert.deepEqual(
      result.content.map((r) => [r.type, r.url, r.title, r.page_age]),
      [
        ['web_search_result', 'https://example.org/quickjs', 'QuickJS', '3 days ago'],
        ['web_search_result', 'https://example.org/wasm', 'Wasm sandboxes', null],
      ],
    );
    assert.ok(result.content.every((r) => r.encrypted_content.length > 0));
    assert.deepEqual(msg.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
  });

  it('streamed, the SDK reassembles the same blocks (the query from input_json_delta)', async () => {
    server.respond({ webSearches: [SEARCH], text: 'done' });
    const msg = await client.messages
      .stream({ model: MODEL, max_tokens: 100, tools: [WEB_SEARCH], messages: [{ role: 'user', content: 'go' }] })
      .finalMessage();
    const [call, result] = searchBlocks(msg.content);
    assert.ok(call.type === 'server_tool_use' && result.type === 'web_search_tool_result');
    assert.deepEqual(call.input, { query: 'quickjs sandbox' });
    assert.ok(Array.isArray(result.content) && result.content.length === 2);
    assert.equal(msg.usage.server_tool_use?.web_search_requests, 1);
  });

  it('searches past max_uses (this turn and earlier ones) get max_uses_exceeded', async () => {
    server.respond({ webSearches: [SEARCH, SEARCH, SEARCH], text: 'x' });
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [WEB_SEARCH],
      messages: [{ role: 'user', content: 'go' }],
    });
    const results = msg.content.filter((b) => b.type === 'web_search_tool_result');
    assert.equal(results.length, 3);
    assert.ok(Array.isArray(results[0].content) && Array.isArray(results[1].content));
    assert.deepEqual(results[2].content, { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' });
    assert.equal(msg.usage.server_tool_use?.web_search_requests, 2);
  });

  it('the next turn accepts the blocks sent back as received; responders can read the results', async () => {
    server.respond((req) =>
      req.body.messages.length === 1
        ? { webSearches: [SEARCH], text: 'first' }
        : {
            text: searchResultsSoFar(req.body)
              .map((r) => r.url)
              .join(' '),
          },
    );
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [WEB_SEARCH],
      messages: [{ role: 'user', content: 'go' }],
    });
    const history: MessageParam[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'which urls?' },
    ];
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [WEB_SEARCH],
      messages: history,
    });
    assert.deepEqual(second.content, [
      { type: 'text', text: 'https://example.org/quickjs https://example.org/wasm', citations: null },
    ]);
  });

  it('a history with a dropped result or a changed encrypted_content is a 400, as from the API', async () => {
    server.respond({ webSearches: [SEARCH], text: 'first' });
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [WEB_SEARCH],
      messages: [{ role: 'user', content: 'go' }],
    });
    const send = (content: MessageParam['content']) =>
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: [WEB_SEARCH],
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content },
          { role: 'user', content: 'more' },
        ],
      });
    const withoutResult = first.content.filter((b) => b.type !== 'web_search_tool_result');
    await assert.rejects(send(withoutResult as MessageParam['content']), /has no web_search_tool_result block/);
    const tampered = JSON.parse(JSON.stringify(first.content)) as {
      type: string;
      content?: { encrypted_content: string }[];
    }[];
    tampered[1].content![0].encrypted_content = 'forged';
    await assert.rejects(send(tampered as MessageParam['content']), /passed back exactly as received/);
  });

  it('a turn that scripts a search for a request without the tool fails loudly, not silently', async () => {
    server.respond({ webSearches: [SEARCH], text: 'x' });
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'go' }] }),
      /offers no web_search_20250305 tool/,
    );
  });
});
