// Reads what the views need from a RunTrace: per-phase counts, the agents running now, and the
// tokens this invocation spent (replayed agents carry their old usage, which was not spent now).
import { runCounts, zeroUsage, type AgentNode, type RunTrace, type TokenUsage, type TraceSummary } from '../core';

export interface PhaseRow {
  title: string;
  counts: TraceSummary;
}

export interface TraceStats {
  phases: PhaseRow[];
  running: AgentNode[];
  /** Usage of every agent except the replayed ones. */
  spent: TokenUsage;
}

export function traceStats(trace: RunTrace): TraceStats {
  const root = trace.root;
  const phases: PhaseRow[] = [];
  const running: AgentNode[] = [];
  let spent = zeroUsage();
  if (!root) return { phases, running, spent };
  const outside = trace.summary(root.id);
  for (const child of trace.children(root.id)) {
    if (child.kind !== 'phase') continue;
    const counts = trace.summary(child.id);
    phases.push({ title: child.title, counts });
    subtract(outside, counts);
  }
  // Agents placed before any phase() (or in scripts without phases) get a row of their own.
  if (outside.total > 0) phases.push({ title: phases.length ? '(no phase)' : '(agents)', counts: outside });
  const stack = [root.id];
  while (stack.length) {
    for (const n of trace.children(stack.pop()!)) {
      if (n.kind !== 'agent') stack.push(n.id);
      else if (n.state === 'running') running.push(n);
    }
  }
  spent = runCounts(trace.summary(root.id), { final: root.state !== 'running' }).spent;
  running.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || a.index - b.index);
  return { phases, running, spent };
}

function subtract(into: TraceSummary, d: TraceSummary): void {
  into.total -= d.total;
  for (const k of Object.keys(d.byState) as (keyof TraceSummary['byState'])[]) into.byState[k] -= d.byState[k];
  into.toolErrors -= d.toolErrors;
}

/** "3/5" style numbers: finished well, went wrong, still to come. */
export function tally(c: TraceSummary) {
  const b = c.byState;
  return {
    total: c.total,
    done: b.done,
    cached: b.cached,
    ok: b.done + b.cached,
    failed: b.failed + b.null,
    skipped: b.skipped,
    stopped: b.stopped,
    running: b.running,
    queued: b.queued,
  };
}
