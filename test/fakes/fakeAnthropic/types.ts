// Types of the fake Messages API server: what a test scripts (turns, faults) and what it can
// inspect afterwards (recorded requests). Wire types are loose on purpose: the fake must accept
// whatever the real SDK sends, and tests read fields the SDK types would hide behind unions.
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeWebSearch } from './webSearch';

export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

/** One content block as sent on the wire (text, tool_use, tool_result, image…). */
export interface WireBlock {
  type: string;
  cache_control?: CacheControl | null;
  [field: string]: unknown;
}

export interface WireMessage {
  role: 'user' | 'assistant';
  content: string | WireBlock[];
}

export interface WireTool {
  name: string;
  description?: string;
  input_schema?: unknown;
  cache_control?: CacheControl | null;
  [field: string]: unknown;
}

/** The request body of POST /v1/messages, as far as the fake reads it. */
export interface MessagesBody {
  model: string;
  max_tokens: number;
  messages: WireMessage[];
  system?: string | WireBlock[];
  tools?: WireTool[];
  stream?: boolean;
  cache_control?: CacheControl | null;
  [field: string]: unknown;
}

export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Set when the turn ran server-side web searches (counted like the API bills them). */
  server_tool_use: { web_search_requests: number; web_fetch_requests: number } | null;
  service_tier: 'standard';
  inference_geo: null;
  output_tokens_details: null;
  speed: null;
}

/** The token counts a turn may override (the rest of WireUsage is fixed). */
export type UsageOverride = Partial<
  Pick<WireUsage, 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>
>;

/** What the model "says" for one request. */
export interface FakeTurn {
  /** A text block (first, before any tool_use). Omitted with no toolUses → an empty text block. */
  text?: string;
  /** tool_use blocks; ids default to deterministic `toolu_fake_…` ids. */
  toolUses?: { name: string; input: unknown; id?: string }[];
  /**
   * Server-side web searches the turn ran (before its text): `server_tool_use` +
   * `web_search_tool_result` blocks. The request must offer the `web_search_20250305` tool.
   */
  webSearches?: FakeWebSearch[];
  /** Default: 'tool_use' when toolUses is non-empty, else 'end_turn'. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';
  /** Overrides the computed (deterministic) token counts. */
  usage?: UsageOverride;
}

/**
 * A fault applied to one request. Fields combine: `delayMs` then `status` gives a slow error;
 * without `status` the request is answered normally, shaped by the stream fields.
 */
export interface FakeFault {
  /** Answer with this HTTP status and an error body instead of a message. */
  status?: number;
  /** Extra response headers, e.g. `retry-after`, `retry-after-ms`, `x-should-retry`. */
  headers?: Record<string, string>;
  /** `error.type` of the error body or mid-stream error event (default derived from the status). */
  errorType?: string;
  message?: string;
  /** Wait this long before sending the response headers. */
  delayMs?: number;
  /** Wait this long between SSE events (stream requests only). */
  streamDelayMs?: number;
  /** After n SSE events (ping included), send `event: error` and end the response. */
  streamErrorAfter?: number;
  /** After n SSE events stop sending but keep the connection open; a non-streaming request is never answered. */
  stallAfter?: number;
}

export interface FaultOptions {
  /** How many requests this fault applies to (default 1). */
  times?: number;
  /** Only requests for which this returns true consume the fault. */
  match?: (req: RecordedRequest) => boolean;
}

export interface RecordedRequest {
  /** 0-based order of arrival. */
  readonly index: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body (an empty object when it did not parse). */
  readonly body: MessagesBody;
  readonly stream: boolean;
  /** `x-stainless-retry-count` as a number (0 when absent). */
  readonly retryCount: number;
  /** Date.now() when the body had arrived. */
  readonly receivedAt: number;
  /** Date.now() when the response ended or the connection closed. */
  endedAt?: number;
  /** The HTTP status sent (undefined while nothing was sent). */
  status?: number;
  /** The fault applied to this request, if any. */
  fault?: FakeFault;
  /** The turn the responder returned and the usage reported for it. */
  turn?: FakeTurn;
  usage?: WireUsage;
  /** SSE events written (ping included). */
  eventsSent: number;
  /** The client closed the connection before the response ended. */
  aborted: boolean;
}

export type Responder = (req: RecordedRequest) => FakeTurn | Promise<FakeTurn>;

export interface FakeAnthropicOptions {
  /** How the model answers; default: echo the last user text (`echo:<text>`). */
  respond?: Responder;
  /** When set, only this key is accepted (as `x-api-key` or `authorization: Bearer`). */
  apiKey?: string;
  /** Delay before every response's headers (simulated model latency). Default 0. */
  latencyMs?: number;
  /** Delay between SSE events of every stream. Default 0 (all events in one write). */
  streamDelayMs?: number;
  /** Prefixes shorter than this are not cached, as with the real API's minimum. Default 0. */
  minCacheableTokens?: number;
  /** Reject malformed requests with 400 like the API does (tool_use pairing, > 4 breakpoints). Default true. */
  validate?: boolean;
  /** Characters per text_delta / input_json_delta chunk (defaults 24 and 12). */
  textChunkChars?: number;
  jsonChunkChars?: number;
}
