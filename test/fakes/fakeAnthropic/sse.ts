// Server-sent events as the Messages API sends them (`event: <type>\ndata: <json>\n\n`), and the
// writer that applies stream faults: a gap between events, an `event: error`, or a stall.
import type http from 'node:http';
import { type MessageShape, messageJson } from './model';
import type { FakeFault } from './types';
import { defaultErrorMessage } from './validate';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function sseFrame(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function chunks(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += Math.max(1, size)) out.push(s.slice(i, i + Math.max(1, size)));
  return out;
}

/** The SSE events of a streamed message, in the order the API sends them. */
export function messageEvents(m: MessageShape, textChunk = 24, jsonChunk = 12): SseEvent[] {
  const ev = (event: string, data: Record<string, unknown> = {}): SseEvent => ({
    event,
    data: { type: event, ...data },
  });
  const start = messageJson({ ...m, content: [] });
  const events: SseEvent[] = [
    ev('message_start', { message: { ...start, stop_reason: null, usage: { ...m.usage, output_tokens: 1 } } }),
    ev('ping'),
  ];
  m.content.forEach((b, index) => {
    if (b.type === 'web_search_tool_result') {
      // Server tool results arrive whole in content_block_start, without deltas.
      events.push(ev('content_block_start', { index, content_block: b }));
    } else if (b.type === 'tool_use' || b.type === 'server_tool_use') {
      events.push(ev('content_block_start', { index, content_block: { ...b, input: {} } }));
      // The API opens with an empty partial_json and then sends the input in pieces.
      for (const part of ['', ...chunks(JSON.stringify(b.input), jsonChunk)]) {
        events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
      }
    } else {
      events.push(ev('content_block_start', { index, content_block: { ...b, text: '' } }));
      for (const part of chunks(String(b.text ?? ''), textChunk)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: part } }));
      }
    }
    events.push(ev('content_block_stop', { index }));
  });
  const u = m.usage;
  events.push(
    ev('message_delta', {
      delta: { stop_reason: m.stopReason, stop_sequence: null, stop_details: null, container: null },
      // Cumulative totals: the SDK overwrites its snapshot with every non-null field.
      usage: {
        input_tokens: u.input_tokens,
        output_tokens: u.output_tokens,
        cache_creation_input_tokens: u.cache_creation_input_tokens,
        cache_read_input_tokens: u.cache_read_input_tokens,
        server_tool_use: u.server_tool_use,
        output_tokens_details: null,
      },
    }),
    ev('message_stop'),
  );
  return events;
}

/** Resolves after ms, or as soon as the response closes (so close() and aborts leave no timers). */
export function pause(ms: number, res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

export interface StreamPlan {
  gapMs: number;
  fault?: FakeFault;
  requestId: string;
  isOpen: () => boolean;
  /** Called after each event written. */
  sent: (n: number) => void;
}

/** Writes the events (headers already set) and ends, errors or stalls as the fault says. */
export async function writeStream(res: http.ServerResponse, events: SseEvent[], plan: StreamPlan): Promise<void> {
  const { gapMs, fault } = plan;
  const errorAfter = fault?.streamErrorAfter;
  const stallAfter = fault?.stallAfter;
  if (gapMs <= 0 && errorAfter === undefined && stallAfter === undefined) {
    res.end(events.map(sseFrame).join('')); // one write: the zero-latency path benchmarks measure
    plan.sent(events.length);
    return;
  }
  res.flushHeaders(); // the client sees the 200 even if the stream stalls before any event
  for (let i = 0; i <= events.length; i++) {
    if (i > 0 && gapMs > 0) await pause(gapMs, res);
    if (!plan.isOpen()) return;
    if (i === stallAfter) return; // keep the connection open, send nothing more
    if (i === errorAfter) {
      const type = fault?.errorType ?? 'overloaded_error';
      const error = { type, message: fault?.message ?? defaultErrorMessage(type) };
      res.end(sseFrame({ event: 'error', data: { type: 'error', error, request_id: plan.requestId } }));
      return;
    }
    if (i === events.length) break;
    res.write(sseFrame(events[i]));
    plan.sent(i + 1);
  }
  res.end();
}
