// Live progress of remote agents: a worker appends what its agent does (tool calls, tokens, model)
// to dwf.progress as it happens; the conductor reads the rows after the last it saw and feeds them
// to the run's progress. Only live steps publish, so a replay on another worker adds nothing.
import type { Pool } from 'pg';
import type { TokenUsage } from '../../core';
import { SCHEMA, type RemoteProgress } from './protocol';

export async function publishProgress(pool: Pool, workflowId: string, event: RemoteProgress): Promise<void> {
  await pool.query(`INSERT INTO ${SCHEMA}.progress (workflow_id, event) VALUES ($1, $2)`, [
    workflowId,
    JSON.stringify(event),
  ]);
}

/** Once the result is taken, the agent's events are read and no longer needed. */
export async function forgetProgress(pool: Pool, workflowId: string): Promise<void> {
  await pool.query(`DELETE FROM ${SCHEMA}.progress WHERE workflow_id = $1`, [workflowId]);
}

/**
 * What the final usage adds to what the live events already counted (never below zero): the
 * outcome's sum is the truth, the live events a foretaste of it.
 */
export function usageNotYetCounted(total: TokenUsage, counted: TokenUsage): TokenUsage | undefined {
  const rest = (a: number, b: number) => Math.max(0, a - b);
  const left: TokenUsage = {
    input: rest(total.input, counted.input),
    output: rest(total.output, counted.output),
    cacheRead: rest(total.cacheRead, counted.cacheRead),
    cacheWrite: rest(total.cacheWrite, counted.cacheWrite),
  };
  if (total.costUsd !== undefined) left.costUsd = rest(total.costUsd, counted.costUsd ?? 0);
  const nothing = !left.input && !left.output && !left.cacheRead && !left.cacheWrite && !left.costUsd;
  return nothing ? undefined : left;
}
