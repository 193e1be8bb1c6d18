// The seam between the command line and the agent layer: the CLI decides *what* to run and how
// the person is asked; src/agent decides how one subagent talks to the model. Tests inject a
// scripted runner here, the shipped binary the Anthropic one.
import type { AgentRunner } from '../core';

export interface RunnerContext {
  /** Nearest ancestor of the working directory holding `.git`, else the working directory. */
  workspaceRoot: string;
  /** The runs folder; each run's transcripts go to `<runsDir>/<runId>/transcripts`. */
  runsDir: string;
  /** core/registry personalFolder(): `$CLAUDE_CONFIG_DIR` else `~/.claude` (personal settings, agents, plugins), and `~`. */
  personal: { configDir: string; home: string };
  /** Plugin folders named with `--plugin-dir` (absolute), besides the installed plugins. */
  pluginDirs?: string[];
  /** `--model`: the default model for agents that name none. */
  model?: string;
  /** `--allow` rules in Claude Code's syntax, e.g. `Bash(npm test:*)`. */
  allow: string[];
  /** `--yes`: approve every command a headless run would otherwise deny. */
  yes: boolean;
  /** A person is at a terminal and can answer approval prompts. */
  interactive: boolean;
  apiKey: string;
  /** `ANTHROPIC_BASE_URL`, for gateways and compatible servers. */
  baseURL?: string;
  /** `--worktree-base`: the ref `isolation: 'worktree'` agents start from (default HEAD). */
  worktreeBase?: string;
  /** `--concurrency`, so the runner can size its HTTP pool to the gate. */
  concurrency?: number;
  /**
   * Runs `fn` with the live view taken off the terminal and redraws it afterwards, so an
   * approval prompt is not overwritten by the next frame.
   */
  suspendProgress?<T>(fn: () => Promise<T>): Promise<T>;
  /** The remote engine's URL (`--engine`, DWF_ENGINE_URL): isolation: 'remote' agents run on its workers. */
  engineUrl?: string;
  /** `--agents remote`: every agent of the run on the engine. */
  agents?: 'local' | 'remote';
  /** The environment (version checks read it). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What the CLI can use beyond the engine's port; both members are optional. */
export interface CliRunner extends AgentRunner {
  /** Dollars spent through this runner so far; undefined when it cannot price its models. */
  costUsd?(): number | undefined;
  /** Releases connections once the run is over. */
  close?(): void | Promise<void>;
}

/** May be async: the shipped one reads the permission settings first and throws on broken ones. */
export type RunnerFactory = (ctx: RunnerContext) => CliRunner | Promise<CliRunner>;

/** Replaced by the lead with the real factory from src/agent. */
export const defaultRunnerFactory: RunnerFactory = () => {
  throw new Error('the Anthropic agent layer is not built yet');
};
