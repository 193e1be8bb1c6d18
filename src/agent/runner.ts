// AnthropicRunner: the engine's AgentRunner on the Messages API. One per run host (CLI, VS
// Code); it owns the client, the run-wide back-off, the agent definitions and CLAUDE.md
// instructions, and builds each agent's tools, system prompt and transcript.
import * as os from 'node:os';
import * as path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { AgentOutcome, AgentProgress, AgentRequest, AgentRunner, Asker, Workspace } from '../core/ports';
import { zeroUsage } from '../shared/usage';
import { RunBackoff } from './backoff';
import { runAgentLoop } from './loop';
import { DEFAULT_POLICY, type RequestPolicy } from './request';
import {
  DEFAULT_LIMITS,
  serverToolsFor,
  toolsFor,
  type CommandGate,
  type PathGuard,
  type ToolGate,
  type ToolLimits,
} from './tools';
import { loadAgentDefinitions, type AgentDefinition, type PluginAgents } from './agentTypes';
import { buildSystemPrompt, readMemoryFiles } from './systemPrompt';
import { DEFAULT_MODEL, effortFor, resolveModel } from './models';
import { Transcript, transcriptFileName } from './transcript';
import { Redactor } from './redact';
import { CommandSandbox, type SandboxSettings } from './sandbox';
import { clampCommands } from './commandClamp';
import { createWorktree, finishWorktree, WorktreeError, type AgentWorktree } from './worktree/gitWorktrees';
import { worktreePrompt, type AgentScope, type WorktreeHost } from './worktree/agentScope';
import type { WorktreeInfo } from '../core/types';
import type { DurableSteps } from './durable';

export interface AnthropicRunnerOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL: gateways and compatible servers. */
  baseURL?: string;
  workspace: Workspace;
  paths: PathGuard;
  /** The Bash tool's gate, per agent (so the person is told which agent asks). */
  commands: CommandGate | ((who: Asker) => CommandGate);
  /** Rules for the file and fetch tools and the protected paths, per agent (src/agent/permissions AccessGate). */
  access: ToolGate | ((who: Asker) => ToolGate | Promise<ToolGate>);
  /** Default model for agents without opts.model (alias or id). */
  model?: string;
  /** Model requests in flight at once (the back-off lowers it on 429/529). */
  requestConcurrency?: number;
  policy?: Partial<RequestPolicy>;
  limits?: Partial<ToolLimits>;
  maxTurns?: number;
  maxTokens?: number;
  /** Where an agent's transcript goes, e.g. <runs>/<runId>/transcripts; none when absent. */
  transcriptsDir?: (runId: string) => string;
  /** Home folder: `~` in paths (tests point it at a temp dir). */
  home?: string;
  /** The personal Claude folder for personal agents and CLAUDE.md (`$CLAUDE_CONFIG_DIR`); default `<home>/.claude`. */
  configDir?: string;
  /** Claude Code plugins whose agents are available as `<plugin>:<agent>`. */
  plugins?: readonly PluginAgents[];
  log?: (message: string) => void;
  /** The person's sandbox settings for agent commands (user scope only); default: sandbox on, no network. */
  sandbox?: SandboxSettings;
  /** Further secret values (besides apiKey) to scrub from tool results, transcripts, results and logs. */
  secrets?: string[];
  /** How `isolation: 'worktree'` agents are rooted at their worktree; absent: such agents fail saying so. */
  worktrees?: WorktreeHost;
  /** Records each model turn and tool call as a step (the remote engine's worker). */
  durable?: DurableSteps;
}

export class AnthropicRunner implements AgentRunner {
  readonly client: Anthropic;
  readonly backoff: RunBackoff;
  private readonly agentDefs: Map<string, AgentDefinition>;
  private readonly memory: { path: string; text: string }[];
  readonly warnings: string[];
  /** The key (and other secrets) never leave through results, transcripts or log lines. */
  readonly redactor: Redactor;
  readonly sandbox: CommandSandbox;
  private readonly log?: (message: string) => void;

