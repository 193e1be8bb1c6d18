// The terminal view: a block of lines under the scrollback, redrawn in place (cursor up, clear
// line) at most every 100 ms. Log lines are written above the block, so they stay in scrollback
// while the block keeps moving down. It writes to the terminal unguarded (it moves the cursor), so
// every untrusted string it draws — run name, phase titles, labels, tool names, log lines — is
// escaped here: the frame line by line, log lines by logLine().
import { pauseText, runCounts, spendText, type AgentNode, type RunEvent, type RunTrace } from '../core';
import type { OutStream } from './io';
import { clip, count, duration, oneLine, tokens } from './format';
import { logLine, type ProgressView } from './progress';
import { tally, traceStats } from './traceStats';

export interface FrameOptions {
  now: number;
  costUsd?: number;
  /** Running agents listed one per line; the rest are counted. */
  maxRunning?: number;
}

const ICON = { running: '●', completed: '✓', failed: '✗', stopped: '■', paused: '‖' } as const;

/** The block's lines for the trace as it is now (pure: tests call it directly). */
export function renderFrame(trace: RunTrace, opts: FrameOptions): string[] {
  const root = trace.root;
  if (!root) return ['● starting…'];
  const { phases, running, spent } = traceStats(trace);
  const started = root.startedAt ?? opts.now;
  const elapsed = (root.endedAt ?? opts.now) - started;
  const busy = root.computing && root.state === 'running' ? ' · script computing…' : '';
  // A live run waiting out the usage limit says so, and that it goes on by itself.
  const state = root.paused ? pauseText(root.paused, true) : root.state;
  const lines = [
    `${ICON[root.paused ? 'paused' : root.state]} ${root.label} · ${root.runId}${root.resumed ? ' (resumed)' : ''} · ${state} · ${duration(elapsed)}${busy}`,
  ];

  const titles = phases.map((p) => oneLine(p.title));
  const width = Math.min(28, Math.max(0, ...titles.map((t) => [...t].length)));
  phases.forEach((p, i) => {
    const t = tally(p.counts);
    const extra: string[] = [];
    if (t.running) extra.push(`${t.running} running`);
    if (t.queued) extra.push(`${t.queued} queued`);
    if (t.cached) extra.push(`${t.cached} cached`);
    if (t.failed) extra.push(`${t.failed} failed`);
    if (t.skipped) extra.push(`${t.skipped} skipped`);
    if (t.stopped) extra.push(`${t.stopped} stopped`);
    const title = clip(titles[i], width).padEnd(width);
    lines.push(`  ${title}  ${t.total ? `${t.ok}/${t.total}` : '–'}${extra.length ? ` · ${extra.join(' · ')}` : ''}`);
  });

  const max = opts.maxRunning ?? 8;
  for (const a of running.slice(0, max)) lines.push(`    ⋯ ${runningLine(a, opts.now)}`);
  if (running.length > max) lines.push(`    … ${running.length - max} more running`);

  const t = tally(trace.summary(root.id));
  const parts = [
    `agents ${t.total}`,
    `${t.done} done`,
    `${t.cached} cached`,
    `${t.failed} failed`,
    `${t.running} running`,
    `${t.queued} queued`,
  ];
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  if (t.stopped) parts.push(`${t.stopped} stopped`);
  lines.push(parts.join(' · '));
  lines.push(tokens(spent, opts.costUsd));
  // Against the plan the run started with (the trace has it once made), else the run's spend in all.
  const spend = spendText({
    counts: runCounts(root.counts, { final: root.state !== 'running' }),
    plan: root.plan,
    earlierUsd: root.earlierCostUsd,
  });
  if (root.plan) lines.push(`plan: ${spend.short}`);
  else if (root.earlierCostUsd) lines.push(`spent: ${spend.short}`);
  // Our own text has no control characters: escaping each whole line covers every untrusted part.
  return lines.map(oneLine);
}

function runningLine(a: AgentNode, now: number): string {
  let s = `${a.label} ${duration(now - (a.startedAt ?? now))}`;
  if (a.toolName) s += ` · ${a.toolName}`;
  if (a.usage.output) s += ` · ${count(a.usage.output)} out`;
  if (a.phase) s += ` [${a.phase}]`;
  return s;
}

const UP = (n: number) => `\x1b[${n}A\r`;
const CLEAR_LINE = '\x1b[2K';
const CLEAR_BELOW = '\x1b[0J';

export interface LiveViewOptions {
  costUsd?: () => number | undefined;
  now?: () => number;
  /** Minimum time between redraws (default 100 ms: at most ten a second). */
  intervalMs?: number;
  /** Redraw this often while nothing happens, so running clocks move (default 500 ms). */
  tickMs?: number;
}

export class LiveView implements ProgressView {
  /** Lines of the block currently on screen (the cursor sits just below them). */
  private drawn = 0;
  private lastDraw = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ticker: ReturnType<typeof setInterval>;
  private suspended = false;
  private done = false;
  private readonly now: () => number;
  private readonly intervalMs: number;

  private readonly out: OutStream;

  constructor(
    out: OutStream,
    private readonly trace: RunTrace,
    private readonly options: LiveViewOptions = {},
  ) {
    this.out = out.unguarded ?? out;
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 100;
    this.ticker = setInterval(() => this.schedule(), options.tickMs ?? 500);
    this.ticker.unref?.();
  }

  events(batch: readonly RunEvent[]): void {
    const logs: string[] = [];
    for (const e of batch) if (e.type === 'log') logs.push(logLine(e));
    // Log lines go out with the batch that carries them; the bus already spaces batches out.
    if (logs.length) this.draw(logs);
    else this.schedule();
  }

  finish(): void {
    this.done = true;
    clearInterval(this.ticker);
    this.cancel();
    this.draw([]);
  }

  async suspend<T>(fn: () => Promise<T>): Promise<T> {
    this.cancel();
    if (this.drawn) this.out.write(UP(this.drawn) + CLEAR_BELOW);
    this.drawn = 0;
    this.suspended = true;
    try {
      return await fn();
    } finally {
      this.suspended = false;
      if (!this.done) this.draw([]);
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.suspended || this.done) return;
    const wait = Math.max(0, this.lastDraw + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw([]);
    }, wait);
    this.timer.unref?.();
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One write: back to the block's first line, the new lines over the old ones, clear the rest. */
  private draw(above: string[]): void {
    if (this.suspended) {
      if (above.length) this.out.write(above.join('\n') + '\n');
      return;
    }
    this.cancel();
    const width = Math.max(20, (this.out.columns || 80) - 1);
    const frame = renderFrame(this.trace, {
      now: this.now(),
      costUsd: this.options.costUsd?.(),
    }).map((l) => clip(l, width));
    let s = this.drawn ? UP(this.drawn) : '';
    // Lines above may be long or hold newlines: they scroll away, so wrapping them is harmless.
    for (const l of above) s += CLEAR_LINE + l.replace(/\n/g, `\n${CLEAR_LINE}`) + '\n';
    for (const l of frame) s += CLEAR_LINE + l + '\n';
    this.out.write(s + CLEAR_BELOW);
    this.drawn = frame.length;
    this.lastDraw = this.now();
  }
}
