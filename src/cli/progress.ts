// What a run's progress display does, and the plain one for pipes and CI logs: one line per
// finished agent and per log line, on stderr, never redrawn. Names, labels, log lines and errors
// come from the script and the model: each is escaped here (format.ts), so none can move the cursor,
// rewrite a line or reach the clipboard.
import { pauseText, type RunEvent, type RunTrace } from '../core';
import type { OutStream } from './io';
import { block, count, duration, oneLine } from './format';

export interface ProgressView {
  /** Called with each event batch after the trace has applied it. */
  events(batch: readonly RunEvent[]): void;
  /** The run is over: draw the last state and stop timers. */
  finish(): void;
  /** Runs fn with the display off the terminal (for prompts), then restores it. */
  suspend<T>(fn: () => Promise<T>): Promise<T>;
}

const FINISHED = new Set(['done', 'cached', 'null', 'skipped', 'failed']);

/** A log line as the terminal shows it: continuation lines indented, every control character visible. */
export function logLine(e: Extract<RunEvent, { type: 'log' }>): string {
  return block(e.level === 'info' ? 'log: ' : `${e.level}: `, e.message);
}

export class PlainProgress implements ProgressView {
  private finished = 0;

  constructor(
    private readonly out: OutStream,
    private readonly trace: RunTrace,
  ) {}

  events(batch: readonly RunEvent[]): void {
    const lines: string[] = [];
    let cached = 0;
    let lastCached = '';
    const total = () => (this.trace.root ? this.trace.summary(this.trace.root.id).total : 0);
    for (const e of batch) {
      if (e.type === 'run' && e.state === 'running') {
        lines.push(`dwf: ${oneLine(e.name)} · run ${oneLine(e.runId)}${e.resumed ? ' (resumed)' : ''}`);
      } else if (e.type === 'log') {
        lines.push(logLine(e));
      } else if (e.type === 'pause') {
        lines.push(e.paused ? `dwf: ${pauseText(e.paused, true)}` : 'dwf: usage limit reopened — continuing');
      } else if (e.type === 'computing' && e.busy) {
        lines.push('dwf: script computing…');
      } else if (e.type === 'agent' && FINISHED.has(e.state)) {
        this.finished++;
        // A resume replays hundreds of agents at once: one line for the lot, not one each.
        if (e.state === 'cached') {
          cached++;
          lastCached = oneLine(e.label);
          continue;
        }
        lines.push(`[${this.finished}/${total()}] ${this.agentLine(e)}`);
      }
    }
    if (cached)
      lines.unshift(
        `[${this.finished}/${total()}] cached  ${cached === 1 ? lastCached : `${cached} agents`} (replayed from the journal)`,
      );
    if (lines.length) this.out.write(lines.join('\n') + '\n');
  }

  private agentLine(e: Extract<RunEvent, { type: 'agent' }>): string {
    const node = this.trace.node(`agent:${e.agentId}`);
    const parts = [`${e.state.padEnd(7)} ${oneLine(e.label)}${e.phase ? ` (${oneLine(e.phase)})` : ''}`];
    if (node?.kind === 'agent') {
      if (node.startedAt !== undefined && node.endedAt !== undefined)
        parts.push(duration(node.endedAt - node.startedAt));
      if (node.usage.input || node.usage.output)
        parts.push(`${count(node.usage.input)} in / ${count(node.usage.output)} out`);
    }
    let line = parts.join(' · ');
    if (e.error) line += ` — ${oneLine(e.error.message)}`;
    return line;
  }

  finish(): void {}

  suspend<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