  constructor(private readonly options: AnthropicRunnerOptions) {
    if (!options.apiKey)
      throw new Error('No API key: set ANTHROPIC_API_KEY (or the key in the host settings) before running agents.');
    const redactor = new Redactor([options.apiKey, ...(options.secrets ?? [])]);
    this.redactor = redactor;
    this.log = options.log && ((m) => options.log!(redactor.redact(m)));
    const homeClaude = path.join(options.home ?? os.homedir(), '.claude');
    const configDir = options.configDir ?? homeClaude;
    // Both stay out of reach of agent commands: Claude Code itself may use either.
    this.sandbox = new CommandSandbox({
      settings: options.sandbox,
      protect: [...new Set([homeClaude, configDir])],
      log: this.log,
    });
    this.client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0 });
    this.backoff = new RunBackoff({ limit: options.requestConcurrency ?? 16 });
    const root = options.workspace.roots[0] ?? process.cwd();
    const defs = loadAgentDefinitions(root, options.home, options.plugins, configDir);
    this.agentDefs = defs.agents;
    this.warnings = defs.warnings;
    this.memory = readMemoryFiles(options.workspace.roots, options.home, configDir);
  }

  private spent = 0;

  /** Dollars spent through this runner (priced models only). */
  costUsd(): number {
    return this.spent;
  }

  agentTypes(): string[] {
    return [...this.agentDefs.keys()];
  }

  async run(request: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome> {
    if (request.options.isolation !== 'worktree') return this.runIn(this.options, request, signal, progress);
    const host = this.options.worktrees;
    if (!host)
      return {
        kind: 'error',
        error: {
          name: 'Error',
          message:
            "agent({isolation: 'worktree'}) is not supported by this host: it runs agents in the workspace folders only.",
        },
        usage: zeroUsage(),
      };
    let wt: AgentWorktree;
    try {
      wt = await createWorktree(
        this.options.workspace.roots[0] ?? process.cwd(),
        request.runId,
        request.index,
        host.baseRef,
      );
    } catch (e) {
      const message =
        e instanceof WorktreeError ? e.message : `agent({isolation: 'worktree'}): ${(e as Error).message}`;
      return { kind: 'error', error: { name: 'Error', message }, usage: zeroUsage() };
    }
    this.log?.(`[${request.label}] working in worktree ${wt.info.path} (branch ${wt.info.branch})`);
    let outcome: AgentOutcome | undefined;
    try {
      outcome = await this.runIn(host.scopeAt(wt.root), request, signal, progress, wt);
    } finally {
      // Also after a stop: an unchanged worktree never lingers, a changed one is kept and said.
      const info: WorktreeInfo = await finishWorktree(wt, this.log);
      if (!outcome)
        this.log?.(
          `[${request.label}] stopped; worktree ${info.kept ? `kept at ${info.path} (branch ${info.branch})` : 'removed (no changes)'}`,
        );
      if (outcome) outcome = { ...outcome, worktree: info };
    }
    return outcome;
  }

  /** One agent with its tools rooted at `scope` (the workspace folders, or a worktree). */
  private async runIn(
    scope: AgentScope,
    request: AgentRequest,
    signal: AbortSignal,
    progress: AgentProgress,
    wt?: AgentWorktree,
  ): Promise<AgentOutcome> {
    const o = request.options;
    const def = o.agentType ? this.agentDefs.get(o.agentType) : undefined;
    const filter = {
      disallowed: [...(o.disallowedTools ?? []), ...(def?.disallowedTools ?? [])],
      allowedOnly: def?.tools,
    };
    const tools = toolsFor(filter);
    if (o.bashCommandClamp && !tools.some((t) => t.name === 'Bash')) {
      return {
        kind: 'error',
        error: {
          name: 'Error',
          message:
            'agent({bashCommandClamp}): this agent has no Bash tool (disallowedTools or its agent type removes it), so the clamp cannot apply. Refusing the spawn rather than running it un-narrowed.',
        },
        usage: zeroUsage(),
      };
    }
    const model = resolveModel(o.model ?? def?.model, this.options.model ?? DEFAULT_MODEL);
    progress.model?.(model);
    const system = buildSystemPrompt({
      roots: scope.workspace.roots,
      memory: this.memory,
      agentPrompt: def?.systemPrompt,
      schema: !!o.schema,
      ...(wt && { worktree: worktreePrompt(wt.info, wt.root) }),
    });
    const transcriptFile = this.options.transcriptsDir
      ? path.join(this.options.transcriptsDir(request.runId), transcriptFileName(request.agentId, request.attempt))
      : undefined;
    // The gates tell the person which agent asks, and lend its slot out while it waits for them.
    const who: Asker = {
      runId: request.runId,
      agentLabel: request.label,
      agentId: request.agentId,
      ...(progress.awaitPerson ? { awaitPerson: progress.awaitPerson } : {}),
    };
    const access = typeof scope.access === 'function' ? await scope.access(who) : scope.access;
    const transcript = new Transcript(transcriptFile, this.redactor);
    const sandboxAgent = { key: `${request.runId}/${request.agentId}/${request.attempt}`, label: request.label };
    transcript.write({
      type: 'start',
      agentId: request.agentId,
      label: request.label,
      model,
      attempt: request.attempt,
      prompt: request.prompt,
      system,
      tools: tools.map((t) => t.name),
      ...(wt && { worktree: wt.info }),
    });
    try {
      const outcome = await runAgentLoop(
        {
          agentId: request.agentId,
          label: request.label,
          prompt: request.prompt,
          system,
          model,
          effort: effortFor(model, o.effort),
          tools,
          serverTools: serverToolsFor(filter),
          schema: o.schema,
          maxTurns: this.options.maxTurns ?? 100,
          maxTokens: this.options.maxTokens ?? 16_000,
        },
        {
          client: this.client,
          backoff: this.backoff,
          policy: { ...DEFAULT_POLICY, ...this.options.policy, ...(o.stallMs ? { stallMs: o.stallMs } : {}) },
          toolContext: {
            workspace:
              scope.workspace.forAgent?.({ runId: request.runId, agentId: request.agentId }) ?? scope.workspace,
            paths: scope.paths,
            commands: this.commandsFor(scope, who, request),
            access,
            cwd: scope.workspace.roots[0] ?? process.cwd(),
            signal,
            limits: { ...DEFAULT_LIMITS, ...this.options.limits },
            sandbox: this.sandbox.forAgent(sandboxAgent),
            secrets: this.redactor,
          },
          transcript,
          log: this.log,
          redactor: this.redactor,
          durable: this.options.durable,
        },
        signal,
        {
          ...progress,
          usage: (delta) => {
            this.spent += delta.costUsd ?? 0;
            progress.usage?.(delta);
          },
        },
      );
      // What the journal and run.json keep: no secret, whatever the model managed to echo.
      return this.redactor.redactDeep(outcome);
    } finally {
      transcript.close();
      this.sandbox.release(sandboxAgent.key);
    }
  }

  /** The host's gate for this agent, narrowed by the script's bashCommandClamp. */
  private commandsFor(scope: AgentScope, who: Asker, request: AgentRequest): CommandGate {
    const c = scope.commands;
    const gate = typeof c === 'function' ? c(who) : c;
    const clamp = request.options.bashCommandClamp;
    return clamp ? clampCommands(gate, clamp, scope.workspace.roots) : gate;
  }

  /** Removes the commands' private /tmp. */
  close(): void {
    this.sandbox.dispose();
  }
}
