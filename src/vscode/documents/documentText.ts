// The text of the read-only documents the Runs view opens: an agent's transcript and a run's log
// and result, as Markdown a person can read (headings per turn, tool calls with their input and
// result, edits as diffs, the final output) instead of the raw JSONL. Pure functions: no editor, no files.
//
// Everything in them but our own headings is untrusted (labels, names, descriptions, model text,
// tool input and output): multi-line text goes in fences no content can close, and every inline
// string is Markdown-escaped, so nothing becomes a Ctrl+clickable `command:` link, an image or HTML,
// and control, bidi and invisible characters show as escapes.
import type { TranscriptEntry } from '../../agent/transcript';
import {
  markdownCode as code,
  markdownEscape as md,
  markdownFence,
  usd,
  type RunEvent,
  type RunRecord,
  type TokenUsage,
} from '../../core';
import { plainPaths, toolInputText, type PathLinker } from './toolInputText';

type Entry = TranscriptEntry & { at: number };

/** A tool result longer than this is cut (the file keeps all of it). */
const MAX_BLOCK = 50_000;

/** A fenced block whose fence is longer than any backtick run inside, so no content can close it. */
export function fence(text: string, lang = ''): string {
  const cut =
    text.length > MAX_BLOCK
      ? `${text.slice(0, MAX_BLOCK)}\n… (${text.length - MAX_BLOCK} more characters in the transcript file)`
      : text;
  return markdownFence(cut, lang);
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** Local wall-clock time, HH:MM:SS. */
function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

function usageLine(u: TokenUsage | undefined): string {
  if (!u) return '';
  const parts = [`${u.input} in`, `${u.output} out`];
  if (u.cacheRead) parts.push(`${u.cacheRead} cache read`);
  if (u.cacheWrite) parts.push(`${u.cacheWrite} cache write`);
  if (u.costUsd) parts.push(usd(u.costUsd));
  return parts.join(' · ');
}

interface Block {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

function renderAttempt(entries: Entry[], out: string[], paths: PathLinker): void {
  const tools = new Map<string, Extract<Entry, { type: 'tool' }>>();
  for (const e of entries) if (e.type === 'tool') tools.set(e.id, e);
  for (const e of entries) {
    switch (e.type) {
      case 'start':
        out.push(
          `## Attempt ${e.attempt} · ${code(e.model)} · ${clock(e.at)}`,
          '',
          '### Prompt',
          '',
          fence(e.prompt),
          `Tools: ${e.tools.map(code).join(', ') || 'none'}`,
          '',
        );
        break;
      case 'response': {
        const m = (e.message ?? {}) as {
          content?: Block[];
          stop_reason?: string;
          usage?: { input_tokens?: number; output_tokens?: number };
        };
        out.push(`### Turn ${e.turn} · ${clock(e.at)}${m.stop_reason ? ` · ${code(String(m.stop_reason))}` : ''}`, '');
        for (const b of m.content ?? []) {
          // The model's own words are fenced too: its Markdown would otherwise make links and images.
          if (b.type === 'text' && b.text?.trim()) out.push(fence(b.text.trim()));
          else if (b.type === 'thinking' && b.thinking?.trim()) out.push('Thinking:', '', fence(b.thinking.trim()));
          else if (b.type === 'tool_use') {
            const t = b.id ? tools.get(b.id) : undefined;
            const head = `#### Tool call: ${code(b.name ?? '?')}${t ? ` · ${t.ms} ms${t.isError ? ' · error' : ''}` : ' · no result (interrupted)'}`;
            out.push(head, '', toolInputText(b.name ?? '', b.input, paths));
            if (t) out.push(t.isError ? 'Error:' : 'Result:', '', fence(t.result));
          }
        }
        break;
      }
      case 'retry':
        out.push(`> Retried the request: ${md(e.reason)}${e.waitMs ? ` (waited ${Math.round(e.waitMs)} ms)` : ''}`, '');
        break;
      case 'end':
        out.push(`**Attempt ended:** ${md(e.outcome)}${e.detail ? ` — ${md(e.detail)}` : ''}`, '');
        break;
      case 'tool':
        break; // shown with the tool_use block that asked for it
    }
  }
}

/** The last text the model said: the final output when the journal has no result (yet). */
function lastText(entries: Entry[]): string | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.type !== 'response') continue;
    const content = ((e.message ?? {}) as { content?: Block[] }).content ?? [];
    const text = content
      .filter((b) => b.type === 'text')
      .map((b) => b.text ?? '')
      .join('')
      .trim();
    if (text) return text;
  }
  return undefined;
}

