// The fake's prompt-cache model through the real SDK: cache_control on system and tools writes a
// prefix once and reads it afterwards, the top-level marker caches a growing conversation, and
// the counts are deterministic so benchmarks can report hit fractions.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { FakeAnthropicServer } from '../../fakes/fakeAnthropic';

const MODEL = 'claude-sonnet-4-6';
const SYSTEM = 'You are a careful subagent. '.repeat(40);
const EPHEMERAL = { type: 'ephemeral' as const };
const TOOLS: Anthropic.Tool[] = [
  {
    name: 'Read',
    description: 'Read a file',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
  },
  {
    name: 'Grep',
    description: 'Search files',
    input_schema: { type: 'object', properties: { pattern: { type: 'string' } } },
    cache_control: EPHEMERAL,
  },
];

function cachedParams(prompt: string, system = SYSTEM): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 100,
    tools: TOOLS,
    system: [{ type: 'text', text: system, cache_control: EPHEMERAL }],
    messages: [{ role: 'user', content: prompt }],
  };
}

describe('fake Anthropic server: prompt caching', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await FakeAnthropicServer.start();
    client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  });
  afterEach(() => server.close());

  it('writes the tools+system prefix on first sight and reads it on the next request', async () => {
    const first = await client.messages.create(cachedParams('agent one'));
    const second = await client.messages.stream(cachedParams('agent two')).finalMessage();
    const prefix = first.usage.cache_creation_input_tokens ?? 0;
    assert.ok(prefix > SYSTEM.length / 4, `prefix covers tools and system (${prefix})`);
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.deepEqual(first.usage.cache_creation, { ephemeral_5m_input_tokens: prefix, ephemeral_1h_input_tokens: 0 });
    assert.equal(second.usage.cache_read_input_tokens, prefix);
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    // The uncached remainder is the user message only, and the same size for both prompts.
    assert.equal(second.usage.input_tokens, first.usage.input_tokens);
    assert.ok(first.usage.input_tokens < 10);
    assert.equal(server.cacheEntries, 2, 'one entry per breakpoint (last tool, system)');
  });

  it('a different system prompt is a different prefix; the tools breakpoint still hits', async () => {
    const a = await client.messages.create(cachedParams('x'));
    const b = await client.messages.create(cachedParams('x', 'Another system prompt entirely. '.repeat(30)));
    const total = (u: Anthropic.Usage) =>
      u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    assert.equal(a.usage.cache_read_input_tokens, 0);
    const toolsPrefix = b.usage.cache_read_input_tokens ?? 0;
    assert.ok(toolsPrefix > 0 && toolsPrefix < (a.usage.cache_creation_input_tokens ?? 0));
    assert.equal(total(b.usage), b.usage.input_tokens + toolsPrefix + (b.usage.cache_creation_input_tokens ?? 0));
    assert.ok((b.usage.cache_creation_input_tokens ?? 0) > 0);
  });

  it('without cache_control nothing is cached', async () => {
    const plain = {
      model: MODEL,
      max_tokens: 100,
      system: SYSTEM,
      tools: TOOLS.map(({ cache_control: _c, ...t }) => t),
      messages: [{ role: 'user' as const, content: 'q' }],
    };
    const a = await client.messages.create(plain);
    const b = await client.messages.create(plain);
    assert.equal(b.usage.cache_read_input_tokens, 0);
    assert.equal(b.usage.cache_creation_input_tokens, 0);
    assert.equal(b.usage.input_tokens, a.usage.input_tokens);
    assert.ok(a.usage.input_tokens > SYSTEM.length / 4);
  });

  it('the top-level cache_control caches a growing conversation turn by turn', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'first question '.repeat(20) }];
    const body = () =>
      ({
        model: MODEL,
        max_tokens: 100,
        system: SYSTEM,
        messages,
        cache_control: EPHEMERAL,
      }) as Anthropic.MessageCreateParamsNonStreaming;
    const t1 = await client.messages.create(body());
    messages.push({ role: 'assistant', content: t1.content }, { role: 'user', content: 'follow-up' });
    const t2 = await client.messages.create(body());
    assert.equal(t1.usage.cache_read_input_tokens, 0);
    assert.equal(
      t2.usage.cache_read_input_tokens,
      t1.usage.cache_creation_input_tokens,
      'turn 2 reads what turn 1 wrote',
    );
    assert.ok((t2.usage.cache_creation_input_tokens ?? 0) > 0, 'and writes its new tail');
    assert.equal(server.requests[0].body.cache_control?.type, 'ephemeral');
  });

  it('reports a 1h write under ephemeral_1h_input_tokens', async () => {
    const p = cachedParams('q');
    p.system = [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }];
    const m = await client.messages.create(p);
    assert.equal(m.usage.cache_creation?.ephemeral_1h_input_tokens, m.usage.cache_creation_input_tokens);
    assert.equal(m.usage.cache_creation?.ephemeral_5m_input_tokens, 0);
  });

  it('gives a fan-out with a shared prefix a high cache-hit fraction (deterministic)', async () => {
    const usages: Anthropic.Usage[] = [];
    for (let i = 0; i < 10; i++) usages.push((await client.messages.create(cachedParams(`task ${i}`))).usage);
    const sum = (k: 'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') =>
      usages.reduce((n, u) => n + (u[k] ?? 0), 0);
    const fraction =
      sum('cache_read_input_tokens') /
      (sum('input_tokens') + sum('cache_read_input_tokens') + sum('cache_creation_input_tokens'));
    // One write of the prefix P, nine reads of it, and ten uncached tails T of equal size.
    const P = usages[0].cache_creation_input_tokens ?? 0;
    const T = usages[0].input_tokens;
    assert.ok(usages.every((u) => u.input_tokens === T));
    assert.equal(fraction, (9 * P) / (10 * P + 10 * T));
    assert.ok(fraction > 0.85, `fraction ${fraction}`);
    server.clearCache();
    const again = await client.messages.create(cachedParams('task 0'));
    assert.equal(again.usage.cache_read_input_tokens, 0);
  });

  it('honours minCacheableTokens, and rejects more than 4 breakpoints like the API', async () => {
    const picky = await FakeAnthropicServer.start({ minCacheableTokens: 100_000 });
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: picky.url, maxRetries: 0 });
      const m = await c.messages.create(cachedParams('q'));
      assert.equal(m.usage.cache_creation_input_tokens, 0);
      const five = cachedParams('q');
      five.messages = [
        {
          role: 'user',
          content: ['a', 'b', 'c', 'd'].map((text) => ({ type: 'text' as const, text, cache_control: EPHEMERAL })),
        },
      ];
      await assert.rejects(
        c.messages.create(five),
        /A maximum of 4 blocks with cache_control may be provided. Found 6./,
      );
    } finally {
      await picky.close();
    }
  });
});
