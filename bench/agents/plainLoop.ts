// The baseline of the agents benchmark: the same model calls dwf makes, as a plain Node loop of
// SDK `messages.stream(params).finalMessage()` with a concurrency limit and nothing else (no
// engine, sandbox, journal, transcripts or tools). Spawned as its own process like `dwf`, so
// both sides pay process start-up.
//   node plainLoop.js <baseURL> <request-template.json> <n> <concurrency> <prompt-prefix>
// The template is a request body dwf sent; each call swaps in its own prompt. Prints one JSON line.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';

export function promptFor(prefix: string, i: number): string {
  return `${prefix} ${i}: reply with ok`;
}

/** The template with prompt i as its only (cache-marked) user message, as dwf builds it. */
export function paramsFor(
  template: MessageCreateParamsNonStreaming & { stream?: unknown },
  prompt: string,
): MessageCreateParamsNonStreaming {
  const { stream: _stream, ...rest } = template;
  return {
    ...rest,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt, cache_control: { type: 'ephemeral' } }] }],
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const [baseURL, templateFile, nArg, concurrencyArg, prefix] = process.argv.slice(2);
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as MessageCreateParamsNonStreaming;
  const n = Number(nArg);
  const concurrency = Number(concurrencyArg);
  const client = new Anthropic({ apiKey: 'test', baseURL, maxRetries: 0 });
  const results: string[] = new Array(n);
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  let next = 0;
  const loopStarted = performance.now();
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const m = await client.messages.stream(paramsFor(template, promptFor(prefix, i))).finalMessage();
      const text = m.content.find((b) => b.type === 'text');
      results[i] = text && text.type === 'text' ? text.text : '';
      usage.input += m.usage.input_tokens;
      usage.output += m.usage.output_tokens;
      usage.cacheRead += m.usage.cache_read_input_tokens ?? 0;
      usage.cacheWrite += m.usage.cache_creation_input_tokens ?? 0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const loopMs = performance.now() - loopStarted;
  const ok = results.filter((r, i) => r === `echo:${promptFor(prefix, i)}`).length;
  process.stdout.write(JSON.stringify({ n, ok, loopMs, processMs: performance.now() - started, usage }) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
