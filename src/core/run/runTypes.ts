// What hosts hand a run (ports, settings) and what it hands back (RunResult). Kept apart from the
// WorkflowRun class so the pieces of a run can share them without importing the coordinator.
import type { SandboxLimits } from '../sandbox/protocol';
import type { IntlDefaults } from '../sandbox/intlHost';
import type { FileRunStore } from '../journal/runStore';
import type { AgentRunner } from '../ports';
import type { ErrorInfo, PauseInfo, RunPlan, RunStatus, TokenUsage } from '../types';
import type { RunCaps } from './agentAdmission';

export type WorkflowRef = { name: string } | { scriptPath: string };

/** Finds a child workflow's source for workflow(); relative scriptPaths resolve from `fromFile`. */
export type WorkflowResolver = (ref: WorkflowRef, fromFile: string) => Promise<{ source: string; file: string }>;

export interface RunDeps {
  runner: AgentRunner;
  /** The runs folder: the run's journal (openJournal) and record (writeRecord) go through it. */
  store: FileRunStore;
  resolveWorkflow?: WorkflowResolver;
  workerPath?: string;
}

export interface RunSettings {
  /** Agents running at once; default min(16, max(2, cpus − 2)). */
  concurrency?: number;
  /** Output-token ceiling for budget.total; null = no ceiling. */
  budgetTotal?: number | null;
  /** agent() calls allowed per run (default 1000, the official cap; spec §4.1). */
  maxAgents?: number;
  /** Caps that pause the run when the next agent would cross them (issue 11); none by default. */
  caps?: RunCaps;
  limits?: Partial<SandboxLimits>;
  /** Event batching interval (ms); 0 delivers on the next microtask. */
  eventIntervalMs?: number;
  /**
   * Makes the run's priced plan (issue 11 item 5); called after the start, never awaited by it.
   * A resumed run keeps the plan its record has and calls this only when there is none.
   */
  plan?: () => Promise<RunPlan | undefined>;
  /** Locale and time zone for a new run (default: the process's); a resume keeps the recorded ones. */
  intl?: IntlDefaults;
}

export interface RunCounts {
  total: number;
  done: number;
  cached: number;
  failed: number;
  skipped: number;
}

export type FinalStatus = Exclude<RunStatus, 'running'>;

export interface RunResult {
  runId: string;
  status: FinalStatus;
  result?: unknown;
  error?: ErrorInfo;
  /** Set when status is 'paused': the cap that held the next agent. */
  paused?: PauseInfo;
  agents: RunCounts;
  usage: TokenUsage;
  durationMs: number;
  logs: string[];
}