export interface TranscriptDoc {
  label: string;
  agentId: string;
  runId: string;
  state?: string;
  usage?: TokenUsage;
  /** Entries of each attempt, oldest first. */
  attempts: Entry[][];
  /** The journaled result, when the agent finished with one. */
  result?: { value: unknown };
  error?: string;
  /** Links for the files tools named (inside the workspace only); plain text without it. */
  paths?: PathLinker;
}

export function transcriptText(d: TranscriptDoc): string {
  const out = [
    `# ${code(d.label)}`,
    '',
    `Agent ${code(d.agentId)} of run ${code(d.runId)}${d.state ? ` — ${md(d.state)}` : ''}${d.usage ? ` · ${usageLine(d.usage)}` : ''}`,
    '',
  ];
  if (d.attempts.length === 0)
    out.push(
      '_No transcript: this agent made no model call in this run (queued, replayed from the journal, or skipped before it started)._',
      '',
    );
  for (const a of d.attempts) renderAttempt(a, out, d.paths ?? plainPaths);
  out.push('## Final output', '');
  if (d.result)
    out.push(
      fence(
        typeof d.result.value === 'string' ? d.result.value : json(d.result.value),
        typeof d.result.value === 'string' ? '' : 'json',
      ),
    );
  else if (d.error) out.push('No result:', '', fence(d.error));
  else {
    const text = lastText(d.attempts.flat());
    out.push(text !== undefined ? fence(text) : '_None yet._', '');
  }
  return out.join('\n');
}

export interface RunDoc {
  runId: string;
  name: string;
  status: string;
  description?: string;
  scriptFile?: string;
  /** Live runs: the log events; finished runs no longer in the view: the record's lines. */
  logs: { at?: number; level?: string; message: string }[];
  result?: { value: unknown };
  error?: string;
  agents?: RunRecord['agents'];
  usage?: TokenUsage;
  durationMs?: number;
}

export function logLines(events: readonly RunEvent[]): RunDoc['logs'] {
  const out: RunDoc['logs'] = [];
  for (const e of events) if (e.type === 'log') out.push({ at: e.at, level: e.level, message: e.message });
  return out;
}

export function runText(d: RunDoc): string {
  const out = [`# ${code(d.name)} — ${md(d.status)}`, ''];
  if (d.description) out.push(md(d.description), '');
  const facts = [`Run ${code(d.runId)}`];
  if (d.scriptFile) facts.push(`script ${code(d.scriptFile)}`);
  if (d.durationMs !== undefined) facts.push(`${(d.durationMs / 1000).toFixed(1)} s`);
  out.push(facts.join(' · '), '');
  if (d.agents) {
    const a = d.agents;
    out.push(
      `Agents: ${a.total} · ${a.done} done · ${a.cached} cached · ${a.failed} failed · ${a.skipped} skipped${d.usage ? ` — tokens ${usageLine(d.usage)}` : ''}`,
      '',
    );
  }
  out.push('## Result', '');
  if (d.error) out.push('Error:', '', fence(d.error));
  else if (d.result)
    out.push(
      fence(
        typeof d.result.value === 'string' ? d.result.value : json(d.result.value),
        typeof d.result.value === 'string' ? '' : 'json',
      ),
    );
  else out.push(d.status === 'running' ? '_Still running._' : '_No result._', '');
  out.push(`## Log (${d.logs.length} line${d.logs.length === 1 ? '' : 's'})`, '');
  if (d.logs.length) {
    // A message's own line breaks are indented, so they cannot pass for log lines of their own.
    out.push(
      fence(
        d.logs
          .map((l) =>
            [
              l.at !== undefined ? clock(l.at) : undefined,
              l.level && l.level !== 'info' ? l.level.toUpperCase() : undefined,
              l.message.replace(/\n/g, '\n    '),
            ]
              .filter(Boolean)
              .join(' '),
          )
          .join('\n'),
        'log',
      ),
    );
  } else out.push('_Nothing logged._', '');
  return out.join('\n');
}
