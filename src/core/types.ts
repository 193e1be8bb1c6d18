// Shared data shapes of the engine. Plain JSON-able types only: they cross the worker boundary,
// land in journals and feed every host (CLI, VS Code).

/** One entry of `meta.phases` after normalisation (spec §2.2). */
export interface PhaseSpec {
  title: string;
  detail?: string;
  model?: string;
}

/** The script's `meta` literal, validated and normalised (spec §2.2). Unknown keys are dropped. */
export interface WorkflowMeta {
  name: string;
  description: string;
  title?: string;
  whenToUse?: string;
  phases: PhaseSpec[];
}

/** A position in a source file, 1-based line and column. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** Where an agent or group sits in the unrolled DAG: the innermost parallel/pipeline slot. */
export interface DagPosition {
  /** Id of the enclosing `parallel`/`pipeline`/`workflow` group, or undefined at top level. */
  group?: number;
  /** Slot index inside that group. */
  slot?: number;
  /** Pipeline stage index inside the slot (0-based). */
  stage?: number;
}

// Usage arithmetic lives in src/shared (the agent loop needs it too); core's API keeps offering it.
export { type TokenUsage, zeroUsage, addUsage } from '../shared/usage';

/** The options object of `agent(prompt, opts)` after validation (spec §3.1). */
export interface AgentOptions {
  label?: string;
  phase?: string;
  schema?: Record<string, unknown>;
  model?: string;
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** 'remote': the agent runs on a worker of the remote engine (`dwf worker`), its changes come back as a patch. */
  isolation?: 'worktree' | 'remote';
  agentType?: string;
  disallowedTools?: string[];
  bashCommandClamp?: string[];
  sharedHeadLength?: number;
  stallMs?: number;
}

/** The git worktree an `isolation: 'worktree'` agent worked in (spec §3.1). */
export interface WorktreeInfo {
  /** Real path of the worktree. */
  path: string;
  /** Its branch, `dwf/<runId>-<index>`. */
  branch: string;
  /** The base ref as configured (`HEAD` unless set). */
  base: string;
  /** The commit the worktree started from. */
  commit: string;
  /** True when the agent changed something and the worktree stays for review; false: removed. */
  kept: boolean;
}

/** Why an agent ran live instead of being replayed from the journal. */
export type LiveReason =
  | 'new' // no journal entry at this position
  | 'changed' // prompt or options changed at this position
  | 'chain-changed' // same prompt and options, but an earlier call in its chain changed
  | 'previously-failed' // the earlier run recorded a failure for this key
  | 'unfinished' // the earlier run started it but never finished it
  | 'retry'; // the person asked to retry it

/** Error as it crosses boundaries: never a live Error object. */
export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** Where in the script it was thrown (the first stack frame in a workflow file), when known. */
  location?: ErrorLocation;
}

export interface ErrorLocation extends SourceLocation {
  /** The script's display name, as its stack frames show it. */
  file: string;
  /** That line (≤ 80 columns) and a caret under the column, when the source is at hand. */
  frame?: string;
}

/**
 * The priced plan a run started with (issue 11 item 5), as run.json and the run's events keep it:
 * the agents and dollars (low–high) its spend is shown against.
 */
export interface RunPlan {
  agents: { low: number; high: number };
  costUsd: { low: number; high: number };
  basis: 'static' | 'history';
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'stopped' | 'paused';

/** Caps that pause the run rather than fail it (issue 11); undefined = no cap. Kept in run.json. */
export interface RunCaps {
  /** USD of the whole run (earlier sessions included) past which no further agent starts. */
  maxCostUsd?: number;
  /** Agents of the whole run (replayed ones included) past which no further agent starts. */
  maxAgents?: number;
}

/**
 * Why a run paused (issue 11): at a cap (the run ends paused; a resume with a higher cap goes on),
 * or at the account's usage limit (the live run waits and goes on by itself at `until`).
 */
export interface PauseInfo {
  reason: 'cost-cap' | 'agent-cap' | 'usage-limit';
  /** USD for 'cost-cap', agents for 'agent-cap'; for 'usage-limit' the seconds the service asked to wait. */
  limit: number;
  /** What was spent against the cap; for 'usage-limit' the run's USD so far. */
  spent: number;
  /** 'usage-limit' only: when the service takes requests again (ISO 8601). */
  until?: string;
}
