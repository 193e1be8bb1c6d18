// The one reading of a run's (or a subtree's, or a call site's) agent counts that the Runs tree,
// the CodeLens and the status bar all show, so they cannot disagree: every number comes from a
// TraceSummary of the same RunTrace. Stopped, skipped and failed agents never count as done, and
// replayed (cached) tokens are shown apart from the tokens this run spent.
import { count } from '../format';
import type { TokenUsage } from '../types';
import type { RunRecord } from '../journal/runStore';
import { emptySummary, type TraceSummary } from './trace';

export interface RunCounts {
  /** Agents known so far; more may come while the counts are not final. */
  total: number;
  /** The run (or group) has ended: `total` is exact. */
  final: boolean;
  /** Agents the script always starts (plannedAgents), when its source fixes the number. */
  planned?: number;
  /** Done with every tool call succeeding. */
  done: number;
  /** Done, but some tool call failed or was denied. */
  toolErrors: number;
  /** Replayed from the journal. */
  cached: number;
  /** Threw or resolved null (terminal API error and the like). */
  failed: number;
  skipped: number;
  stopped: number;
  /** Running agents waiting for the person's answer (not counted in `running`). */
  waiting: number;
  running: number;
  queued: number;
  /** Tokens spent by this run: usage minus the replayed part. */
  spent: TokenUsage;
  /** Tokens of replayed agents, spent by an earlier run. */
  cachedUsage: TokenUsage;
}

export interface CountsContext {
  final: boolean;
  /** How many of the running agents wait for an approval (the engine does not know; the editor does). */
  waiting?: number;
  /** The run's planned agent count (plannedAgents), for a whole run only. */
  planned?: number;
}

export function runCounts(s: Readonly<TraceSummary>, ctx: CountsContext): RunCounts {
  const b = s.byState;
  const waiting = Math.min(ctx.waiting ?? 0, b.running);
  return {
    total: s.total,
    final: ctx.final,
    ...(ctx.planned !== undefined && { planned: ctx.planned }),
    done: b.done - s.toolErrors,
    toolErrors: s.toolErrors,
    cached: b.cached,
    failed: b.failed + b.null,
    skipped: b.skipped,
    stopped: b.stopped,
    waiting,
    running: b.running - waiting,
    queued: b.queued,
    spent: minus(s.usage, s.cachedUsage),
    cachedUsage: { ...s.cachedUsage },
  };
}

/**
 * The counts of a run no trace is loaded for (a run of an earlier session, listed from its run.json):
 * the same reading, with every agent that did not finish counted stopped, since nothing runs it now.
 */
export function recordCounts(agents: RunRecord['agents']): RunCounts {
  const s = emptySummary();
  s.total = agents.total;
  s.byState.done = agents.done;
  s.byState.cached = agents.cached;
  s.byState.failed = agents.failed;
  s.byState.skipped = agents.skipped;
  const unfinished = agents.total - agents.done - agents.cached - agents.failed - agents.skipped;
  // Stopped, or not awaited when the script returned (the engine stops those too).
  s.byState.stopped = Math.max(0, unfinished);
  return runCounts(s, { final: true });
}

/** Agents that finished with a result: done (with or without tool errors) or replayed. */
export function doneOf(c: RunCounts): number {
  return c.done + c.toolErrors + c.cached;
}

export function tokenTotal(u: TokenUsage): number {
  return u.input + u.cacheRead + u.cacheWrite + u.output;
}

/**
 * The total while a run goes: the plan when the script fixes it (and the run has not outgrown it),
 * else the agents known so far as a lower bound, so a growing number never reads as the whole.
 */
function liveTotal(c: RunCounts): string {
  return c.planned !== undefined && c.planned >= c.total ? String(c.planned) : `≥${c.total}`;
}

/**
 * `3 of 12 done` (a fixed plan) or `3 of ≥12 done · 4 running · 1 waiting for approval · 1 failed · 1.2k tok` while the plan can
 * still grow, `8/30 done · 22 stopped · 924 tok · 462 tok cached` once final; empty with no agents.
 */
export function countsText(c: RunCounts, opts: { tokens?: boolean } = {}): string {
  if (c.total === 0) return '';
  const parts = [
    c.final ? `${doneOf(c)}/${c.total} done` : `${doneOf(c)} of ${liveTotal(c)} done`,
    c.running > 0 && `${c.running} running`,
    c.waiting > 0 && `${c.waiting} waiting for approval`,
    c.queued > 0 && `${c.queued} queued`,
    c.toolErrors > 0 && `${c.toolErrors} with tool errors`,
    c.cached > 0 && `${c.cached} cached`,
    c.failed > 0 && `${c.failed} failed`,
    c.skipped > 0 && `${c.skipped} skipped`,
    c.stopped > 0 && `${c.stopped} stopped`,
    opts.tokens !== false && tokenTotal(c.spent) > 0 && `${count(tokenTotal(c.spent))} tok`,
    opts.tokens !== false && tokenTotal(c.cachedUsage) > 0 && `${count(tokenTotal(c.cachedUsage))} tok cached`,
  ];
  return parts.filter((p): p is string => typeof p === 'string').join(' · ');
}

function minus(a: TokenUsage, b: TokenUsage): TokenUsage {
  const out: TokenUsage = {
    input: a.input - b.input,
    output: a.output - b.output,
    cacheRead: a.cacheRead - b.cacheRead,
    cacheWrite: a.cacheWrite - b.cacheWrite,
  };
  if (a.costUsd !== undefined) out.costUsd = a.costUsd - (b.costUsd ?? 0);
  return out;
}
