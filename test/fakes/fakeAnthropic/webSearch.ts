// The server-side web search tool (`web_search_20250305`) as the Messages API runs it: the search
// happens on Anthropic's side, so one assistant message carries `server_tool_use` +
// `web_search_tool_result` blocks before the model's text. The client must send both blocks back
// unchanged (encrypted_content included) on the next turn; the fake checks that like the API does.
import { createHash } from 'node:crypto';
import type { MessagesBody, WireBlock } from './types';

export interface FakeSearchResult {
  url: string;
  title: string;
  /** e.g. "2 days ago"; null when omitted, as for pages without a date. */
  pageAge?: string;
}

/** One search the fake "ran" in a turn: its results, or the API's error object for it. */
export interface FakeWebSearch {
  query: string;
  results?: FakeSearchResult[];
  /** A `web_search_tool_result_error` instead of results, e.g. 'unavailable'. */
  errorCode?: 'invalid_tool_input' | 'unavailable' | 'max_uses_exceeded' | 'too_many_requests' | 'query_too_long';
}

export const WEB_SEARCH_TYPE = 'web_search_20250305';

/** The web search tool the request offers (its `max_uses`), or undefined when it offers none. */
export function offeredWebSearch(body: MessagesBody): { maxUses?: number } | undefined {
  const tool = (body.tools ?? []).find((t) => t.type === WEB_SEARCH_TYPE);
  if (!tool) return undefined;
  return typeof tool.max_uses === 'number' ? { maxUses: tool.max_uses } : {};
}

/** Opaque like the real field, but deterministic, so the validator can tell a tampered copy. */
function encryptedContent(url: string): string {
  return createHash('sha256').update(`fake-search:${url}`).digest('base64');
}

/**
 * The blocks of a turn's searches. Searches past the tool's `max_uses` (counting those already in
 * the conversation) get the API's `max_uses_exceeded` error instead of results.
 */
export function webSearchBlocks(
  searches: FakeWebSearch[],
  body: MessagesBody,
  nextId: () => string,
): { blocks: WireBlock[]; requests: number } {
  const offered = offeredWebSearch(body);
  if (!offered) throw new Error(`the turn scripts a web search but the request offers no ${WEB_SEARCH_TYPE} tool`);
  let used = searchesSoFar(body);
  const blocks: WireBlock[] = [];
  let requests = 0;
  for (const s of searches) {
    const id = nextId();
    const over = offered.maxUses !== undefined && used >= offered.maxUses;
    blocks.push({
      type: 'server_tool_use',
      id,
      name: 'web_search',
      input: { query: s.query },
      caller: { type: 'direct' },
    });
    const errorCode = over ? 'max_uses_exceeded' : s.errorCode;
    const content = errorCode
      ? { type: 'web_search_tool_result_error', error_code: errorCode }
      : (s.results ?? []).map((r) => ({
          type: 'web_search_result',
          url: r.url,
          title: r.title,
          encrypted_content: encryptedContent(r.url),
          page_age: r.pageAge ?? null,
        }));
    blocks.push({ type: 'web_search_tool_result', tool_use_id: id, content, caller: { type: 'direct' } });
    if (!over) {
      used++;
      requests++;
    }
  }
  return { blocks, requests };
}

function blocksOf(content: unknown): WireBlock[] {
  return Array.isArray(content) ? (content as WireBlock[]) : [];
}

function searchesSoFar(body: MessagesBody): number {
  let n = 0;
  for (const m of body.messages ?? [])
    if (m.role === 'assistant') n += blocksOf(m.content).filter((b) => b.type === 'server_tool_use').length;
  return n;
}

/** Every search result the conversation's earlier turns received (what a responder may cite). */
export function searchResultsSoFar(body: MessagesBody): FakeSearchResult[] {
  const out: FakeSearchResult[] = [];
  for (const m of body.messages ?? []) {
    if (m.role !== 'assistant') continue;
    for (const b of blocksOf(m.content)) {
      if (b.type !== 'web_search_tool_result' || !Array.isArray(b.content)) continue;
      for (const r of b.content as WireBlock[])
        out.push({
          url: String(r.url),
          title: String(r.title),
          ...(r.page_age ? { pageAge: String(r.page_age) } : {}),
        });
    }
  }
  return out;
}

/**
 * What the API says when a conversation sends web search blocks back broken: a server_tool_use
 * without its result in the same message, a result for no call, or a result whose
 * encrypted_content was dropped or changed.
 */
export function checkWebSearchHistory(body: MessagesBody): string | undefined {
  for (const [i, m] of (body.messages ?? []).entries()) {
    const blocks = blocksOf(m.content);
    const calls = new Set(blocks.filter((b) => b.type === 'server_tool_use').map((b) => String(b.id)));
    const answered = new Set<string>();
    for (const [j, b] of blocks.entries()) {
      if (b.type !== 'web_search_tool_result') continue;
      const id = String(b.tool_use_id);
      if (m.role !== 'assistant' || !calls.has(id))
        return `messages.${i}.content.${j}: web_search_tool_result block with tool_use_id ${id} has no server_tool_use block before it in the same message`;
      answered.add(id);
      if (!Array.isArray(b.content)) continue;
      for (const [k, r] of (b.content as WireBlock[]).entries()) {
        if (r.encrypted_content !== encryptedContent(String(r.url)))
          return `messages.${i}.content.${j}.content.${k}.encrypted_content: the search result must be passed back exactly as received`;
      }
    }
    for (const id of calls)
      if (!answered.has(id))
        return `messages.${i}: server_tool_use block ${id} has no web_search_tool_result block after it in the same message`;
  }
  return undefined;
}
