// The fake model's deterministic arithmetic: token counts (characters / 4), the prompt cache
// (prefix hashes in tools → system → messages order), usage and the message JSON that the
// findings (§6, "Fake server wire shapes") recorded from the real API.
import { createHash } from 'node:crypto';
import type { CacheControl, FakeTurn, MessagesBody, WireBlock, WireUsage } from './types';

/** Deterministic token estimate: ceil(characters / 4), at least 1. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

interface PrefixBlock {
  key: string;
  tokens: number;
  mark?: CacheControl;
}

function withoutCacheControl(b: object): object {
  // Moving a breakpoint must not change the cached content, so the marker is not part of the key.
  const { cache_control: _ignored, ...rest } = b as { cache_control?: unknown };
  return rest;
}

/** Every cacheable unit of the request in prefix order (tools, system blocks, message blocks). */
export function prefixBlocks(body: MessagesBody): PrefixBlock[] {
  const out: PrefixBlock[] = [];
  const add = (section: string, b: object | string) => {
    const key = JSON.stringify([section, typeof b === 'string' ? b : withoutCacheControl(b)]);
    const mark = typeof b === 'object' ? ((b as WireBlock).cache_control ?? undefined) : undefined;
    out.push({ key, tokens: countTokens(key), mark });
  };
  for (const t of body.tools ?? []) add('tool', t);
  if (typeof body.system === 'string') add('system', body.system);
  else for (const b of body.system ?? []) add('system', b);
  for (const m of body.messages ?? []) {
    if (typeof m.content === 'string') add(m.role, m.content);
    else for (const b of m.content ?? []) add(m.role, b);
  }
  // The top-level cache_control marks the last cacheable block (automatic caching).
  if (body.cache_control && out.length > 0 && !out[out.length - 1].mark) {
    out[out.length - 1].mark = body.cache_control;
  }
  return out;
}

export interface InputCount {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  ttl: '5m' | '1h';
}

/** How far back from a breakpoint the API looks for an earlier cached prefix. */
const LOOKBACK_BLOCKS = 20;

/**
 * The prompt cache: a set of prefix hashes (per model). A request reads the longest cached
 * prefix reachable from one of its breakpoints and writes the rest up to its last breakpoint.
 */
export class PromptCache {
  private readonly entries = new Set<string>();
  constructor(private readonly minTokens = 0) {}

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Counts the request's input and records the prefixes it writes. */
  account(body: MessagesBody): InputCount {
    const blocks = prefixBlocks(body);
    const hashes: string[] = [];
    const cum: number[] = [];
    let h = createHash('sha256').update(String(body.model)).digest('hex');
    let sum = 0;
    for (const b of blocks) {
      h = createHash('sha256').update(h).update(b.key).digest('hex');
      hashes.push(h);
      cum.push((sum += b.tokens));
    }
    const marks = blocks.map((b, i) => (b.mark && cum[i] >= this.minTokens ? i : -1)).filter((i) => i >= 0);
    if (marks.length === 0)
      return { input_tokens: Math.max(1, sum), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ttl: '5m' };
    let read = 0;
    for (const m of marks) {
      for (let j = m; j >= Math.max(0, m - LOOKBACK_BLOCKS + 1); j--) {
        if (this.entries.has(hashes[j])) {
          read = Math.max(read, cum[j]);
          break;
        }
      }
    }
    const last = marks[marks.length - 1];
    const created = Math.max(0, cum[last] - read);
    for (const m of marks) this.entries.add(hashes[m]);
    return {
      input_tokens: Math.max(1, sum - read - created),
      cache_creation_input_tokens: created,
      cache_read_input_tokens: read,
      ttl: blocks[last].mark?.ttl === '1h' ? '1h' : '5m',
    };
  }
}

export function outputTokens(turn: FakeTurn): number {
  let n = turn.text ? countTokens(turn.text) : 0;
  for (const t of turn.toolUses ?? []) n += countTokens(JSON.stringify(t.input ?? {}));
  return Math.max(1, n);
}

export function makeUsage(count: InputCount, turn: FakeTurn, webSearchRequests = 0): WireUsage {
  const o = turn.usage ?? {};
  const created = o.cache_creation_input_tokens ?? count.cache_creation_input_tokens;
  return {
    input_tokens: o.input_tokens ?? count.input_tokens,
    output_tokens: o.output_tokens ?? outputTokens(turn),
    cache_creation_input_tokens: created,
    cache_read_input_tokens: o.cache_read_input_tokens ?? count.cache_read_input_tokens,
    cache_creation: {
      ephemeral_5m_input_tokens: count.ttl === '5m' ? created : 0,
      ephemeral_1h_input_tokens: count.ttl === '1h' ? created : 0,
    },
    server_tool_use: webSearchRequests > 0 ? { web_search_requests: webSearchRequests, web_fetch_requests: 0 } : null,
    service_tier: 'standard',
    inference_geo: null,
    output_tokens_details: null,
    speed: null,
  };
}

/**
 * A turn's content blocks; `nextToolId` supplies ids the turn leaves out. `searchBlocks` (the
 * turn's server-side web searches) come first, as the API puts them before the text they inform.
 */
export function contentBlocks(turn: FakeTurn, nextToolId: () => string, searchBlocks: WireBlock[] = []): WireBlock[] {
  const blocks: WireBlock[] = [...searchBlocks];
  const tools = turn.toolUses ?? [];
  if (turn.text !== undefined || tools.length === 0)
    blocks.push({ type: 'text', text: turn.text ?? '', citations: null });
  for (const t of tools) {
    blocks.push({
      type: 'tool_use',
      id: t.id ?? nextToolId(),
      name: t.name,
      input: t.input ?? {},
      caller: { type: 'direct' },
    });
  }
  return blocks;
}

export function stopReason(turn: FakeTurn): string {
  return turn.stopReason ?? ((turn.toolUses?.length ?? 0) > 0 ? 'tool_use' : 'end_turn');
}

export interface MessageShape {
  id: string;
  model: string;
  content: WireBlock[];
  stopReason: string;
  usage: WireUsage;
}

/** The non-streaming 200 body. */
export function messageJson(m: MessageShape): object {
  return {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content: m.content,
    stop_reason: m.stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: m.usage,
  };
}
