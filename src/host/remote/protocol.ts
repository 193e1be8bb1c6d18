// What the conductor and the workers agree on: the queue, the workflow, the version, and the
// shapes that travel through the engine (all plain JSON).
import type { AgentOutcome, AgentRequest, TokenUsage } from '../../core';

/** The DBOS application every dwf process belongs to (scopes workflows and queues in the engine). */
export const APP_NAME = 'dwf';
export const QUEUE = 'dwf-agents';
export const WORKFLOW = 'dwfRemoteAgent';
/** Our own tables (heartbeats, approvals), next to DBOS's schema. */
export const SCHEMA = 'dwf';

/**
 * dwf's version (given by the host that loaded us), the engine's application version: a worker
 * only runs agents of a conductor of the same version. DWF_TEST_VERSION (tests only) stands in for
 * another release.
 */
export function dwfVersion(env: Readonly<Record<string, string | undefined>>, version: string): string {
  return env.DWF_TEST_VERSION?.trim() || version;
}

/** What a worker publishes while its agent runs (live steps only: a replayed step is not news). */
export type RemoteProgress =
  { kind: 'tool'; name: string } | { kind: 'usage'; delta: TokenUsage } | { kind: 'model'; id: string };

/** One agent as the conductor hands it to a worker. */
export interface RemoteAgentSpec {
  runId: string;
  agentId: string;
  index: number;
  attempt: number;
  label: string;
  prompt: string;
  options: AgentRequest['options'];
  /** The commit the agent's worktree starts from (the conductor's HEAD). */
  baseCommit: string;
  /** The conductor's --model (agents that name none). */
  model?: string;
  /** The conductor's --allow rules, applied on the worker as there. */
  allow: string[];
  /** Approvals travel back to the person (a terminal or the editor); false: headless rules on the worker. */
  interactive: boolean;
  /** --yes: approve everything a headless run would deny. */
  yes: boolean;
  /** What a headless refusal tells the person. */
  headlessHint: string;
}

export interface RemoteAgentResult {
  outcome: AgentOutcome;
  /** `git diff --binary` of the agent's worktree against baseCommit; empty: nothing changed. */
  patch: string;
  /** The executor that finished it. */
  worker: string;
  /** The agent's transcript (JSONL, redacted on the worker), cut at TRANSCRIPT_LIMIT; absent: none written. */
  transcript?: string;
}

/** The most of a transcript a result carries (the engine stores results in PostgreSQL rows). */
export const TRANSCRIPT_LIMIT = 8 * 1024 * 1024;

/** The workflow id: the agent's journal key within its run and attempt (the idempotency key). */
export function workflowIdOf(runId: string, key: string, attempt: number): string {
  return `dwf:${runId}:${key}:${attempt}`;
}
