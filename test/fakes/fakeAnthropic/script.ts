// Helpers for writing responders: read a conversation off a request and pick the model's turn
// from it. They are stateless (derived from the request body), so concurrent agents and SDK
// retries of the same request get the same answer.
import type { FakeTurn, MessagesBody, RecordedRequest, Responder, WireBlock } from './types';

function textOf(content: string | WireBlock[] | undefined, withToolResults: boolean): string {
  if (typeof content === 'string') return content;
  const parts: string[] = [];
  for (const b of content ?? []) {
    if (b.type === 'text') parts.push(String(b.text ?? ''));
    else if (withToolResults && b.type === 'tool_result')
      parts.push(textOf(b.content as string | WireBlock[] | undefined, false));
  }
  return parts.join('\n');
}

/** Text of the last user message (text blocks and tool_result contents, joined by newlines). */
export function lastUserText(body: MessagesBody): string {
  const msgs = body.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i].role === 'user') return textOf(msgs[i].content, true);
  return '';
}

/** Text of the first user message: the agent's prompt, a stable key for its conversation. */
export function firstUserText(body: MessagesBody): string {
  const first = (body.messages ?? []).find((m) => m.role === 'user');
  return first ? textOf(first.content, false) : '';
}

/** The system prompt as one string. */
export function systemText(body: MessagesBody): string {
  return typeof body.system === 'string' ? body.system : textOf(body.system, false);
}

export interface ToolResult {
  tool_use_id: string;
  content: string;
  is_error: boolean;
}

/** The tool_result blocks of the last message (empty when it holds none). */
export function toolResults(body: MessagesBody): ToolResult[] {
  const last = body.messages?.[body.messages.length - 1];
  if (!last || last.role !== 'user' || typeof last.content === 'string') return [];
  return last.content
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({
      tool_use_id: String(b.tool_use_id),
      content: textOf(b.content as string | WireBlock[] | undefined, false),
      is_error: b.is_error === true,
    }));
}

/** How many assistant turns the conversation already holds (0 on the first request). */
export function assistantTurns(body: MessagesBody): number {
  return (body.messages ?? []).filter((m) => m.role === 'assistant').length;
}

/** Names of the tools the request offers. */
export function toolNames(body: MessagesBody): string[] {
  return (body.tools ?? []).map((t) => t.name);
}

/** The default responder: `echo:<last user text>`. */
export const echo: Responder = (req) => ({ text: `echo:${lastUserText(req.body)}` });

export type ScriptStep = FakeTurn | ((req: RecordedRequest) => FakeTurn | Promise<FakeTurn>);

/**
 * Answers the n-th request of a conversation with steps[n] (n = assistant turns so far); the last
 * step repeats. Typical agent loop: `byTurn({ toolUses: [...] }, { text: 'done' })`.
 */
export function byTurn(...steps: ScriptStep[]): Responder {
  if (steps.length === 0) throw new Error('byTurn needs at least one step');
  return (req) => {
    const step = steps[Math.min(assistantTurns(req.body), steps.length - 1)];
    return typeof step === 'function' ? step(req) : step;
  };
}

/** Routes by the conversation's first user text (substring or regex); falls back to `otherwise`. */
export function byPrompt(routes: [string | RegExp, Responder][], otherwise: Responder = echo): Responder {
  return (req) => {
    const prompt = firstUserText(req.body);
    const hit = routes.find(([m]) => (typeof m === 'string' ? prompt.includes(m) : m.test(prompt)));
    return (hit ? hit[1] : otherwise)(req);
  };
}
