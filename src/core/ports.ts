// The engine's only ways out (ARCHITECTURE.md "ports"). Hosts implement them; tests use fakes.
import type { AgentOptions, ErrorInfo, TokenUsage, WorktreeInfo } from './types';

/** Everything a runner needs to run one subagent to completion. */
export interface AgentRequest {
  runId: string;
  /** Stable id of this agent inside the run (also in journal lines and events). */
  agentId: string;
  /** 0-based call index in the run (synchronous at agent() entry). */
  index: number;
  prompt: string;
  label: string;
  phase?: string;
  options: AgentOptions;
  /** 1-based attempt; > 1 after a person's retry. */
  attempt: number;
  /** The agent's journal key (spec §4.7): with runId and attempt, its idempotency key on a remote engine. */
  key?: string;
}

/** Progress a runner reports while it works (feeds events and the live budget). */
export interface AgentProgress {
  usage?(delta: TokenUsage): void;
  tool?(name: string, summary?: string): void;
  /** Model the runner actually uses (after alias resolution). */
  model?(id: string): void;
  /**
   * The agent waits for the person (an approval): the engine lends the agent's concurrency slot
   * to others until `answer` settles and takes one back before the agent goes on.
   */
  awaitPerson?<T>(answer: Promise<T>): Promise<T>;
  /**
   * The account's usage limit refused this agent's request until `until` (epoch ms); the runner
   * waits and sends it again then. The engine pauses the run (no new agent starts) meanwhile.
   */
  usageLimit?(until: number, reason: string): void;
}

/**
 * How one agent ended. `done` resolves agent() with the result; `null` resolves it with null
 * (skipped, terminal API error — spec §4.3); `error` makes agent() throw (stall, schema cap…).
 */
export type AgentOutcome = (
  | {
      kind: 'done';
      result: unknown;
      usage?: TokenUsage;
      toolsUsed?: string[];
      model?: string;
      /** Tool calls that failed or were denied. */ toolErrors?: number;
    }
  | { kind: 'null'; reason: string; usage?: TokenUsage }
  | { kind: 'error'; error: ErrorInfo; usage?: TokenUsage }
) & {
  /** The worktree an `isolation: 'worktree'` agent worked in, kept or removed. */
  worktree?: WorktreeInfo;
};

export interface AgentRunner {
  run(request: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome>;
  /** Agent types the runner knows (for agent({agentType}) validation); undefined = accept any. */
  agentTypes?(): string[] | undefined;
  /** Whether agent({isolation: 'remote'}) can run (a remote engine is configured); absent: no. */
  remoteAgents?(): boolean;
}

/**
 * Files the agents touch, by absolute path inside one of `roots`. The VS Code host reads what
 * the editor shows and applies writes as WorkspaceEdits (undoable, saved to disk); the CLI uses
 * fs. Listing and searching go to disk directly, which both hosts keep current.
 */
export interface Workspace {
  /** Absolute, real (symlink-resolved) paths of the workspace folders. */
  readonly roots: string[];
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** This workspace with writes attributed to one agent (the editor shows what each agent changed); absent: no attribution. */
  forAgent?(agent: { runId: string; agentId: string }): Workspace;
}

/** One question to the person: may this agent do exactly this? */
export interface ApprovalRequest {
  runId: string;
  agentLabel: string;
  /** The asking agent's id in the run (absent for questions not tied to one agent). */
  agentId?: string;
  /**
   * Exactly what will happen, untrusted text (render it with control characters visible, never
   * as markup): the command for Bash; for other tools a one-line summary such as
   * `Write /abs/path/.vscode/settings.json` or `WebFetch http://127.0.0.1:8080/`.
   */
  command: string;
  /** The tool that asks; absent means Bash. */
  tool?: 'Bash' | 'Read' | 'Write' | 'Edit' | 'WebFetch';
  /** Why it asks (no rule matches, a protected path, an unknown domain), for the person. */
  reason?: string;
  /**
   * The rules an "always" answer would save, exactly as they will be written. Empty: "always"
   * is not offered (the approver answers once or deny).
   */
  rules?: string[];
  /**
   * Broader rules a `prefix` answer would save (`Bash(npm run:*)`), when the gate can offer one
   * that covers this command; absent or empty: not offered.
   */
  prefixRules?: string[];
  /** Why the command may destroy work (`rm deletes files`); hosts then put Deny first. */
  destructive?: string;
}

/** once: this time; always: save `rules`; prefix: save `prefixRules`; deny: refuse. */
export type ApprovalAnswer = 'once' | 'always' | 'prefix' | 'deny';

/** Asks the person. Headless hosts answer from a policy. */
export interface Approver {
  approveCommand(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

/** Who asks for approval: the run and agent, and how the agent waits for a person. */
export interface Asker {
  runId: string;
  agentLabel: string;
  agentId?: string;
  /** AgentProgress.awaitPerson of the asking agent, when its engine lends out its slot. */
  awaitPerson?<T>(answer: Promise<T>): Promise<T>;
}
