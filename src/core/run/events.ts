// The one typed event stream of a run (ARCHITECTURE.md "Events"). Every consumer — tree view,
// CLI progress, run records, tests — reads this stream and nothing else.
import type {
  DagPosition,
  ErrorInfo,
  LiveReason,
  PauseInfo,
  RunPlan,
  RunStatus,
  SourceLocation,
  TokenUsage,
  WorktreeInfo,
} from '../types';

export type AgentState =
  | 'queued' // accepted, waiting at the concurrency gate
  | 'running'
  | 'done' // finished with a result
  | 'cached' // replayed from the journal, no model call
  | 'null' // resolved null: terminal API error or the like
  | 'skipped' // the person skipped it (resolves null)
  | 'failed' // agent() threw (stall, schema cap, bad options …)
  | 'stopped'; // aborted because the run stopped or the script returned without awaiting it

export type RunEvent =
  | {
      type: 'run';
      runId: string;
      state: RunStatus;
      name: string;
      description: string;
      phases: string[];
      /** True when this run continues an earlier journal. */
      resumed?: boolean;
      /** The plan the run started with, when the record keeps one (a resumed run). */
      plan?: RunPlan;
      /** USD spent by the run's earlier sessions (a resumed run). */
      earlierCostUsd?: number;
      result?: unknown;
      error?: ErrorInfo;
      /** With state 'paused': the cap that held the next agent. */
      paused?: PauseInfo;
      at: number;
    }
  | { type: 'phase'; index: number; title: string; /** child workflow that opened it */ workflow?: number }
  | {
      type: 'group';
      groupId: number;
      kind: 'parallel' | 'pipeline' | 'workflow';
      /** Slots (items) of a parallel/pipeline; 0 for a workflow group. */
      size: number;
      /** Number of stages of a pipeline. */
      stages?: number;
      /** Short names of a pipeline's items by slot ('' where none): the slots' labels (file name, topic). */
      items?: string[];
      /** Title shown for the group: `▸ name` for child workflows. */
      title?: string;
      parent: DagPosition;
      site?: SourceLocation;
    }
  | { type: 'groupEnd'; groupId: number; failedSlots: number[] }
  | {
      type: 'agent';
      agentId: string;
      index: number;
      state: AgentState;
      label: string;
      phase?: string;
      position: DagPosition;
      site?: SourceLocation;
      model?: string;
      /** Why it ran live (with state 'queued'). */
      reason?: LiveReason;
      attempt?: number;
      promptPreview?: string;
      resultPreview?: string;
      error?: ErrorInfo;
      /** Tokens so far (with running/done). */
      usage?: TokenUsage;
      toolName?: string;
      /** The label the script gave (opts.label), with its first event: names the item its slot works on. */
      item?: string;
      /** Tool calls of a done agent that failed or were denied. */
      toolErrors?: number;
      /** The agent's git worktree (isolation: 'worktree'), with its outcome and when replayed. */
      worktree?: WorktreeInfo;
      /** With state 'queued' as the run pauses: the cap that held it; it starts when the run is resumed. */
      held?: PauseInfo;
      at: number;
    }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; at: number }
  /** The script has computed without awaiting for over a second (busy), or that slice ended. */
  | { type: 'computing'; busy: boolean; at: number }
  | { type: 'usage'; agentId: string; delta: TokenUsage; total: TokenUsage }
  /** The run's priced plan, once made after the start (issue 11 item 5). */
  | { type: 'plan'; plan: RunPlan }
  /**
   * The live run waits for the account's usage limit to reopen (`paused`, reason 'usage-limit',
   * with `until`), or goes on by itself (`paused` absent). The run stays live throughout.
   */
  | { type: 'pause'; paused?: PauseInfo; at: number };

export type RunEventListener = (batch: readonly RunEvent[]) => void;
