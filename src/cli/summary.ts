// How a finished run is reported: the exit code, the `--json` object, and the human lines.
import { capReachedText, raiseFlag, type ErrorInfo, type PauseInfo, type RunResult, type WorktreeInfo } from '../core';
import { count, duration, tokens } from './format';

export const EXIT = { completed: 0, failed: 1, rejected: 2, paused: 3, stopped: 130 } as const;

/** The one object `--json` prints as the last stdout line (issue 3, "The dwf command line"). */
export interface JsonSummary {
  runId: string;
  status: 'completed' | 'failed' | 'stopped' | 'paused';
  /** Present when status is 'paused': the cap that held the next agent (issue 11). */
  paused?: PauseInfo;
  /** The script's return value; null when it returned nothing or did not complete. */
  result: unknown;
  /** `location` is the first stack frame in a workflow file; `stack` the script's own stack. */
  error?: { name: string; message: string; location?: { file: string; line: number; column: number }; stack?: string };
  agents: { total: number; done: number; cached: number; failed: number; skipped: number };
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** null when the runner does not price its calls. */
  costUsd: number | null;
  durationMs: number;
  /** The git worktrees of `isolation: 'worktree'` agents, in the order they finished (kept ones hold the changes). */
  worktrees: AgentWorktreeSummary[];
}

export type AgentWorktreeSummary = WorktreeInfo & { agentId: string; label: string };

export function jsonSummary(
  r: RunResult,
  costUsd: number | undefined,
  worktrees: AgentWorktreeSummary[] = [],
): JsonSummary {
  const out: JsonSummary = {
    runId: r.runId,
    status: r.status,
    result: r.result === undefined ? null : r.result,
    agents: {
      total: r.agents.total,
      done: r.agents.done,
      cached: r.agents.cached,
      failed: r.agents.failed,
      skipped: r.agents.skipped,
    },
    tokens: {
      input: r.usage.input,
      output: r.usage.output,
      cacheRead: r.usage.cacheRead,
      cacheWrite: r.usage.cacheWrite,
    },
    costUsd: costUsd ?? null,
    durationMs: r.durationMs,
    worktrees,
  };
  if (r.paused) out.paused = { ...r.paused };
  if (r.error) {
    const { name, message, location, stack } = r.error;
    out.error = { name, message };
    if (location) out.error.location = { file: location.file, line: location.line, column: location.column };
    if (stack) out.error.stack = stack;
  }
  return out;
}

export function exitCode(status: RunResult['status']): number {
  return EXIT[status];
}

/** `completed in 2.1s · 5 agents: 3 done, 2 cached · tokens …` */
export function summaryLine(r: RunResult, costUsd: number | undefined): string {
  const a = r.agents;
  const parts = [`${a.done} done`];
  if (a.cached) parts.push(`${a.cached} cached`);
  if (a.failed) parts.push(`${a.failed} failed`);
  if (a.skipped) parts.push(`${a.skipped} skipped`);
  return `${r.status} in ${duration(r.durationMs)} · ${count(a.total)} agent${a.total === 1 ? '' : 's'}: ${parts.join(', ')} · ${tokens(r.usage, costUsd)}`;
}

/** The lines after the summary: the error, and how to continue. */
export function afterLines(r: RunResult): string[] {
  const lines: string[] = [];
  if (r.status === 'failed' && r.error) lines.push(errorText(r.error));
  if (r.status === 'stopped') lines.push('Stopped. Finished agents are saved in the journal; continue with:');
  else if (r.status === 'failed')
    lines.push('Fix the cause, then continue (finished agents are replayed, not re-run):');
  if (r.status === 'paused' && r.paused) {
    lines.push(
      `Paused: ${capReachedText(r.paused)}. Finished agents are saved; held agents start when you continue with a raised cap:`,
    );
    lines.push(`  dwf resume ${r.runId} ${raiseFlag(r.paused)}`);
  } else if (r.status !== 'completed') lines.push(`  dwf resume ${r.runId}`);
  return lines;
}

/** `wf.js:4:15: TypeError: …` and the code frame when the script line is known. */
export function errorText(e: ErrorInfo): string {
  const loc = e.location;
  if (!loc) return `${e.name}: ${e.message}`;
  return `${loc.file}:${loc.line}:${loc.column}: ${e.name}: ${e.message}${loc.frame ? `\n${loc.frame}` : ''}`;
}

/** The result on stdout: strings as they are (a report, a diff), anything else as JSON. */
export function resultText(result: unknown): string | undefined {
  if (result === undefined) return undefined;
  return typeof result === 'string' ? result : JSON.stringify(result, null, 2);
}
