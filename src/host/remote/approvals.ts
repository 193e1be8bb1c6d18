// Approvals travel (issue 13): a question an agent on a worker must ask waits in dwf.approval
// until the conductor's person answers it. The row's key is the DBOS step asking plus a counter in
// that step, so a step re-run on another worker finds the answer already given and asks nobody twice.
import type { Pool } from 'pg';
import type { ApprovalAnswer, ApprovalRequest } from '../../core';
import { SCHEMA } from './protocol';

const ANSWERS: readonly ApprovalAnswer[] = ['once', 'always', 'prefix', 'deny'];

/** Worker side: posts the question and polls for the answer (until `signal`: the agent was stopped). */
export async function askRemotely(
  pool: Pool,
  workflowId: string,
  seq: string,
  request: ApprovalRequest,
  signal: AbortSignal,
  pollMs = 250,
): Promise<ApprovalAnswer> {
  await pool.query(
    `INSERT INTO ${SCHEMA}.approval (workflow_id, seq, request) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [workflowId, seq, JSON.stringify(request)],
  );
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const r = await pool.query<{ answer: string | null }>(
      `SELECT answer FROM ${SCHEMA}.approval WHERE workflow_id = $1 AND seq = $2`,
      [workflowId, seq],
    );
    const answer = r.rows[0]?.answer;
    if (answer) return (ANSWERS as readonly string[]).includes(answer) ? (answer as ApprovalAnswer) : 'deny';
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Conductor side: the questions of one remote agent nobody has answered yet. */
export async function openQuestions(
  pool: Pool,
  workflowId: string,
): Promise<{ seq: string; request: ApprovalRequest }[]> {
  const r = await pool.query<{ seq: string; request: ApprovalRequest }>(
    `SELECT seq, request FROM ${SCHEMA}.approval WHERE workflow_id = $1 AND answer IS NULL ORDER BY asked_at`,
    [workflowId],
  );
  return r.rows;
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
