// Request checks the real API makes and an agent loop can get wrong: required fields, tool_use /
// tool_result pairing between turns, and the limit of 4 cache breakpoints. Messages follow the
// API's wording so a failing test reads like the production error would.
import type { MessagesBody, WireBlock } from './types';
import { checkWebSearchHistory } from './webSearch';

/** error.type for an HTTP status, as the API names them. */
export function errorTypeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function defaultErrorMessage(type: string): string {
  switch (type) {
    case 'rate_limit_error':
      return 'Number of request tokens has exceeded your per-minute rate limit';
    case 'overloaded_error':
      return 'Overloaded';
    case 'api_error':
      return 'Internal server error';
    case 'authentication_error':
      return 'invalid x-api-key';
    default:
      return `${type} (injected by the fake server)`;
  }
}

function blocksOf(content: unknown): WireBlock[] {
  return Array.isArray(content) ? (content as WireBlock[]) : [];
}

/** Returns the API's error message for a malformed request, or undefined when it is fine. */
export function validateBody(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'request body must be a JSON object';
  const body = raw as MessagesBody;
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1)
    return 'max_tokens: Field required (a positive integer)';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, t] of (body.tools ?? []).entries()) {
    if (typeof t?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(t.name)) {
      return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
    }
  }
  for (const [i, m] of body.messages.entries()) {
    if (m?.role !== 'user' && m?.role !== 'assistant')
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof m.content !== 'string' && !Array.isArray(m.content))
      return `messages.${i}.content: Input should be a valid list`;
  }
  return pairing(body) ?? checkWebSearchHistory(body) ?? breakpoints(body);
}

function pairing(body: MessagesBody): string | undefined {
  const msgs = body.messages;
  for (let i = 0; i < msgs.length; i++) {
    if (msgs[i].role === 'assistant') {
      const ids = blocksOf(msgs[i].content)
        .filter((b) => b.type === 'tool_use')
        .map((b) => String(b.id));
      if (ids.length === 0) continue;
      const next = msgs[i + 1];
      const answered = new Set(
        next?.role === 'user'
          ? blocksOf(next.content)
              .filter((b) => b.type === 'tool_result')
              .map((b) => String(b.tool_use_id))
          : [],
      );
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return (
          `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
          'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
        );
      }
    } else {
      const prev = msgs[i - 1];
      const offered = new Set(
        prev?.role === 'assistant'
          ? blocksOf(prev.content)
              .filter((b) => b.type === 'tool_use')
              .map((b) => String(b.id))
          : [],
      );
      for (const [j, b] of blocksOf(msgs[i].content).entries()) {
        if (b.type === 'tool_result' && !offered.has(String(b.tool_use_id))) {
          return (
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(b.tool_use_id)}. ` +
            'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
          );
        }
      }
    }
  }
  return undefined;
}

function breakpoints(body: MessagesBody): string | undefined {
  let n = body.cache_control ? 1 : 0;
  const count = (b: unknown) => {
    if (typeof b === 'object' && b !== null && (b as WireBlock).cache_control) n++;
  };
  (body.tools ?? []).forEach(count);
  if (Array.isArray(body.system)) body.system.forEach(count);
  for (const m of body.messages) blocksOf(m.content).forEach(count);
  return n > 4 ? `A maximum of 4 blocks with cache_control may be provided. Found ${n}.` : undefined;
}
