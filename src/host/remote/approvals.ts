// Approvals travel (issue 13): a question an agent on a worker must ask waits in dwf.approval
// until the conductor's person answers it. The row's key is the DBOS step asking plus a counter in
// that step, so a step re-run on another worker finds the answer already given and asks nobody twice.
import type { Pool } from 'pg';
import type { ApprovalAnswer, ApprovalRequest } from '../../core';
import { SCHEMA } from './protocol';

const ANSWERS: readonly ApprovalAnswer[] = ['once', 'always', 'prefix', 'deny'];

/** What a worker does about a question whose conductor is gone. */
export interface Unattended {
  /** How long the conductor may be silent (no touch) before the question is given up (ms). */
  waitMs: number;
  /** Called once when it is given up (the worker stops the agent; the wait then ends on `signal`). */
  giveUp(): Promise<void>;
}

/**
 * Worker side: posts the question and polls for the answer, until `signal` (the agent was stopped).
 * A question its conductor has not touched for `unattended.waitMs` (killed, or its machine asleep)
 * is withdrawn and given up, so the agent does not hold a worker forever.
 */
export async function askRemotely(
  pool: Pool,
  workflowId: string,
  seq: string,
  request: ApprovalRequest,
  signal: AbortSignal,
  unattended: Unattended,
  pollMs = 250,
): Promise<ApprovalAnswer> {
  await pool.query(
    `INSERT INTO ${SCHEMA}.approval (workflow_id, seq, request) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [workflowId, seq, JSON.stringify(request)],
  );
  let givenUp = false;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const r = await pool.query<{ answer: string | null; silent_ms: number }>(
      `SELECT answer, (EXTRACT(EPOCH FROM now() - COALESCE(seen_at, asked_at)) * 1000)::float8 AS silent_ms
         FROM ${SCHEMA}.approval WHERE workflow_id = $1 AND seq = $2`,
      [workflowId, seq],
    );
    const row = r.rows[0];
    const answer = row?.answer;
    if (answer) return (ANSWERS as readonly string[]).includes(answer) ? (answer as ApprovalAnswer) : 'deny';
    if (row && !givenUp && row.silent_ms > unattended.waitMs) {
      givenUp = true;
      // Deleted, so the step asks afresh when the run is resumed.
      await withdrawQuestions(pool, workflowId);
      await unattended.giveUp();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function answerQuestion(
  pool: Pool,
  workflowId: string,
  seq: string,
  answer: ApprovalAnswer,
): Promise<void> {
  await pool.query(`UPDATE ${SCHEMA}.approval SET answer = $3 WHERE workflow_id = $1 AND seq = $2`, [
    workflowId,
    seq,
    answer,
  ]);
}

/**
 * Conductor side, when the run stops: the questions nobody answered are taken back. Deleted, not
 * denied: the worker's step asking them is not recorded, and asks afresh when the run is resumed.
 */
export async function withdrawQuestions(pool: Pool, workflowId: string): Promise<void> {
  await pool.query(`DELETE FROM ${SCHEMA}.approval WHERE workflow_id = $1 AND answer IS NULL`, [workflowId]);
}

/** Conductor side, once the result is taken: the agent asks nothing more. */
export async function forgetQuestions(pool: Pool, workflowId: string): Promise<void> {
  await pool.query(`DELETE FROM ${SCHEMA}.approval WHERE workflow_id = $1`, [workflowId]);
}
