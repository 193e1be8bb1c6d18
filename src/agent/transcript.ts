// Each agent's transcript — every request and response, tool call and result — as JSONL in the
// run folder, for inspection (and the VS Code transcript view). Appends are synchronous so a
// crash keeps everything up to the last turn; the API key never appears (requests are logged
// as parameters, not headers, and every line goes through the Redactor as a backstop).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Redactor } from './redact';
import type { WorktreeInfo } from '../core/types';

export type TranscriptEntry =
  | {
      type: 'start';
      agentId: string;
      label: string;
      model: string;
      attempt: number;
      prompt: string;
      system: string;
      tools: string[];
      worktree?: WorktreeInfo;
    }
  | { type: 'response'; turn: number; message: unknown }
  | {
      type: 'tool';
      turn: number;
      id: string;
      name: string;
      input: unknown;
      result: string;
      isError: boolean;
      ms: number;
    }
  | { type: 'retry'; reason: string; waitMs?: number }
  | { type: 'end'; outcome: string; detail?: string };

/** An agent's transcript file name in its run's transcripts folder (a retry gets its own file). */
export function transcriptFileName(agentId: string, attempt: number): string {
  return `${agentId}${attempt > 1 ? `.${attempt}` : ''}.jsonl`;
}

export class Transcript {
  private fd: number | undefined;

  constructor(
    readonly file: string | undefined,
    private readonly redactor?: Redactor,
  ) {
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      this.fd = fs.openSync(file, 'a', 0o600);
    } catch {
      this.fd = undefined; // a transcript is an aid; failing to write one must not fail the agent
    }
  }

  write(entry: TranscriptEntry): void {
    if (this.fd === undefined) return;
    try {
      const line = JSON.stringify({ at: Date.now(), ...entry });
      fs.writeSync(this.fd, (this.redactor ? this.redactor.redact(line) : line) + '\n');
    } catch {
      /* disk full or closed: keep the agent going */
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads a transcript back (for viewers and tests); unreadable lines are skipped. */
export function readTranscript(file: string): (TranscriptEntry & { at: number })[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: (TranscriptEntry & { at: number })[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as TranscriptEntry & { at: number });
    } catch {
      /* torn last line */
    }
  }
  return out;
}
